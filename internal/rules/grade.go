package rules

import "time"

// AnsweredQuestion is one question of an attempt as stored: the display order of its
// options, the participant's choice (display position, nil when unanswered) and the
// original index of the correct option.
type AnsweredQuestion struct {
	OptionOrder [OptionCount]int
	Choice      *int
	Correct     int
}

// Grade marks each question and counts the correct answers. An unanswered question is wrong.
func Grade(questions []AnsweredQuestion) (marks []bool, correctCount int) {
	marks = make([]bool, len(questions))
	for i, q := range questions {
		if q.Choice == nil || *q.Choice < 0 || *q.Choice >= OptionCount {
			continue
		}
		if q.OptionOrder[*q.Choice] == q.Correct {
			marks[i] = true
			correctCount++
		}
	}
	return marks, correctCount
}

// CorrectKey returns the letter under which the correct option was shown.
func CorrectKey(q AnsweredQuestion) string {
	for k, original := range q.OptionOrder {
		if original == q.Correct {
			return OptionKey(k)
		}
	}
	return ""
}

// DeadlineReached tells whether an attempt may be closed now: a participant's own submit
// always may; an automatic close only once now, the database's clock, has reached the
// deadline, whatever the clock of the host that asked for it says.
func DeadlineReached(requestedManually bool, now, deadline time.Time) bool {
	return requestedManually || !now.Before(deadline)
}

// Closing decides how an attempt ends. A submission requested before the deadline ends
// at the moment of the request; anything else ends at the deadline, as an automatic
// submission, because the server's clock owns the time limit.
func Closing(requestedManually bool, now, startedAt, deadline time.Time) (finishedAt time.Time, auto bool, timeUsed time.Duration) {
	if requestedManually && now.Before(deadline) {
		finishedAt = now
	} else {
		finishedAt, auto = deadline, true
	}
	if finishedAt.Before(startedAt) {
		finishedAt = startedAt
	}
	return finishedAt, auto, finishedAt.Sub(startedAt)
}
