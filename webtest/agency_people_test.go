//go:build integration

package webtest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestFocalPointSeesWhoHasNotSat: the focal point of a district lists, on /don-vi, the
// people registered in the district and its wards, sat or not in week 1, and the
// district's roster member who has not registered ("Chưa đăng ký"), narrows the list to
// those who have not sat (the unregistered member stays), and downloads it as .xlsx with
// the same names. Screenshots at 360 and 1280 px. Before this change the page had only
// rates, no names; before the roster change it did not list the unregistered member.
func TestFocalPointSeesWhoHasNotSat(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	_, byCode := listAgencies(t, s)
	district := byCode["q-le-chan"]
	var ward int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM agencies WHERE parent_id = $1 ORDER BY name LIMIT 1`, district.ID).Scan(&ward); err != nil {
		t.Fatal(err)
	}
	minhPhone := testenv.UniquePhone()
	register := func(name, position string, agency int64, phone string) *testenv.Client {
		c := s.NewClient(t)
		c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{"full_name": name, "date_of_birth": "1984-02-03",
			"phone": phone, "agency_id": agency, "position": position, "password": "mat-khau-thu"})
		c.Login(phone, "mat-khau-thu")
		return c
	}
	register("Nguyễn Thị Lan", "Chuyên viên", ward, testenv.UniquePhone())
	register("Trần Văn Minh", "Phó Chủ tịch", district.ID, minhPhone)
	// The district's roster lists Minh and Hoa, who never registered.
	roster := "agency_code,full_name,date_of_birth,phone,cccd\n" +
		"q-le-chan,Trần Văn Minh,03/02/1984," + minhPhone + ",\n" +
		"q-le-chan,Đỗ Thị Hoa,09/10/1987," + testenv.UniquePhone() + ",\n"
	if r := s.Staff(t, "secretariat").Multipart("/api/v1/agencies/rosters", nil, "file", "ds.csv", []byte(roster)); r.Status != http.StatusOK {
		t.Fatalf("roster import: %d %s", r.Status, r.Body)
	}
	// Lan sat week 1: a closed attempt and its result, as the exam engine leaves them.
	if _, err := s.Store.Pool().Exec(ctx, `
		WITH u AS (SELECT id FROM users WHERE full_name = 'Nguyễn Thị Lan'),
		     r AS (SELECT id FROM rounds WHERE number = 1 AND campaign_id = (SELECT id FROM campaigns WHERE code = $1)),
		     a AS (INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at)
		           SELECT r.id, u.id, 1, 'submitted', now() - interval '5 minutes', now() + interval '1 hour', now() FROM r, u RETURNING id, round_id, participant_id)
		INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count, time_used_ms, finished_at, auto_submitted)
		SELECT a.id, a.round_id, a.participant_id, $2, 7, 10, 300000, now(), false FROM a`, s.Campaign.Code, ward); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, s.URL, 1280, 900)
	b.login(agencyAccount(t, s, &district.ID))
	b.open("/don-vi")
	b.waitVisible("#people-table")
	if got := b.rowWith("#people-table", "Nguyễn Thị Lan"); !strings.Contains(got, "Chuyên viên") || !strings.Contains(got, "Đã thi") {
		t.Fatalf("Lan's row %q", got)
	}
	if got := b.rowWith("#people-table", "Trần Văn Minh"); !strings.Contains(got, "Chưa thi") {
		t.Fatalf("Minh's row %q", got)
	}
	if got := b.rowWith("#people-table", "Đỗ Thị Hoa"); !strings.Contains(got, "Chưa đăng ký") || !strings.Contains(got, "**/**/1987") {
		t.Fatalf("Hoa's row %q", got)
	}
	if got := b.text("#people-summary"); got != "3 người, trong đó 1 người chưa đăng ký: 1 người đã thi ít nhất một tuần, 2 người chưa thi." {
		t.Fatalf("summary %q", got)
	}
	b.assertAccessible("/don-vi (people)")
	b.shootWidths("agency-people")
	b.click("#people-only-missing")
	b.waitFor("only those who have not sat", `!document.querySelector("#people-table").textContent.includes("Nguyễn Thị Lan") &&
		document.querySelector("#people-table").textContent.includes("Trần Văn Minh") &&
		document.querySelector("#people-table").textContent.includes("Đỗ Thị Hoa")`, step)
	b.click("#people-download")
	wb := openWorkbook(t, b.savedFile("danh-sach-tham-gia-"+s.Campaign.Code+".xlsx"))
	rows, err := wb.GetRows(wb.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, strings.Join(r, "|"))
	}
	joined := strings.Join(all, "\n")
	if !strings.Contains(joined, "Nguyễn Thị Lan|Chuyên viên") || !strings.Contains(joined, "Trần Văn Minh|Phó Chủ tịch") ||
		!strings.Contains(joined, "Đỗ Thị Hoa||") || !strings.Contains(joined, "Chưa đăng ký") {
		t.Fatalf("workbook rows:\n%s", joined)
	}
	b.assertNoProblems()
}
