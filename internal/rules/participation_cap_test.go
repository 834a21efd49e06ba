package rules

import (
	"math"
	"testing"
)

func TestParticipationIsCappedAtTheHeadcountAndFlagged(t *testing.T) {
	thresholds := map[string]float64{"city_department": 0.7, "district": 0.7, "commune": 0.7}
	tests := []struct {
		name         string
		agencies     []AgencyUnit
		participants map[int64]int
		id           int64 // the row checked
		wantCount    int
		wantRate     float64
		wantRaw      float64
		wantOver     bool
		wantMeets    bool
	}{
		{
			name:         "240 % is shown as 100 % and flagged",
			agencies:     []AgencyUnit{{ID: 1, Category: "city_department", Headcount: 50}},
			participants: map[int64]int{1: 120},
			id:           1, wantCount: 120, wantRate: 1, wantRaw: 2.4, wantOver: true, wantMeets: true,
		},
		{
			name:         "exactly the headcount is 100 %, not flagged",
			agencies:     []AgencyUnit{{ID: 1, Category: "city_department", Headcount: 50}},
			participants: map[int64]int{1: 50},
			id:           1, wantCount: 50, wantRate: 1, wantRaw: 1,
			wantMeets: true,
		},
		{
			name:         "below the headcount is unchanged",
			agencies:     []AgencyUnit{{ID: 1, Category: "city_department", Headcount: 50}},
			participants: map[int64]int{1: 20},
			id:           1, wantCount: 20, wantRate: 0.4, wantRaw: 0.4,
		},
		{
			name: "a commune over its headcount cannot lift its district's rate",
			// district 10 (4 sat), communes 10 (25 sat: over) and 10 (0 sat): the commune
			// counts 10, so (4+10+0)/30, not (4+25+0)/30 which would meet the 70 % target.
			agencies: []AgencyUnit{
				{ID: 1, Category: "district", Headcount: 10},
				{ID: 2, ParentID: 1, Category: "commune", Headcount: 10},
				{ID: 3, ParentID: 1, Category: "commune", Headcount: 10},
			},
			participants: map[int64]int{1: 4, 2: 25},
			id:           1, wantCount: 29, wantRate: 14.0 / 30, wantRaw: 29.0 / 30, wantOver: true,
		},
		{
			name: "the over-headcount commune's own row",
			agencies: []AgencyUnit{
				{ID: 1, Category: "district", Headcount: 10},
				{ID: 2, ParentID: 1, Category: "commune", Headcount: 10},
			},
			participants: map[int64]int{1: 4, 2: 25},
			id:           2, wantCount: 25, wantRate: 1, wantRaw: 2.5, wantOver: true, wantMeets: true,
		},
		{
			name:         "participants without a known headcount are flagged, never a rate",
			agencies:     []AgencyUnit{{ID: 1, Category: "city_department", Headcount: 0}},
			participants: map[int64]int{1: 3},
			id:           1, wantCount: 3, wantOver: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *Participation
			for _, p := range ParticipationRates(tt.agencies, tt.participants, thresholds) {
				if p.AgencyID == tt.id {
					got = &p
				}
			}
			if got == nil {
				t.Fatalf("no row for agency %d", tt.id)
			}
			if got.Participants != tt.wantCount || math.Abs(got.Rate-tt.wantRate) > 1e-9 || math.Abs(got.RawRate-tt.wantRaw) > 1e-9 ||
				got.OverHeadcount != tt.wantOver || got.MeetsTarget != tt.wantMeets {
				t.Fatalf("%+v; want participants %d rate %.4f raw %.4f over %v meets %v",
					*got, tt.wantCount, tt.wantRate, tt.wantRaw, tt.wantOver, tt.wantMeets)
			}
			if got.Rate > 1 {
				t.Fatalf("rate %.4f above 100 %%", got.Rate)
			}
		})
	}
}
