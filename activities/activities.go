// Package activities holds the side effects the workflows ask for. Each activity is
// idempotent, because Temporal may run it more than once.
package activities

import (
	"context"
	"errors"
	"fmt"

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

// FinalizeAttemptName is the name FinalizeAttempt is registered under, for workflows that
// run it as a local activity.
const FinalizeAttemptName = "FinalizeAttempt"

// FinalizeAttempt grades and closes an attempt, or returns the result it already has.
func (a *Activities) FinalizeAttempt(ctx context.Context, req FinalizeRequest) (store.Result, error) {
	res, err := a.Store.FinalizeAttempt(ctx, req.AttemptID, func(in store.ClosingInput) store.Closing {
		return DecideClosing(in, req.Manual)
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Result{AttemptID: req.AttemptID, Status: StatusAbandoned}, nil
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
