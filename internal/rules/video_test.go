package rules

import (
	"slices"
	"testing"
	"time"
)

func TestVideoEntryCheck(t *testing.T) {
	deadline := time.Date(2023, 11, 18, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	tests := []struct {
		name     string
		received time.Time
		duration time.Duration
		want     string
	}{
		{"on time, 7:00 exactly", deadline.Add(-time.Hour), 7 * time.Minute, ""},
		{"on the last day", deadline.Add(-time.Second), 90 * time.Second, ""},
		{"on the deadline is late", deadline, time.Minute, "video_late"},
		{"a day late", deadline.Add(24 * time.Hour), time.Minute, "video_late"},
		{"7:01 is too long", deadline.Add(-time.Hour), 7*time.Minute + time.Second, "video_too_long"},
		{"zero length", deadline.Add(-time.Hour), 0, "video_duration_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VideoEntryCheck(tt.received, deadline, tt.duration, 7*time.Minute); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWeightedTotal(t *testing.T) {
	criteria := []Criterion{{Code: "a", MaxPoints: 40, Weight: 1}, {Code: "b", MaxPoints: 10, Weight: 2}}
	tests := []struct {
		name    string
		points  map[string]float64
		want    float64
		wantErr bool
	}{
		{"weighted", map[string]float64{"a": 30, "b": 7.5}, 45, false},
		{"maximum", map[string]float64{"a": 40, "b": 10}, 60, false},
		{"above the maximum", map[string]float64{"a": 41, "b": 1}, 0, true},
		{"negative", map[string]float64{"a": -1, "b": 1}, 0, true},
		{"missing criterion", map[string]float64{"a": 1}, 0, true},
		{"unknown criterion", map[string]float64{"a": 1, "c": 1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := WeightedTotal(criteria, tt.points)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("got %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestRankVideos(t *testing.T) {
	entries := []VideoEntry{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}, {6, 60}, {7, 70}, {8, 80}}
	totals := []JurorTotal{
		{1, 100, 90}, {1, 101, 80}, // 85
		{2, 100, 70}, {2, 101, 70}, // 70
		{3, 100, 80}, {3, 101, 60}, // 70: tied with 2 across the second/third boundary? no: ranks 2-3 are both second
		{4, 100, 60}, {4, 101, 60}, // 60
		{5, 100, 50}, {5, 101, 50}, // 50
		{6, 100, 40}, {6, 101, 40}, // 40 — sixth place, last prize
		{7, 100, 40}, {7, 101, 40}, // 40 — tied with 6 across the last prize
		// 8 has no score
	}
	got := RankVideos(entries, totals, PrizeCounts{First: 1, Second: 2, Third: 3})
	var order []int64
	var prizes []string
	var ranks []int
	for _, r := range got {
		order = append(order, r.EntryID)
		prizes = append(prizes, r.Prize)
		ranks = append(ranks, r.Rank)
	}
	if !slices.Equal(order, []int64{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("order %v", order)
	}
	if !slices.Equal(prizes, []string{"first", "second", "second", "third", "third", "third", "", ""}) {
		t.Fatalf("prizes %q", prizes)
	}
	if !slices.Equal(ranks, []int{1, 2, 2, 4, 5, 6, 6, 8}) {
		t.Fatalf("ranks %v", ranks)
	}
	for _, r := range got {
		wantTie := r.EntryID == 6 || r.EntryID == 7
		if r.UnresolvedTie != wantTie {
			t.Errorf("entry %d tie %v", r.EntryID, r.UnresolvedTie)
		}
	}
	if got[0].Score != 85 || got[0].Jurors != 2 || got[7].Score != 0 || got[7].Jurors != 0 {
		t.Fatalf("scores %+v / %+v", got[0], got[7])
	}
}
