package reports

import (
	"fmt"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Sat and not-sat as the roster's cells say them.
const (
	rosterSat           = "Đã thi"
	rosterNotSat        = "Chưa thi"
	rosterNotRegistered = "Chưa đăng ký"
)

// StandingLabel says in words where a person of the list stands against their agency's
// staff roster; an account the roster does not list says what the focal point decided.
func StandingLabel(p store.RosterPerson) string {
	switch p.Standing {
	case store.StandingOnRoster:
		return "Có tên trong danh sách"
	case store.StandingNotRegistered:
		return rosterNotRegistered
	case store.StandingOffRoster:
		switch p.RosterStatus {
		case rules.RosterConfirmed:
			return "Ngoài danh sách, đầu mối đã xác nhận"
		case rules.RosterRejected:
			return "Ngoài danh sách, đầu mối đã từ chối"
		default:
			return "Ngoài danh sách, chờ đầu mối xác nhận"
		}
	}
	return "Cơ quan chưa có danh sách"
}

// RosterReport is a focal point's list of who in their agencies has and has not sat each
// week: name, position, agency, date of birth (masked), standing against the staff roster
// (a member who has not registered is listed too, "Chưa đăng ký" in every week), one column per week, a column of correct answers for each
// published week, and the number of weeks sat. It is what reaching the participation
// target takes: the names of those still to be reminded.
func RosterReport(campaignName, agencyName string, rounds []store.RosterRound, people []store.RosterPerson) Report {
	headers := []string{"STT", "Họ và tên", "Chức vụ", "Cơ quan, đơn vị", "Ngày sinh", "Đối chiếu danh sách"}
	for _, r := range rounds {
		headers = append(headers, fmt.Sprintf("Tuần %d", r.Number))
		if r.Published {
			headers = append(headers, fmt.Sprintf("Tuần %d: số câu đúng", r.Number))
		}
	}
	headers = append(headers, "Số tuần đã thi")
	rows := make([][]any, 0, len(people))
	for i, p := range people {
		row := []any{i + 1, p.FullName, p.Position, p.AgencyName, p.DateOfBirth, StandingLabel(p)}
		for j, r := range rounds {
			w := p.Weeks[j]
			switch {
			case !p.Registered:
				row = append(row, rosterNotRegistered)
			case w.Sat:
				row = append(row, rosterSat)
			default:
				row = append(row, rosterNotSat)
			}
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
