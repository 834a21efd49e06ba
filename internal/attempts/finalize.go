// Package attempts is the application service that closes attempts. Every path that ends
// an exam goes through it: the exam workflow's activity, the dispatcher on a submission,
// the bare baseline without an orchestrator, the ranking of a round and the sweeper, so
// that all of them grade alike and close an attempt once.
package attempts

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Finalizer grades and closes attempts in PostgreSQL.
type Finalizer struct {
	Store *store.Store
}

// Finalize grades and closes an attempt, or returns the result it already has; manual is
// true when the participant submitted. An attempt that no longer exists (withdrawn
// because its exam could not start) comes back abandoned. An automatic close asked for
// before the database's clock reached the deadline fails with a
// *store.DeadlineNotReachedError, which says how long remains.
func (f Finalizer) Finalize(ctx context.Context, attemptID int64, manual bool) (contest.Result, error) {
	res, err := f.Store.FinalizeAttempt(ctx, attemptID, func(in store.ClosingInput) (store.Closing, error) {
		if !rules.DeadlineReached(manual, in.Now, in.Deadline) {
			return store.Closing{}, &store.DeadlineNotReachedError{AttemptID: attemptID, Remaining: in.Deadline.Sub(in.Now)}
		}
		return DecideClosing(in, manual), nil
	})
	if errors.Is(err, contest.ErrNotFound) {
		return contest.Result{AttemptID: attemptID, Status: contest.StatusAbandoned}, nil
	}
	var early *store.DeadlineNotReachedError
	if errors.As(err, &early) {
		return res, err
	}
	if err != nil {
		return res, fmt.Errorf("finalize attempt %d: %w", attemptID, err)
	}
	return res, nil
}

// DecideClosing applies the grading rules to an attempt's stored state.
func DecideClosing(in store.ClosingInput, manual bool) store.Closing {
	answered := make([]rules.AnsweredQuestion, len(in.Questions))
	for i, q := range in.Questions {
		answered[i] = rules.AnsweredQuestion{OptionOrder: q.OptionOrder, Choice: q.Choice, Correct: q.Correct}
	}
	marks, correct := rules.Grade(answered)
	finishedAt, auto, used := rules.Closing(manual, in.Now, in.StartedAt, in.Deadline)
	return store.Closing{FinishedAt: finishedAt, Auto: auto, TimeUsed: used, Marks: marks, CorrectCount: correct}
}
