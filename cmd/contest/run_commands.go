package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/app"
	"github.com/hpcontest/contest/internal/exams"
	"github.com/hpcontest/contest/internal/store"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	bare := fs.Bool("bare", false, "benchmark baseline: no exam workflows; submit finalizes directly, the sweeper closes expired attempts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStack(ctx, func(stack *app.Stack) error {
		if err := refuseDemoAccounts(ctx, stack.Store); err != nil {
			return err
		}
		return serveHTTP(ctx, stack, false, *bare)
	})
}

func runWorker(ctx context.Context, _ []string) error {
	return withStack(ctx, func(stack *app.Stack) error {
		// Started first so that it is stopped last: scrapes see the worker wind down.
		stopMetrics, err := serveMetrics(stack.Config.MetricsAddr, stack.Store, readyUnlessDraining(app.TemporalReady(stack.Temporal)))
		if err != nil {
			return err
		}
		defer stopMetrics()
		stopWorker, err := startWorker(ctx, stack)
		if err != nil {
			return err
		}
		defer stopWorker()
		<-ctx.Done()
		process.draining.Store(true)
		slog.Info("shutting down: stopping the Temporal worker, the asynq server and the sweeper")
		return nil
	})
}

func runDev(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	timeLimit := fs.Duration("time-limit", 0, "exam time limit for a freshly seeded demo campaign")
	bare := fs.Bool("bare", false, "benchmark baseline: no exam workflows; submit finalizes directly, the sweeper closes expired attempts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	migrated := func(st *store.Store) error { return migrate(ctx, st) }
	return withPreparedStack(ctx, migrated, func(stack *app.Stack) error {
		if err := seedDatabase(ctx, stack.Store, true, true, *timeLimit); err != nil {
			return err
		}
		stopWorker, err := startWorker(ctx, stack)
		if err != nil {
			return err
		}
		defer stopWorker()
		return serveHTTP(ctx, stack, true, *bare)
	})
}

// startWorker starts the worker role of the stack (app.Stack.StartWorker) with the
// process's metrics.
func startWorker(ctx context.Context, stack *app.Stack) (stop func(), err error) {
	stack.RegisterMetrics()
	return stack.StartWorker(ctx)
}

// serveHTTP serves the stack's API on HTTP_ADDR until ctx ends, then drains it.
func serveHTTP(ctx context.Context, stack *app.Stack, eager, bare bool) error {
	cfg := stack.Config
	if !cfg.Challenge.Enabled {
		slog.Warn("registration challenge off (CHALLENGE=off): registration asks for no proof of work")
	}
	if bare {
		slog.Warn("bare mode: exams run without workflows (benchmark baseline)")
	}
	stopHashing, err := startHashing(cfg.Hashing)
	if err != nil {
		return err
	}
	defer stopHashing()
	front := stack.NewAPI(app.APIOptions{
		Bare:     bare,
		Dispatch: exams.Options{EagerStart: eager},
		Ready:    readyUnlessDraining(nil),
		Tracing:  process.tracing.Middleware(),
	})
	// Stop calling Temporal only once the HTTP server has drained (defers run last-in
	// first-out).
	defer front.RunDispatcher(context.WithoutCancel(ctx))()
	if err := startPprof(ctx); err != nil {
		return err
	}
	// Stopped after the HTTP server drained: scrapes see the API wind down.
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, stack.Store, readyUnlessDraining(nil))
	if err != nil {
		return err
	}
	defer stopMetrics()
	stack.RegisterMetrics()
	defer front.Close()
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: front.Handler,
		ReadHeaderTimeout: api.ReadHeaderTimeout, ReadTimeout: api.ReadTimeout,
		WriteTimeout: api.WriteTimeout, IdleTimeout: api.IdleTimeout}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR=%s: %w", cfg.HTTPAddr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- api.NewConnectionLimit(cfg.MaxConnections).Serve(srv, ln) }()
	slog.Info("HTTP API listening", "url", "http://"+cfg.HTTPAddr, "task_queue", cfg.TaskQueue, "installation", cfg.Installation,
		"max_connections", cfg.MaxConnections)
	select {
	case err := <-errc:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	return drainHTTP(srv, cfg)
}
