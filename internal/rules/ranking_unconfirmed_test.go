package rules

import (
	"testing"
	"time"
)

// An unconfirmed account (not on its agency's roster) is ranked in its place but wins
// nothing: the prize goes to the next eligible participant.
func TestRankRoundUnconfirmedWinsNothing(t *testing.T) {
	at := time.Date(2023, 10, 23, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		entries    []Entry
		wantPrizes map[int64]string
	}{
		{"the best is unconfirmed", []Entry{
			{ParticipantID: 1, AttemptID: 1, CorrectCount: 10, QuestionCount: 10, TimeUsedMS: 1000, FinishedAt: at, Unconfirmed: true},
			{ParticipantID: 2, AttemptID: 2, CorrectCount: 9, QuestionCount: 10, TimeUsedMS: 1000, FinishedAt: at},
			{ParticipantID: 3, AttemptID: 3, CorrectCount: 8, QuestionCount: 10, TimeUsedMS: 1000, FinishedAt: at},
		}, map[int64]string{1: "", 2: PrizeFirst, 3: PrizeSecond}},
		{"nobody unconfirmed", []Entry{
			{ParticipantID: 1, AttemptID: 1, CorrectCount: 10, QuestionCount: 10, TimeUsedMS: 1000, FinishedAt: at},
			{ParticipantID: 2, AttemptID: 2, CorrectCount: 9, QuestionCount: 10, TimeUsedMS: 1000, FinishedAt: at},
		}, map[int64]string{1: PrizeFirst, 2: PrizeSecond}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := RankRound(c.entries, nil, PrizeCounts{First: 1, Second: 1}, 1)
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range r.Rows {
				if row.Rank != i+1 {
					t.Errorf("participant %d ranked %d, want %d", row.ParticipantID, row.Rank, i+1)
				}
				if row.Prize != c.wantPrizes[row.ParticipantID] {
					t.Errorf("participant %d prize %q, want %q", row.ParticipantID, row.Prize, c.wantPrizes[row.ParticipantID])
				}
			}
		})
	}
}
