package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/hpcontest/contest/activities"
)

// Sweeper finalizes attempts whose deadline passed long ago without a result. In normal
// operation it finds nothing: every attempt has a workflow whose timer closes it. It exists
// for the exam whose workflow could not be started or was terminated by an operator.
type Sweeper struct {
	Activities *activities.Activities
	Interval   time.Duration
	Grace      time.Duration
	Log        *slog.Logger
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
	ids, err := s.Activities.Store.OverdueAttempts(ctx, s.Grace, 500)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Warn("sweep overdue attempts", "error", err)
		}
		return
	}
	for _, id := range ids {
		res, err := s.Activities.FinalizeAttempt(ctx, activities.FinalizeRequest{AttemptID: id})
		if err != nil {
			s.Log.Warn("sweeper could not finalize attempt", "attempt_id", id, "error", err)
			continue
		}
		s.Log.Warn("sweeper finalized an attempt its workflow did not", "attempt_id", id, "status", res.Status)
	}
}
