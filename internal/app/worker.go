package app

import (
	"context"
	"fmt"
	"log/slog"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/worker"
)

// TemporalWorker builds the Temporal worker of the stack's installation on taskQueue; its
// refusals of other installations' tasks go to log. It is not started.
func (s *Stack) TemporalWorker(taskQueue string, log *slog.Logger) sdkworker.Worker {
	return worker.New(s.Temporal, taskQueue, s.Installation, s.Activities(), log)
}

// TaskServer builds the asynq server of the stack's queue. It is not started.
func (s *Stack) TaskServer(log *slog.Logger) *jobs.Server {
	return jobs.NewServer(s.Config.RedisAddr, s.Installation, s.Handlers(), log)
}

// StartWorker starts the worker role: the Temporal worker, the asynq task server, the
// sweeper, and the default campaign's workflow if it is not running yet. stop ends them
// in the reverse order: the sweeper, the task server (running tasks finish), the worker.
func (s *Stack) StartWorker(ctx context.Context) (stop func(), err error) {
	cfg := s.Config
	w := s.TemporalWorker(cfg.TaskQueue, slog.Default().With("component", "installation"))
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	taskServer := s.TaskServer(slog.Default().With("component", "asynq"))
	if err := taskServer.Start(); err != nil {
		w.Stop()
		return nil, fmt.Errorf("start asynq server: %w", err)
	}
	if c, err := s.Store.DefaultCampaign(ctx); err == nil {
		if err := s.Campaigns.Start(ctx, c.ID, false); err != nil {
			slog.Warn("default campaign workflow not started", "campaign", c.Code, "error", err)
		}
	}
	sweepCtx, cancel := context.WithCancel(ctx)
	sweeper := &worker.Sweeper{Store: s.Store, Tasks: s.Tasks, Interval: cfg.SweepInterval, Grace: cfg.SweepGrace, Log: slog.Default()}
	done := make(chan struct{})
	go func() { defer close(done); sweeper.Run(sweepCtx) }()
	slog.Info("worker started", "task_queue", cfg.TaskQueue, "installation", cfg.Installation, "temporal", cfg.TemporalAddress, "redis", cfg.RedisAddr)
	return func() {
		cancel()
		<-done
		taskServer.Shutdown()
		w.Stop()
	}, nil
}
