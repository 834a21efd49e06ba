package rules

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2023, 10, 23, 9, 0, 0, 0, time.UTC)

func pred(n int) *int { return &n }

func entry(participant int64, correct int, prediction *int, usedMS int64, finishedAfter time.Duration) Entry {
	return Entry{ParticipantID: participant, AttemptID: participant * 100, CorrectCount: correct, QuestionCount: 10,
		Prediction: prediction, TimeUsedMS: usedMS, FinishedAt: t0.Add(finishedAfter)}
}

func order(r Ranking) []int64 {
	ids := make([]int64, len(r.Rows))
	for i, row := range r.Rows {
		ids[i] = row.ParticipantID
	}
	return ids
}

func TestRankRoundTieBreaks(t *testing.T) {
	sixPrizes := PrizeCounts{First: 1, Second: 2, Third: 3}
	tests := []struct {
		name        string
		entries     []Entry
		criteria    []string
		wantOrder   []int64
		wantPerfect int
	}{
		{
			name: "more correct answers first",
			entries: []Entry{
				entry(1, 8, pred(5), 100_000, 0), entry(2, 10, pred(50), 600_000, time.Hour), entry(3, 9, pred(1), 1_000, 0),
			},
			wantOrder: []int64{2, 3, 1}, wantPerfect: 1,
		},
		{
			name: "then the prediction closest to the real number of perfect scores",
			// two participants score 10/10, so the right answer to the prediction is 2
			entries: []Entry{
				entry(1, 10, pred(7), 100, 0), entry(2, 10, pred(2), 900, 0), entry(3, 10, nil, 50, 0),
				entry(4, 9, pred(3), 10, 0), entry(5, 10, pred(0), 10, 0),
			},
			// perfect = 4 (1, 2, 3, 5): distances 3, 2, none, 4 → 2, 1, 5, 3, then 4 with 9 correct
			wantOrder: []int64{2, 1, 5, 3, 4}, wantPerfect: 4,
		},
		{
			name: "over- and under-predicting by the same amount are equally close",
			entries: []Entry{
				entry(1, 10, pred(3), 500, 0), entry(2, 10, pred(1), 400, 0),
			},
			// perfect = 2: both are 1 away, so time decides
			wantOrder: []int64{2, 1}, wantPerfect: 2,
		},
		{
			name: "then less time used",
			entries: []Entry{
				entry(1, 7, pred(0), 300_000, 0), entry(2, 7, pred(0), 200_000, time.Hour),
			},
			wantOrder: []int64{2, 1},
		},
		{
			name: "then earlier submission",
			entries: []Entry{
				entry(1, 7, pred(0), 300_000, time.Minute), entry(2, 7, pred(0), 300_000, time.Second),
			},
			wantOrder: []int64{2, 1},
		},
		{
			name:     "a campaign may order the criteria differently",
			criteria: []string{ByCorrectDesc, ByTimeUsedAsc},
			entries: []Entry{
				entry(1, 10, pred(1), 300_000, 0), entry(2, 10, pred(9), 200_000, 0),
			},
			wantOrder: []int64{2, 1}, wantPerfect: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := RankRound(tt.entries, tt.criteria, sixPrizes, 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := order(r); !slices.Equal(got, tt.wantOrder) {
				t.Fatalf("order %v, want %v", got, tt.wantOrder)
			}
			if tt.wantPerfect != 0 && r.PerfectCount != tt.wantPerfect {
				t.Fatalf("perfect count %d, want %d", r.PerfectCount, tt.wantPerfect)
			}
		})
	}
}

