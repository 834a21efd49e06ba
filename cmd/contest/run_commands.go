package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/exams"
	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/notify"
	"github.com/hpcontest/contest/internal/ratelimit"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/worker"
)

func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	bare := fs.Bool("bare", false, "benchmark baseline: no exam workflows; submit finalizes directly, the sweeper closes expired attempts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStack(ctx, func(cfg config.Config, st *store.Store, tc client.Client) error {
		if err := refuseDemoAccounts(ctx, st); err != nil {
			return err
		}
		return serveHTTP(ctx, cfg, st, tc, false, *bare)
	})
}

func runWorker(ctx context.Context, _ []string) error {
	return withStack(ctx, func(cfg config.Config, st *store.Store, tc client.Client) error {
		// Started first so that it is stopped last: scrapes see the worker wind down.
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, st, readyUnlessDraining(temporalReady(tc)))
		if err != nil {
			return err
		}
		defer stopMetrics()
		stopWorker, err := startWorker(ctx, cfg, st, tc)
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
	return withPreparedStack(ctx, migrated, func(cfg config.Config, st *store.Store, tc client.Client) error {
		if err := seedDatabase(ctx, st, true, true, *timeLimit); err != nil {
			return err
		}
		stopWorker, err := startWorker(ctx, cfg, st, tc)
		if err != nil {
			return err
		}
		defer stopWorker()
		return serveHTTP(ctx, cfg, st, tc, true, *bare)
	})
}

// runner is the campaign side of this installation; withStack has already resolved its
// id and task queue.
func runner(_ context.Context, cfg config.Config, st *store.Store, tc client.Client) (campaigns.Runner, error) {
	if cfg.Installation == "" || cfg.TaskQueue == "" {
		return campaigns.Runner{}, fmt.Errorf("installation or task queue not resolved")
	}
	return campaigns.Runner{Client: tc, TaskQueue: cfg.TaskQueue, Installation: cfg.Installation, Store: st}, nil
}

// startWorker starts the Temporal worker, the asynq task server, the sweeper, and the
// default campaign's workflow if it is not running yet.
func startWorker(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client) (stop func(), err error) {
	run, err := runner(ctx, cfg, st, tc)
	if err != nil {
		return nil, err
	}
	registerQueueDepth(cfg, st, run.Installation)
	registerStoreMetrics(st)
	tasks := jobs.NewQueue(cfg.RedisAddr, run.Installation)
	acts := &activities.Activities{Store: st, Tasks: tasks}
	w := worker.New(tc, cfg.TaskQueue, run.Installation, acts, slog.Default().With("component", "installation"))
	if err := w.Start(); err != nil {
		tasks.Close()
		return nil, fmt.Errorf("start worker: %w", err)
	}
	var sender notify.Sender = notify.LogSender{Log: slog.Default().With("component", "notify")}
	if cfg.SMTPAddr != "" {
		sender = notify.SMTPSender{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, Fallback: sender}
	}
	taskServer := jobs.NewServer(cfg.RedisAddr, run.Installation,
		&jobs.Handlers{Store: st, Tasks: tasks, Sender: sender}, slog.Default().With("component", "asynq"))
	if err := taskServer.Start(); err != nil {
		w.Stop()
		tasks.Close()
		return nil, fmt.Errorf("start asynq server: %w", err)
	}
	if c, err := st.DefaultCampaign(ctx); err == nil {
		if err := run.Start(ctx, c.ID, false); err != nil {
			slog.Warn("default campaign workflow not started", "campaign", c.Code, "error", err)
		}
	}
	sweepCtx, cancel := context.WithCancel(ctx)
	sweeper := &worker.Sweeper{Store: st, Tasks: tasks, Interval: cfg.SweepInterval, Grace: cfg.SweepGrace, Log: slog.Default()}
	done := make(chan struct{})
	go func() { defer close(done); sweeper.Run(sweepCtx) }()
	slog.Info("worker started", "task_queue", cfg.TaskQueue, "installation", cfg.Installation, "temporal", cfg.TemporalAddress, "redis", cfg.RedisAddr)
	return func() {
		cancel()
		<-done
		taskServer.Shutdown()
		w.Stop()
		tasks.Close()
	}, nil
}

func serveHTTP(ctx context.Context, cfg config.Config, st *store.Store, tc client.Client, eager, bare bool) error {
	run, err := runner(ctx, cfg, st, tc)
	if err != nil {
		return err
	}
	var examRunner api.ExamRunner = api.DirectExams{Store: st}
	if bare {
		slog.Warn("bare mode: exams run without workflows (benchmark baseline)")
	} else {
		dispatcher := exams.New(tc, st, cfg.TaskQueue, run.Installation, exams.Options{EagerStart: eager}, slog.Default().With("component", "exams"))
		examRunner = dispatcher
		dispatchCtx, stopDispatch := context.WithCancel(context.WithoutCancel(ctx))
		dispatched := make(chan struct{})
		go func() { defer close(dispatched); dispatcher.Run(dispatchCtx) }()
		// Stop calling Temporal only once the HTTP server has drained.
		defer func() { stopDispatch(); <-dispatched }()
	}
	if err := startPprof(ctx); err != nil {
		return err
	}
	// Stopped after the HTTP server drained (defers run last-in first-out): scrapes see the
	// API wind down.
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, st, readyUnlessDraining(nil))
	if err != nil {
		return err
	}
	defer stopMetrics()
	registerQueueDepth(cfg, st, run.Installation)
	registerStoreMetrics(st)
	limiter := ratelimit.New(cfg.RedisAddr, jobs.QueueName(run.Installation), slog.Default().With("component", "ratelimit"))
	defer limiter.Close()
	exports := jobs.NewQueue(cfg.RedisAddr, run.Installation)
	defer exports.Close()
	router := api.NewRouter(api.Deps{
		Limiter:       limiter,
		LoginThrottle: limiter,
		Store:         st,
		Exams:         examRunner,
		Campaigns:     run,
		VideoDir:      cfg.VideoDir,
		VideoMaxBytes: cfg.VideoMaxBytes,
		Exports:       exports,
		SessionTTL:    cfg.SessionTTL,
		Ready:         readyUnlessDraining(nil),
		Dependencies: map[string]func(context.Context) error{
			"temporal": temporalReady(tc),
			"redis":    func(ctx context.Context) error { return limiter.Client.Ping(ctx).Err() },
		},
		Tracing:        process.tracing.Middleware(),
		TrustedProxies: cfg.TrustedProxies,
		Challenge:      registrationChallenge(cfg.Challenge, limiter.Client, jobs.QueueName(run.Installation)),
	})
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: router,
		ReadHeaderTimeout: api.ReadHeaderTimeout, ReadTimeout: api.ReadTimeout,
		WriteTimeout: api.WriteTimeout, IdleTimeout: api.IdleTimeout}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR=%s: %w", cfg.HTTPAddr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(api.LimitListener(ln, cfg.MaxConnections)) }()
	slog.Info("HTTP API listening", "url", "http://"+cfg.HTTPAddr, "task_queue", cfg.TaskQueue, "installation", cfg.Installation,
		"max_connections", cfg.MaxConnections)
	select {
	case err := <-errc:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	return drainHTTP(srv, cfg)
}
