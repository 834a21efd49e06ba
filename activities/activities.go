// Package activities holds the side effects the workflows ask for. Each activity is
// idempotent, because Temporal may run it more than once.
package activities

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/attempts"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// Activities carries the dependencies every activity needs.
type Activities struct {
	Store *store.Store
	// Tasks enqueues the background tasks (publication, reminders) the workflows hand off.
	Tasks Enqueuer
}

// Enqueuer hands work to the background task queue (internal/jobs.Queue on Redis). An
// enqueue of work already queued is a no-op, so a retried activity enqueues nothing new.
type Enqueuer interface {
	PublishRound(ctx context.Context, roundID int64) error
	RemindCommittee(ctx context.Context, r contest.Reminder) error
}

// FinalizeAttempt grades and closes an attempt, or returns the result it already has,
// through the attempts service; it only turns an early close into an error Temporal
// retries when the deadline is reached.
func (a *Activities) FinalizeAttempt(ctx context.Context, req workflows.FinalizeRequest) (workflows.ExamResult, error) {
	res, err := attempts.Finalizer{Store: a.Store}.Finalize(ctx, req.AttemptID, req.Manual)
	return examResult(res), retryableError(err)
}

// retryableError turns an early automatic close into an error Temporal retries once the
// database's clock has reached the deadline, not on the usual backoff; other errors are
// returned as they are.
func retryableError(err error) error {
	var early *store.DeadlineNotReachedError
	if errors.As(err, &early) {
		return temporal.NewApplicationErrorWithOptions(early.Error(), workflows.DeadlineNotReachedErrorType,
			temporal.ApplicationErrorOptions{NextRetryDelay: early.Remaining + 100*time.Millisecond, Cause: err})
	}
	return err
}

// examResult is the workflow's copy of a closed attempt's row.
func examResult(r store.Result) workflows.ExamResult {
	return workflows.ExamResult{AttemptID: r.AttemptID, Status: r.Status, CorrectCount: r.CorrectCount,
		QuestionCount: r.QuestionCount, TimeUsedMS: r.TimeUsedMS, FinishedAt: r.FinishedAt}
}