func TestRankRoundBestAttemptCountsAndOnePrizePerParticipant(t *testing.T) {
	entries := []Entry{
		{ParticipantID: 1, AttemptID: 11, CorrectCount: 6, QuestionCount: 10, TimeUsedMS: 100, FinishedAt: t0},
		{ParticipantID: 1, AttemptID: 12, CorrectCount: 9, QuestionCount: 10, TimeUsedMS: 500, FinishedAt: t0},
		{ParticipantID: 1, AttemptID: 13, CorrectCount: 9, QuestionCount: 10, TimeUsedMS: 400, FinishedAt: t0},
		{ParticipantID: 2, AttemptID: 21, CorrectCount: 8, QuestionCount: 10, TimeUsedMS: 100, FinishedAt: t0},
	}
	r, err := RankRound(entries, nil, PrizeCounts{First: 1, Second: 2, Third: 3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 2 {
		t.Fatalf("%d rows, want one per participant", len(r.Rows))
	}
	if r.Rows[0].ParticipantID != 1 || r.Rows[0].AttemptID != 13 || r.Rows[0].Prize != PrizeFirst {
		t.Fatalf("first row %+v, want participant 1's attempt 13 with the first prize", r.Rows[0])
	}
	if r.Rows[1].Prize != PrizeSecond {
		t.Fatalf("second row prize %q", r.Rows[1].Prize)
	}
}

func TestRankRoundPrizesAndTies(t *testing.T) {
	prizes := PrizeCounts{First: 1, Second: 2, Third: 3}
	same := func(id int64) Entry { return entry(id, 9, pred(0), 300_000, time.Minute) }
	tests := []struct {
		name       string
		entries    []Entry
		wantPrizes []string
		wantTies   int
		wantRanks  []int
	}{
		{
			name: "six prizes to the first six",
			entries: []Entry{
				entry(1, 10, pred(1), 1, 0), entry(2, 9, pred(1), 1, 0), entry(3, 8, pred(1), 1, 0),
				entry(4, 7, pred(1), 1, 0), entry(5, 6, pred(1), 1, 0), entry(6, 5, pred(1), 1, 0), entry(7, 4, pred(1), 1, 0),
			},
			wantPrizes: []string{"first", "second", "second", "third", "third", "third", ""},
			wantRanks:  []int{1, 2, 3, 4, 5, 6, 7},
		},
		{
			name:       "fewer participants than prizes",
			entries:    []Entry{entry(1, 3, nil, 1, 0), entry(2, 2, nil, 1, 0)},
			wantPrizes: []string{"first", "second"},
			wantRanks:  []int{1, 2},
		},
		{
			name: "a tie inside one prize level is no problem",
			entries: []Entry{
				entry(1, 10, pred(1), 1, 0), same(2), same(3),
			},
			wantPrizes: []string{"first", "second", "second"},
			wantRanks:  []int{1, 2, 2},
		},
		{
			name:       "a tie across the first/second boundary is reported, not broken silently",
			entries:    []Entry{same(1), same(2), entry(3, 1, nil, 1, 0)},
			wantPrizes: []string{"first", "second", "second"},
			wantTies:   1,
			wantRanks:  []int{1, 1, 3},
		},
		{
			name: "a tie across the last prize is reported",
			entries: []Entry{
				entry(1, 10, pred(1), 1, 0), entry(2, 10, pred(1), 2, 0), entry(3, 10, pred(1), 3, 0),
				entry(4, 10, pred(1), 4, 0), entry(5, 10, pred(1), 5, 0), same(6), same(7),
			},
			wantPrizes: []string{"first", "second", "second", "third", "third", "third", ""},
			wantTies:   1,
			wantRanks:  []int{1, 2, 3, 4, 5, 6, 6},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := RankRound(tt.entries, nil, prizes, 1)
			if err != nil {
				t.Fatal(err)
			}
			var gotPrizes []string
			var gotRanks []int
			for _, row := range r.Rows {
				gotPrizes = append(gotPrizes, row.Prize)
				gotRanks = append(gotRanks, row.Rank)
			}
			if !slices.Equal(gotPrizes, tt.wantPrizes) || !slices.Equal(gotRanks, tt.wantRanks) {
				t.Fatalf("prizes %q ranks %v; want %q %v", gotPrizes, gotRanks, tt.wantPrizes, tt.wantRanks)
			}
			if len(r.Ties) != tt.wantTies {
				t.Fatalf("%d unresolved ties, want %d: %+v", len(r.Ties), tt.wantTies, r.Ties)
			}
			for _, tie := range r.Ties {
				for _, row := range r.Rows {
					if slices.Contains(tie.ParticipantIDs, row.ParticipantID) != row.UnresolvedTie {
						t.Fatalf("row %d tie flag %v inconsistent with %+v", row.ParticipantID, row.UnresolvedTie, tie)
					}
				}
			}
		})
	}
}

func TestRankRoundRejectsUnknownCriterion(t *testing.T) {
	if _, err := RankRound(nil, []string{"alphabetical"}, PrizeCounts{}, 1); err == nil {
		t.Fatal("unknown criterion accepted")
	}
}

func syntheticRound(n int) []Entry {
	rng := rand.New(rand.NewPCG(1, 1))
	entries := make([]Entry, n)
	for i := range entries {
		p := rng.IntN(500)
		entries[i] = Entry{ParticipantID: int64(i + 1), AttemptID: int64(i + 1), CorrectCount: rng.IntN(11), QuestionCount: 10,
			Prediction: &p, TimeUsedMS: int64(rng.IntN(630_000)), FinishedAt: t0.Add(time.Duration(rng.IntN(7*24*3600)) * time.Second)}
	}
	return entries
}

// BenchmarkRankRound100k ranks a round of 100,000 attempts (the scale target).
func BenchmarkRankRound100k(b *testing.B) {
	entries := syntheticRound(100_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := RankRound(entries, nil, PrizeCounts{First: 1, Second: 2, Third: 3}, 1); err != nil {
			b.Fatal(err)
		}
	}
}
