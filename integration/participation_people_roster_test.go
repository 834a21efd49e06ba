//go:build integration

package integration

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/testenv"
)

type rosterPeopleAnswer struct {
	People []struct {
		ID           int64  `json:"id"`
		FullName     string `json:"full_name"`
		AgencyID     int64  `json:"agency_id"`
		WeeksSat     int    `json:"weeks_sat"`
		Registered   bool   `json:"registered"`
		Standing     string `json:"standing"`
		RosterStatus string `json:"roster_status"`
		MemberID     *int64 `json:"roster_member_id"`
		DateOfBirth  string `json:"date_of_birth"`
		Weeks        []struct {
			Sat bool `json:"sat"`
		} `json:"weeks"`
	} `json:"people"`
}

// TestFocalPointListsTheirRosterWithTheUnregistered: an agency's roster lists three staff
// members; one registered and sat week 1, one registered and did not, one never
// registered; a fourth person registered in the agency without being on the roster. The
// focal point's list (JSON and .xlsx) holds all four, each with their standing and a
// masked date of birth; the unregistered member is "Chưa đăng ký". A focal point of
// another agency sees none of them. Before this change the list held only the three
// registered accounts, with no standing.
func TestFocalPointListsTheirRosterWithTheUnregistered(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ag := agencyIDsByCode(t, s)
	stc := ag["so-tai-chinh"]
	sat := person{"Nguyễn Văn Đã Thi", "1985-03-07", testenv.UniquePhone(), "", stc}
	notSat := person{"Trần Thị Chưa Thi", "1990-12-01", testenv.UniquePhone(), "", stc}
	never := person{"Lê Văn Chưa Đăng Ký", "1979-05-06", testenv.UniquePhone(), "", stc}
	stranger := person{"Phạm Thị Ngoài", "1988-08-08", testenv.UniquePhone(), "", stc}
	file := rosterHeaderLine
	for _, p := range []person{sat, notSat, never} {
		file += "so-tai-chinh," + p.name + "," + p.dob + "," + p.phone + ",\n"
	}
	if status, a := importRoster(t, s.Staff(t, "secretariat"), file, nil); status != http.StatusOK {
		t.Fatalf("roster import %d %+v", status, a)
	}
	_, satReg := register(t, s, sat, nil)
	_, notSatReg := register(t, s, notSat, nil)
	_, strangerReg := register(t, s, stranger, nil)
	if satReg.RosterStatus != "matched" || notSatReg.RosterStatus != "matched" || strangerReg.RosterStatus != "pending" {
		t.Fatalf("registrations: %+v %+v %+v", satReg, notSatReg, strangerReg)
	}
	insertResult(t, s, roundIDByNumber(t, s, 1), satReg.ID, stc, 7, time.Minute, time.Now())

	focal := focalPoint(t, s, stc)
	path := "/api/v1/campaigns/" + s.Campaign.Code + "/participation/people"
	var a rosterPeopleAnswer
	focal.Expect(http.StatusOK, "GET", path, nil).JSON(t, &a)
	if len(a.People) != 4 {
		t.Fatalf("want the 3 roster members and the off-roster account, got %+v", a.People)
	}
	byName := map[string]int{}
	for i, p := range a.People {
		byName[p.FullName] = i
	}
	want := []struct {
		p                  person
		id                 int64
		registered, onList bool
		standing, status   string
		weeksSat           int
	}{
		{sat, satReg.ID, true, true, "on_roster", "matched", 1},
		{notSat, notSatReg.ID, true, true, "on_roster", "matched", 0},
		{never, 0, false, true, "not_registered", "", 0},
		{stranger, strangerReg.ID, true, false, "off_roster", "pending", 0},
	}
	for _, w := range want {
		i, ok := byName[w.p.name]
		if !ok {
			t.Fatalf("%s missing from %+v", w.p.name, a.People)
		}
		got := a.People[i]
		if got.ID != w.id || got.Registered != w.registered || (got.MemberID != nil) != w.onList || got.Standing != w.standing ||
			got.RosterStatus != w.status || got.WeeksSat != w.weeksSat || got.Weeks[0].Sat != (w.weeksSat == 1) ||
			got.DateOfBirth != "**/**/"+w.p.dob[:4] || got.AgencyID != stc {
			t.Fatalf("%s: got %+v", w.p.name, got)
		}
	}

	r := focal.Expect(http.StatusOK, "GET", path+".xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{}
	for _, row := range rows {
		if len(row) > 1 {
			lines[row[1]] = strings.Join(row, "|")
		}
	}
	for name, parts := range map[string][]string{
		sat.name:      {"**/**/1985", "Có tên trong danh sách", "|Đã thi"},
		notSat.name:   {"**/**/1990", "Có tên trong danh sách", "|Chưa thi"},
		never.name:    {"**/**/1979", "|Chưa đăng ký|Chưa đăng ký"},
		stranger.name: {"**/**/1988", "Ngoài danh sách, chờ đầu mối xác nhận", "|Chưa thi"},
	} {
		for _, part := range parts {
			if !strings.Contains(lines[name], part) {
				t.Fatalf("workbook row of %s %q lacks %q", name, lines[name], part)
			}
		}
	}
	if strings.Contains(lines[sat.name], "07/03/1985") {
		t.Fatalf("a full date of birth in the workbook: %q", lines[sat.name])
	}

	var other rosterPeopleAnswer
	focalPoint(t, s, ag["so-noi-vu"]).Expect(http.StatusOK, "GET", path, nil).JSON(t, &other)
	for _, p := range other.People {
		if _, ok := byName[p.FullName]; ok {
			t.Fatalf("another agency's focal point sees %s", p.FullName)
		}
	}
}
