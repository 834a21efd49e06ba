package reports

import (
	"testing"

	"github.com/hpcontest/contest/internal/store"
)

func TestParticipationSheetCapsAndFlagsOverHeadcount(t *testing.T) {
	agencies := TreeOrder([]store.Agency{
		{ID: 1, Code: "over", Name: "Sở A", Category: "city_department", Headcount: 50},
		{ID: 2, Code: "fine", Name: "Sở B", Category: "city_department", Headcount: 50},
		{ID: 3, Code: "none", Name: "Sở C", Category: "city_department", Headcount: 0},
	})
	thresholds := map[string]float64{"city_department": 0.7}
	rows := ParticipationRows(agencies, map[int64]int{1: 120, 2: 20, 3: 4}, thresholds)
	sheet := participationSheet("Toàn Hội thi", "", rows, nil)
	if h := sheet.Headers[len(sheet.Headers)-1]; h != "Vượt biên chế" {
		t.Fatalf("last header %q", h)
	}
	want := map[string]struct {
		participants int
		rate         Percent
		over         string
	}{
		"over": {120, 1, "Có (240,0 %)"},
		"fine": {20, 0.4, ""},
		"none": {4, 0, "Có (chưa có biên chế)"},
	}
	for _, row := range sheet.Rows {
		w := want[row[1].(string)]
		if row[5] != w.participants || row[7] != w.rate || row[len(row)-1] != w.over {
			t.Fatalf("row %v; want %d participants, rate %v, flag %q", row, w.participants, w.rate, w.over)
		}
	}
	for _, r := range rows {
		if r.Rate > 1 {
			t.Fatalf("%s: rate %v above 100 %%", r.Code, r.Rate)
		}
	}
	if r := rows[0]; r.Code != "over" || !r.OverHeadcount || r.RawRate != 2.4 || r.CountedParticipants != 50 {
		t.Fatalf("over-headcount row %+v", r)
	}
}
