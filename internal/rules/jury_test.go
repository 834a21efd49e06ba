package rules

import (
	"slices"
	"testing"
	"time"
)

func TestVideoReceiptCheck(t *testing.T) {
	now := time.Date(2023, 11, 20, 9, 0, 0, 0, time.UTC)
	opens := time.Date(2023, 10, 17, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	tests := []struct {
		name     string
		received time.Time
		opens    time.Time
		want     string
	}{
		{"yesterday", now.AddDate(0, 0, -1), opens, ""},
		{"right now", now, opens, ""},
		{"a second ahead of the database", now.Add(time.Second), opens, "video_received_in_future"},
		{"tomorrow", now.AddDate(0, 0, 1), opens, "video_received_in_future"},
		{"the day the contest opened", opens, opens, ""},
		{"before the contest opened", opens.Add(-time.Second), opens, "video_received_before_open"},
		{"long ago, the campaign has no opening date", opens.AddDate(-1, 0, 0), time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VideoReceiptCheck(tt.received, now, tt.opens); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestJuryCompleteness(t *testing.T) {
	tests := []struct {
		name           string
		clips, jurors  []int64
		sheets         []Sheet
		wantExpected   int
		wantReceived   int
		wantComplete   bool
		wantClipMiss   map[int64][]int64
		wantJurorCount map[int64]int
	}{
		{name: "nothing to score", wantComplete: true},
		{name: "clips and no juror", clips: []int64{1}, wantComplete: false, wantClipMiss: map[int64][]int64{1: {}}},
		{name: "every juror scored every clip", clips: []int64{1, 2}, jurors: []int64{7, 8},
			sheets:       []Sheet{{1, 7}, {1, 8}, {2, 7}, {2, 8}},
			wantExpected: 4, wantReceived: 4, wantComplete: true,
			wantClipMiss: map[int64][]int64{1: {}, 2: {}}, wantJurorCount: map[int64]int{7: 2, 8: 2}},
		{name: "one clip scored by one juror", clips: []int64{1, 2}, jurors: []int64{7, 8, 9},
			sheets:       []Sheet{{1, 7}},
			wantExpected: 6, wantReceived: 1,
			wantClipMiss: map[int64][]int64{1: {8, 9}, 2: {7, 8, 9}}, wantJurorCount: map[int64]int{7: 1, 8: 0, 9: 0}},
		{name: "sheets of a former juror and of another clip do not count", clips: []int64{1}, jurors: []int64{7},
			sheets:       []Sheet{{1, 99}, {5, 7}},
			wantExpected: 1, wantReceived: 0,
			wantClipMiss: map[int64][]int64{1: {7}}, wantJurorCount: map[int64]int{7: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := JuryCompleteness(tt.clips, tt.jurors, tt.sheets)
			if c.Expected != tt.wantExpected || c.Received != tt.wantReceived || c.Missing != tt.wantExpected-tt.wantReceived || c.Complete != tt.wantComplete {
				t.Fatalf("expected %d received %d missing %d complete %v", c.Expected, c.Received, c.Missing, c.Complete)
			}
			for _, cs := range c.Clips {
				if !slices.Equal(cs.MissingJurors, tt.wantClipMiss[cs.EntryID]) || cs.Received+len(cs.MissingJurors) != cs.Expected {
					t.Errorf("clip %d: received %d of %d, missing %v, want missing %v", cs.EntryID, cs.Received, cs.Expected, cs.MissingJurors, tt.wantClipMiss[cs.EntryID])
				}
			}
			for _, js := range c.Jurors {
				if js.Received != tt.wantJurorCount[js.JurorID] || js.Received+len(js.MissingClips) != js.Expected {
					t.Errorf("juror %d: received %d of %d, missing %v", js.JurorID, js.Received, js.Expected, js.MissingClips)
				}
			}
		})
	}
}
