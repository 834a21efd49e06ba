package reports

import (
	"fmt"

	"github.com/hpcontest/contest/internal/store"
)

// Sat and not-sat as the roster's cells say them.
const (
	rosterSat    = "Đã thi"
	rosterNotSat = "Chưa thi"
)

// RosterReport is a focal point's list of who in their agencies has and has not sat each
// week: name, position, agency, one column per week, a column of correct answers for each
// published week, and the number of weeks sat. It is what reaching the participation
// target takes: the names of those still to be reminded.
func RosterReport(campaignName, agencyName string, rounds []store.RosterRound, people []store.RosterPerson) Report {
	headers := []string{"STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị"}
	for _, r := range rounds {
		headers = append(headers, fmt.Sprintf("Tuần %d", r.Number))
		if r.Published {
			headers = append(headers, fmt.Sprintf("Tuần %d: số câu đúng", r.Number))
		}
	}
	headers = append(headers, "Số tuần đã thi")
	rows := make([][]any, 0, len(people))
	for i, p := range people {
		row := []any{i + 1, p.FullName, p.Position, p.AgencyName}
		for j, r := range rounds {
			w := p.Weeks[j]
			row = append(row, map[bool]string{true: rosterSat, false: rosterNotSat}[w.Sat])
			if r.Published {
				if w.Correct != nil {
					row = append(row, *w.Correct)
				} else {
					row = append(row, nil)
				}
			}
		}
		rows = append(rows, append(row, p.WeeksSat))
	}
	title := fmt.Sprintf("Danh sách tham gia – %s – %s", agencyName, campaignName)
	return Report{Title: title, Sheets: []Sheet{{Name: "Danh sách tham gia", Title: title, Headers: headers, Rows: rows}}}
}
