package main

import (
	"context"
	"fmt"
	"log/slog"

	tlog "go.temporal.io/sdk/log"

	"github.com/hpcontest/contest/internal/app"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/temporalclient"
	"github.com/hpcontest/contest/internal/tracing"
)

// withStore reads the configuration, opens the database and hands both to fn.
func withStore(ctx context.Context, fn func(config.Config, *store.Store) error) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DatabaseMaxConns)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(cfg, st)
}

// withStack also resolves the installation (the database's id, and from it the default
// task queue) and builds the installation's stack (internal/app): Temporal, with the one
// set of client options (TLS, metrics, tracing, the installation stamp) every command
// shares, and the task queue.
func withStack(ctx context.Context, fn func(*app.Stack) error) error {
	return withPreparedStack(ctx, nil, fn)
}

// withPreparedStack runs prepare on the database before the installation is read: the
// dev command migrates a fresh database there, since the first migration creates the id.
func withPreparedStack(ctx context.Context, prepare func(*store.Store) error, fn func(*app.Stack) error) error {
	return withStore(ctx, func(cfg config.Config, st *store.Store) error {
		if prepare != nil {
			if err := prepare(st); err != nil {
				return err
			}
		}
		id, err := st.InstallationID(ctx)
		if err != nil {
			return fmt.Errorf("%w (is the database migrated? run `contest migrate`)", err)
		}
		cfg = cfg.ForInstallation(id)
		tr, err := tracing.FromEnv(ctx, cfg.Tracing, serviceName(cfg))
		if err != nil {
			return err
		}
		defer func() {
			if err := tr.Shutdown(); err != nil {
				slog.Warn("flush traces", "error", err)
			}
		}()
		process.tracing = tr
		interceptors, err := tr.TemporalInterceptors()
		if err != nil {
			return err
		}
		stack, err := app.New(cfg, st, app.Options{Temporal: temporalclient.Extras{
			Logger:       tlog.NewStructuredLogger(slog.Default().With("component", "temporal")),
			Metrics:      metrics.NewTemporalHandler(metrics.Registry),
			Interceptors: interceptors,
		}})
		if err != nil {
			return err
		}
		defer stack.Close()
		return fn(stack)
	})
}
