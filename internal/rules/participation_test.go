package rules

import (
	"math"
	"testing"
)

func TestParticipationRates(t *testing.T) {
	thresholds := map[string]float64{"city_department": 0.7, "district": 0.7, "commune": 0.7, "central": 0.5}
	agencies := []AgencyUnit{
		{ID: 1, Category: "city_department", Headcount: 100},
		{ID: 2, Category: "central", Headcount: 1000},
		{ID: 3, Category: "district", Headcount: 100},
		{ID: 4, ParentID: 3, Category: "commune", Headcount: 20},
		{ID: 5, ParentID: 3, Category: "commune", Headcount: 30},
		{ID: 6, Category: "city_department", Headcount: 0},
	}
	participants := map[int64]int{1: 70, 2: 499, 3: 60, 4: 20, 5: 25, 6: 3}
	got := ParticipationRates(agencies, participants, thresholds)
	want := map[int64]struct {
		participants, headcount int
		rate                    float64
		meets, rolled           bool
	}{
		1: {70, 100, 0.70, true, false},     // exactly at 70% meets the target
		2: {499, 1000, 0.499, false, false}, // central agency: 50% needed
		3: {105, 150, 0.70, true, true},     // district with its communes: (60+20+25)/(100+20+30)
		4: {20, 20, 1.0, true, false},
		5: {25, 30, 25.0 / 30, true, false},
		6: {3, 0, 0, false, false}, // unknown headcount never meets a target
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for _, p := range got {
		w := want[p.AgencyID]
		if p.Participants != w.participants || p.Headcount != w.headcount || math.Abs(p.Rate-w.rate) > 1e-9 ||
			p.MeetsTarget != w.meets || p.RolledUp != w.rolled {
			t.Errorf("agency %d: %+v, want %+v", p.AgencyID, p, w)
		}
	}
}
