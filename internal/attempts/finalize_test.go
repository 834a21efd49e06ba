package attempts

import (
	"slices"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/store"
)

// DecideClosing is what every path that closes an attempt grades with; the workflow's
// activity, the dispatcher and the bare baseline must all agree.
func TestDecideClosing(t *testing.T) {
	start := time.Date(2023, 10, 23, 9, 0, 0, 0, time.UTC)
	deadline := start.Add(10 * time.Minute)
	choice := func(i int) *int { return &i }
	questions := []store.AttemptQuestion{
		{OptionOrder: [4]int{2, 0, 1, 3}, Choice: choice(1), Correct: 0}, // shown second, correct
		{OptionOrder: [4]int{0, 1, 2, 3}, Choice: choice(3), Correct: 2}, // wrong
		{OptionOrder: [4]int{0, 1, 2, 3}, Correct: 1},                    // unanswered
	}
	tests := []struct {
		name     string
		now      time.Time
		manual   bool
		finished time.Time
		auto     bool
	}{
		{"submitted before the deadline ends then", start.Add(4 * time.Minute), true, start.Add(4 * time.Minute), false},
		{"submitted after the deadline ends at it", deadline.Add(time.Second), true, deadline, true},
		{"closed by the timer ends at the deadline", deadline.Add(3 * time.Second), false, deadline, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecideClosing(store.ClosingInput{StartedAt: start, Deadline: deadline, Now: tt.now, Questions: questions}, tt.manual)
			if !got.FinishedAt.Equal(tt.finished) || got.Auto != tt.auto || got.TimeUsed != tt.finished.Sub(start) {
				t.Errorf("closing = %v auto %v used %v, want %v auto %v used %v",
					got.FinishedAt, got.Auto, got.TimeUsed, tt.finished, tt.auto, tt.finished.Sub(start))
			}
			if got.CorrectCount != 1 || !slices.Equal(got.Marks, []bool{true, false, false}) {
				t.Errorf("marks %v, %d correct; want [true false false], 1", got.Marks, got.CorrectCount)
			}
		})
	}
}
