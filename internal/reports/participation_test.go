package reports

import (
	"testing"

	"github.com/hpcontest/contest/internal/store"
)

func ptr(v int64) *int64 { return &v }

func testAgencies() []store.Agency {
	return []store.Agency{
		{ID: 5, Code: "c2", Name: "Phường B", Category: "commune", ParentID: ptr(3), Headcount: 10, HeadcountIsSample: true},
		{ID: 1, Code: "central", Name: "Cục Thuế", Category: "central", Headcount: 10},
		{ID: 3, Code: "d", Name: "Quận", Category: "district", Headcount: 20},
		{ID: 4, Code: "c1", Name: "Phường A", Category: "commune", ParentID: ptr(3), Headcount: 10},
		{ID: 2, Code: "dept", Name: "Sở", Category: "city_department", Headcount: 0},
	}
}

func TestParticipationRowsRollUpAndOrder(t *testing.T) {
	agencies := TreeOrder(testAgencies())
	var order []int64
	for _, a := range agencies {
		order = append(order, a.ID)
	}
	if want := []int64{2, 1, 3, 4, 5}; !equal(order, want) {
		t.Fatalf("tree order %v, want %v", order, want)
	}
	thresholds := map[string]float64{"city_department": 0.7, "district": 0.7, "commune": 0.7, "central": 0.5}
	rows := ParticipationRows(agencies, map[int64]int{1: 5, 3: 18, 4: 7, 5: 3}, thresholds)
	byID := map[int64]ParticipationRow{}
	for _, r := range rows {
		byID[r.AgencyID] = r
	}
	// The district rolls up its communes: (18+7+3)/(20+10+10) = 0.7, which meets 70 %.
	d := byID[3]
	if d.Participants != 28 || d.Headcount != 40 || d.Rate != 0.7 || !d.MeetsTarget || !d.RolledUp || !d.HeadcountIsSample || d.Name != "Quận" {
		t.Fatalf("district %+v", d)
	}
	if c := byID[4]; c.Participants != 7 || c.Rate != 0.7 || !c.MeetsTarget || c.RolledUp || c.HeadcountIsSample || *c.ParentID != 3 {
		t.Fatalf("commune A %+v", c)
	}
	if c := byID[5]; c.Rate != 0.3 || c.MeetsTarget || !c.HeadcountIsSample {
		t.Fatalf("commune B %+v", c)
	}
	if c := byID[1]; c.Rate != 0.5 || c.Threshold != 0.5 || !c.MeetsTarget {
		t.Fatalf("central %+v", c)
	}
	if c := byID[2]; c.Rate != 0 || c.MeetsTarget {
		t.Fatalf("department without headcount %+v", c)
	}
	// A focal point of the district sees it and its communes; of a commune, only it.
	if got := FilterRows(rows, Subtree(agencies, 3)); len(got) != 3 || got[0].AgencyID != 3 {
		t.Fatalf("district subtree %+v", got)
	}
	if got := FilterRows(rows, Subtree(agencies, 4)); len(got) != 1 || got[0].AgencyID != 4 {
		t.Fatalf("commune subtree %+v", got)
	}
	if got := Subtree(agencies, 99); len(got) != 0 {
		t.Fatalf("unknown agency subtree %v", got)
	}
}

func TestParticipationTableReport(t *testing.T) {
	agencies := TreeOrder(testAgencies())
	thresholds := map[string]float64{"district": 0.7, "commune": 0.7}
	tab := ParticipationTable{
		Campaign: store.Campaign{Name: "Hội thi", Timezone: "Asia/Ho_Chi_Minh"}, Thresholds: thresholds, Agencies: agencies,
		Overall: ParticipationRows(agencies, map[int64]int{3: 14}, thresholds),
		ByRound: map[int][]ParticipationRow{},
	}
	rep := tab.Report(3)
	if len(rep.Sheets) != 1 || len(rep.Sheets[0].Rows) != 3 {
		t.Fatalf("report %+v", rep)
	}
	row := rep.Sheets[0].Rows[0]
	if row[2] != "Quận" || row[5] != 14 || row[6] != 40 || row[7] != Percent(0.35) || row[8] != Percent(0.7) || row[9] != "Chưa đạt" || row[10] != "Có" {
		t.Fatalf("district row %v", row)
	}
	if sub := rep.Sheets[0].Rows[1]; sub[4] != "Quận" {
		t.Fatalf("commune row names its district: %v", sub)
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
