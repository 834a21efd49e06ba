package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/hpcontest/contest/internal/attempts"
	"github.com/hpcontest/contest/internal/store"
)

// Sweeper is the safety net under the normal paths; in normal operation it finds nothing.
// It finalizes attempts whose deadline passed long ago without a result (an exam whose
// workflow could not be started or was terminated), and re-enqueues publications and
// notifications whose asynq task was lost (Redis keeps nothing on disk here), so that a
// Redis outage delays them but loses none.
type Sweeper struct {
	Store *store.Store
	// Tasks re-enqueues lost tasks; without it only attempts are swept.
	Tasks    SweepQueue
	Interval time.Duration
	Grace    time.Duration
	Log      *slog.Logger
}

// SweepQueue is the part of the background task queue (internal/jobs.Queue) the sweeper
// re-enqueues into; enqueuing a task still queued is a no-op.
type SweepQueue interface {
	PublishRound(ctx context.Context, roundID int64) error
	EnqueueSends(ctx context.Context, notificationIDs []int64) error
}

// Run sweeps until ctx ends.
func (s *Sweeper) Run(ctx context.Context) {
	ticker := time.NewTicker(s.Interval)
	defer ticker.Stop()
	for {
		s.sweepOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func (s *Sweeper) sweepOnce(ctx context.Context) {
	s.sweepAttempts(ctx)
	if s.Tasks != nil {
		s.sweepTasks(ctx)
	}
}

func (s *Sweeper) sweepTasks(ctx context.Context) {
	rounds, err := s.Store.ApprovedUnpublishedRounds(ctx, s.Grace)
	if err != nil {
		s.Log.Warn("sweep unpublished rounds", "error", err)
		return
	}
	for _, id := range rounds {
		if err := s.Tasks.PublishRound(ctx, id); err != nil {
			s.Log.Warn("re-enqueue publication", "round_id", id, "error", err)
		}
	}
	unsent, err := s.Store.UnsentNotifications(ctx, s.Grace, 500)
	if err != nil {
		s.Log.Warn("sweep unsent notifications", "error", err)
		return
	}
	if err := s.Tasks.EnqueueSends(ctx, unsent); err != nil {
		s.Log.Warn("re-enqueue notifications", "error", err)
	}
}

func (s *Sweeper) sweepAttempts(ctx context.Context) {
	ids, err := s.Store.OverdueAttempts(ctx, s.Grace, 500)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("sweep overdue attempts", "error", err)
		}
		return
	}
	for _, id := range ids {
		res, err := attempts.Finalizer{Store: s.Store}.Finalize(ctx, id, false)
		if err != nil {
			s.Log.Warn("sweeper could not finalize attempt", "attempt_id", id, "error", err)
			continue
		}
		s.Log.Warn("sweeper finalized an attempt its workflow did not", "attempt_id", id, "status", res.Status)
	}
}
