package rules

import (
	"slices"
	"testing"
	"time"
)

func choice(i int) *int { return &i }

func TestGrade(t *testing.T) {
	identity := [4]int{0, 1, 2, 3}
	shuffled := [4]int{2, 0, 3, 1} // key A shows original C, B shows A, C shows D, D shows B
	tests := []struct {
		name      string
		questions []AnsweredQuestion
		wantMarks []bool
		wantCount int
	}{
		{name: "no questions", questions: nil, wantMarks: []bool{}, wantCount: 0},
		{
			name: "right and wrong in display order",
			questions: []AnsweredQuestion{
				{OptionOrder: identity, Choice: choice(1), Correct: 1},
				{OptionOrder: identity, Choice: choice(2), Correct: 1},
			},
			wantMarks: []bool{true, false}, wantCount: 1,
		},
		{
			name: "shuffled options are mapped back before comparing",
			questions: []AnsweredQuestion{
				{OptionOrder: shuffled, Choice: choice(0), Correct: 2}, // A shows C: right
				{OptionOrder: shuffled, Choice: choice(2), Correct: 2}, // C shows D: wrong
				{OptionOrder: shuffled, Choice: choice(3), Correct: 1}, // D shows B: right
			},
			wantMarks: []bool{true, false, true}, wantCount: 2,
		},
		{
			name: "unanswered is wrong",
			questions: []AnsweredQuestion{
				{OptionOrder: identity, Choice: nil, Correct: 0},
			},
			wantMarks: []bool{false}, wantCount: 0,
		},
		{
			name: "out of range choice is wrong, not a panic",
			questions: []AnsweredQuestion{
				{OptionOrder: identity, Choice: choice(7), Correct: 0},
				{OptionOrder: identity, Choice: choice(-1), Correct: 0},
			},
			wantMarks: []bool{false, false}, wantCount: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marks, count := Grade(tt.questions)
			if !slices.Equal(marks, tt.wantMarks) || count != tt.wantCount {
				t.Fatalf("Grade = %v, %d; want %v, %d", marks, count, tt.wantMarks, tt.wantCount)
			}
		})
	}
}

func TestCorrectKey(t *testing.T) {
	q := AnsweredQuestion{OptionOrder: [4]int{2, 0, 3, 1}, Correct: 3}
	if got := CorrectKey(q); got != "C" {
		t.Fatalf("CorrectKey = %q, want C", got)
	}
}

func TestClosing(t *testing.T) {
	start := time.Date(2023, 10, 23, 8, 0, 0, 0, time.UTC)
	deadline := start.Add(630 * time.Second)
	tests := []struct {
		name         string
		manual       bool
		now          time.Time
		wantFinished time.Time
		wantAuto     bool
	}{
		{"submitted early", true, start.Add(5 * time.Minute), start.Add(5 * time.Minute), false},
		{"submitted at the last moment", true, deadline.Add(-time.Millisecond), deadline.Add(-time.Millisecond), false},
		{"submit arriving at the deadline counts as automatic", true, deadline, deadline, true},
		{"submit arriving late is closed at the deadline", true, deadline.Add(3 * time.Second), deadline, true},
		{"timer fired", false, deadline.Add(40 * time.Millisecond), deadline, true},
		{"sweeper long after", false, deadline.Add(time.Hour), deadline, true},
		{"clock skew before start is clamped", true, start.Add(-time.Second), start, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			finished, auto, used := Closing(tt.manual, tt.now, start, deadline)
			if !finished.Equal(tt.wantFinished) || auto != tt.wantAuto || used != tt.wantFinished.Sub(start) {
				t.Fatalf("Closing = %v, %v, %v; want %v, %v, %v", finished, auto, used,
					tt.wantFinished, tt.wantAuto, tt.wantFinished.Sub(start))
			}
		})
	}
}

func TestDeadlineReached(t *testing.T) {
	deadline := time.Date(2023, 7, 3, 8, 10, 0, 0, time.UTC)
	tests := []struct {
		name   string
		manual bool
		now    time.Time
		want   bool
	}{
		{"participant submits before the deadline", true, deadline.Add(-time.Minute), true},
		{"automatic close before the deadline on the database clock", false, deadline.Add(-time.Second), false},
		{"automatic close at the deadline", false, deadline, true},
		{"automatic close after the deadline", false, deadline.Add(time.Second), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeadlineReached(tt.manual, tt.now, deadline); got != tt.want {
				t.Errorf("DeadlineReached(%v, %s) = %v, want %v", tt.manual, tt.now, got, tt.want)
			}
		})
	}
}
