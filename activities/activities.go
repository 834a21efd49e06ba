// Package activities holds the side effects the workflows ask for. Each activity is
// idempotent, because Temporal may run it more than once.
package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Activities carries the dependencies every activity needs.
type Activities struct {
	Store *store.Store
	// Tasks enqueues asynq tasks (publication, notifications, reminders) on Redis.
	Tasks *TaskQueue
}

// FinalizeRequest asks to close an attempt; Manual is true when the participant submitted.
type FinalizeRequest struct {
	AttemptID int64
	Manual    bool
}

// StatusAbandoned marks an exam whose attempt was withdrawn because its start failed.
const StatusAbandoned = "abandoned"

// DeadlineNotReachedErrorType is the application error type of an automatic close asked
// for before the database's clock reached the deadline; it is retried.
const DeadlineNotReachedErrorType = "DeadlineNotReached"

// FinalizeAttemptName is the name FinalizeAttempt is registered under, for workflows that
// run it as a local activity.
const FinalizeAttemptName = "FinalizeAttempt"

// FinalizeAttempt grades and closes an attempt, or returns the result it already has.
func (a *Activities) FinalizeAttempt(ctx context.Context, req FinalizeRequest) (store.Result, error) {
	res, err := a.Store.FinalizeAttempt(ctx, req.AttemptID, func(in store.ClosingInput) (store.Closing, error) {
		if !rules.DeadlineReached(req.Manual, in.Now, in.Deadline) {
			return store.Closing{}, &store.DeadlineNotReachedError{AttemptID: req.AttemptID, Remaining: in.Deadline.Sub(in.Now)}
		}
		return DecideClosing(in, req.Manual), nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Result{AttemptID: req.AttemptID, Status: StatusAbandoned}, nil
	}
	var early *store.DeadlineNotReachedError
	if errors.As(err, &early) {
		// Retry once the database's clock has reached the deadline, not on the usual backoff.
		return res, temporal.NewApplicationErrorWithOptions(early.Error(), DeadlineNotReachedErrorType,
			temporal.ApplicationErrorOptions{NextRetryDelay: early.Remaining + 100*time.Millisecond, Cause: err})
	}
	if err != nil {
		return res, fmt.Errorf("finalize attempt %d: %w", req.AttemptID, err)
	}
	return res, nil
}

// DecideClosing applies the grading rules to an attempt's stored state. The API's
// fallback path uses it too, so both paths grade alike.
func DecideClosing(in store.ClosingInput, manual bool) store.Closing {
	answered := make([]rules.AnsweredQuestion, len(in.Questions))
	for i, q := range in.Questions {
		answered[i] = rules.AnsweredQuestion{OptionOrder: q.OptionOrder, Choice: q.Choice, Correct: q.Correct}
	}
	marks, correct := rules.Grade(answered)
	finishedAt, auto, used := rules.Closing(manual, in.Now, in.StartedAt, in.Deadline)
	return store.Closing{FinishedAt: finishedAt, Auto: auto, TimeUsed: used, Marks: marks, CorrectCount: correct}
}
