package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/worker"
)

func runServe(ctx context.Context, _ []string) error {
	return withStack(ctx, func(cfg config.Config, st *store.Store, tc client.Client) error {
		return serveHTTP(ctx, cfg, st, tc, false)
	})
}

func runWorker(ctx context.Context, _ []string) error {
	return withStack(ctx, func(cfg config.Config, st *store.Store, tc client.Client) error {
		stopWorker, err := startWorker(ctx, cfg, st, tc)
		if err != nil {
			return err
		}
		defer stopWorker()
		<-ctx.Done()
		return nil
	})
}

func runDev(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	timeLimit := fs.Duration("time-limit", 0, "exam time limit for a freshly seeded demo campaign")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStack(ctx, func(cfg config.Config, st *store.Store, tc client.Client) error {
		if err := migrate(ctx, st); err != nil {
			return err
		}
		if err := seedDatabase(ctx, st, true, true, *timeLimit); err != nil {
			return err
		}
		stopWorker, err := startWorker(ctx, cfg, st, tc)
		if err != nil {
			return err
		}
		defer stopWorker()
		return serveHTTP(ctx, cfg, st, tc, true)
	})
}

// startWorker starts the Temporal worker and the overdue-attempt sweeper.
func startWorker(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client) (stop func(), err error) {
	acts := &activities.Activities{Store: st}
	w := worker.New(tc, cfg.TaskQueue, acts)
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	sweepCtx, cancel := context.WithCancel(ctx)
	sweeper := &worker.Sweeper{Activities: acts, Interval: cfg.SweepInterval, Grace: cfg.SweepGrace, Log: slog.Default()}
	done := make(chan struct{})
	go func() { defer close(done); sweeper.Run(sweepCtx) }()
	slog.Info("worker started", "task_queue", cfg.TaskQueue, "temporal", cfg.TemporalAddress)
	return func() { cancel(); <-done; w.Stop() }, nil
}

func serveHTTP(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client, eager bool) error {
	installation, err := st.InstallationID(ctx)
	if err != nil {
		return err
	}
	router := api.NewRouter(api.Deps{
		Store:      st,
		Exams:      api.TemporalExams{Client: tc, TaskQueue: cfg.TaskQueue, Installation: installation, EagerStart: eager},
		SessionTTL: cfg.SessionTTL,
		Ready: func(ctx context.Context) error {
			_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		},
	})
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: router, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("HTTP API listening", "url", "http://"+cfg.HTTPAddr)
	select {
	case err := <-errc:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("drain HTTP server: %w", err)
	}
	return nil
}
