package rules

import (
	"slices"
	"testing"
	"time"
)

func TestRankRoundGivesNoPrizeBelowTheMinimumCorrect(t *testing.T) {
	prizes := PrizeCounts{First: 1, Second: 2, Third: 3}
	tests := []struct {
		name       string
		entries    []Entry
		criteria   []string
		minCorrect int
		wantOrder  []int64
		wantPrizes []string
		wantBelow  []bool
		wantTies   int
	}{
		{
			name: "0 correct answers never wins, even with prizes left over",
			entries: []Entry{
				entry(1, 10, pred(1), 1, 0), entry(2, 5, pred(1), 1, 0), entry(3, 0, nil, 1, 0),
			},
			minCorrect: 1,
			wantOrder:  []int64{1, 2, 3},
			wantPrizes: []string{"first", "second", ""},
			wantBelow:  []bool{false, false, true},
		},
		{
			name:       "a minimum of 0 or less still counts as 1",
			entries:    []Entry{entry(1, 0, pred(0), 1, 0), entry(2, 0, nil, 2, 0)},
			minCorrect: 0,
			wantOrder:  []int64{1, 2},
			wantPrizes: []string{"", ""},
			wantBelow:  []bool{true, true},
		},
		{
			name: "a campaign minimum of 5 leaves 4 correct without a prize",
			entries: []Entry{
				entry(1, 9, nil, 1, 0), entry(2, 5, nil, 1, 0), entry(3, 4, nil, 1, 0), entry(4, 1, nil, 1, 0),
			},
			minCorrect: 5,
			wantOrder:  []int64{1, 2, 3, 4},
			wantPrizes: []string{"first", "second", "", ""},
			wantBelow:  []bool{false, false, true, true},
		},
		{
			name: "the prize passes to the next eligible participant when the order is not by correct answers",
			// Time decides first here, so the fastest (0 correct) ranks first but wins
			// nothing; the first prize goes to the next eligible one.
			entries: []Entry{
				entry(1, 0, nil, 10, 0), entry(2, 3, nil, 20, 0), entry(3, 7, nil, 30, 0),
			},
			criteria:   []string{ByTimeUsedAsc},
			minCorrect: 1,
			wantOrder:  []int64{1, 2, 3},
			wantPrizes: []string{"", "first", "second"},
			wantBelow:  []bool{true, false, false},
		},
		{
			name: "an ineligible participant in an equal group makes no unresolved tie",
			// Same time: participants 1 (0 correct) and 2 (4 correct) are equal under the
			// criteria; only 2 can win, so there is nothing for the committee to settle.
			entries:    []Entry{entry(1, 0, nil, 10, 0), entry(2, 4, nil, 10, 0)},
			criteria:   []string{ByTimeUsedAsc},
			minCorrect: 1,
			wantOrder:  []int64{1, 2},
			wantPrizes: []string{"", "first"},
			wantBelow:  []bool{true, false},
		},
		{
			name: "six prizes for seven participants of whom two have 0: four prizes given, two unawarded",
			entries: []Entry{
				entry(1, 10, nil, 1, 0), entry(2, 9, nil, 1, 0), entry(3, 8, nil, 1, 0), entry(4, 7, nil, 1, 0),
				entry(5, 0, nil, 1, 0), entry(6, 0, nil, 2, time.Minute),
			},
			minCorrect: 1,
			wantOrder:  []int64{1, 2, 3, 4, 5, 6},
			wantPrizes: []string{"first", "second", "second", "third", "", ""},
			wantBelow:  []bool{false, false, false, false, true, true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := RankRound(tt.entries, tt.criteria, prizes, tt.minCorrect)
			if err != nil {
				t.Fatal(err)
			}
			var gotPrizes []string
			var gotBelow []bool
			for _, row := range r.Rows {
				gotPrizes = append(gotPrizes, row.Prize)
				gotBelow = append(gotBelow, row.BelowPrizeMinimum)
			}
			if got := order(r); !slices.Equal(got, tt.wantOrder) {
				t.Fatalf("order %v, want %v", got, tt.wantOrder)
			}
			if !slices.Equal(gotPrizes, tt.wantPrizes) || !slices.Equal(gotBelow, tt.wantBelow) {
				t.Fatalf("prizes %q below %v; want %q %v", gotPrizes, gotBelow, tt.wantPrizes, tt.wantBelow)
			}
			if len(r.Ties) != tt.wantTies {
				t.Fatalf("%d unresolved ties, want %d: %+v", len(r.Ties), tt.wantTies, r.Ties)
			}
		})
	}
}
