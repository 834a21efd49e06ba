//go:build integration

package integration

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/testenv"
)

type peopleAnswer struct {
	AgencyID *int64 `json:"agency_id"`
	Rounds   []struct {
		Number    int  `json:"number"`
		Published bool `json:"published"`
	} `json:"rounds"`
	People []struct {
		FullName string `json:"full_name"`
		Position string `json:"position"`
		AgencyID int64  `json:"agency_id"`
		WeeksSat int    `json:"weeks_sat"`
		Weeks    []struct {
			Round   int  `json:"round"`
			Sat     bool `json:"sat"`
			Correct *int `json:"correct"`
		} `json:"weeks"`
	} `json:"people"`
}

// TestFocalPointListsOnlyTheirSubtreesPeople: a district's focal point lists the people
// registered in the district and its wards, who sat week 1 and who did not, but nobody of
// another district; naming that district is 403. The correct count shows only once week 1
// is published. The .xlsx holds the same names. The committee sees the other district too.
// Before this change there was no such list (404 route_not_found).
func TestFocalPointListsOnlyTheirSubtreesPeople(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	var district, ward, other int64
	if err := s.Store.Pool().QueryRow(ctx, `
		SELECT p.id, c.id, (SELECT id FROM agencies o WHERE o.parent_id IS NULL AND o.id <> p.id AND o.category = p.category ORDER BY id LIMIT 1)
		FROM agencies c JOIN agencies p ON p.id = c.parent_id WHERE p.parent_id IS NULL ORDER BY p.id, c.id LIMIT 1`).Scan(&district, &ward, &other); err != nil {
		t.Fatal(err)
	}
	week1 := roundIDByNumber(t, s, 1)
	lan := insertParticipant(t, s, ward, "Nguyễn Thị Lan")
	insertResult(t, s, week1, lan, ward, 8, 90*time.Second, time.Now())
	insertParticipant(t, s, district, "Trần Văn Minh")
	stranger := insertParticipant(t, s, other, "Lê Văn Khác")
	insertResult(t, s, week1, stranger, other, 10, 60*time.Second, time.Now())

	focal := focalPoint(t, s, district)
	path := "/api/v1/campaigns/" + s.Campaign.Code + "/participation/people"
	var a peopleAnswer
	focal.Expect(http.StatusOK, "GET", path, nil).JSON(t, &a)
	if a.AgencyID == nil || *a.AgencyID != district || len(a.People) != 2 {
		t.Fatalf("focal point's list: %+v", a)
	}
	byName := map[string]int{}
	for i, p := range a.People {
		byName[p.FullName] = i
		if p.AgencyID != district && p.AgencyID != ward {
			t.Fatalf("%s of agency %d in the district's list", p.FullName, p.AgencyID)
		}
	}
	l, m := a.People[byName["Nguyễn Thị Lan"]], a.People[byName["Trần Văn Minh"]]
	if !l.Weeks[0].Sat || l.WeeksSat != 1 || l.Weeks[0].Correct != nil || m.Weeks[0].Sat || m.WeeksSat != 0 {
		t.Fatalf("weeks before publication: Lan %+v, Minh %+v", l, m)
	}
	if r := focal.Do("GET", path+"?agency_id="+strconv.FormatInt(other, 10), nil); r.Status != http.StatusForbidden {
		t.Fatalf("another district's list: %d %s", r.Status, r.Body)
	}
	if r := s.Participant(t).Do("GET", path, nil); r.Status != http.StatusForbidden {
		t.Fatalf("a participant reads the list: %d", r.Status)
	}

	if _, err := s.Store.Pool().Exec(ctx, `UPDATE rounds SET state = 'published' WHERE id = $1`, week1); err != nil {
		t.Fatal(err)
	}
	focal.Expect(http.StatusOK, "GET", path, nil).JSON(t, &a)
	l = a.People[byName["Nguyễn Thị Lan"]]
	if !a.Rounds[0].Published || l.Weeks[0].Correct == nil || *l.Weeks[0].Correct != 8 {
		t.Fatalf("week 1 published: %+v", a)
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
	all := ""
	for _, row := range rows {
		all += strings.Join(row, "|") + "\n"
	}
	if !strings.Contains(all, "Nguyễn Thị Lan") || !strings.Contains(all, "Đã thi") || !strings.Contains(all, "Trần Văn Minh|") ||
		!strings.Contains(all, "Chưa thi") || strings.Contains(all, "Lê Văn Khác") || !strings.Contains(all, "Tuần 1: số câu đúng") {
		t.Fatalf("workbook rows:\n%s", all)
	}

	var everyone peopleAnswer
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", path, nil).JSON(t, &everyone)
	found := false
	for _, p := range everyone.People {
		found = found || p.FullName == "Lê Văn Khác"
	}
	if everyone.AgencyID != nil || !found {
		t.Fatalf("committee's list misses the other district: %+v", everyone)
	}
}
