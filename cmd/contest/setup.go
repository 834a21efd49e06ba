package main

import (
	"context"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/store"
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

// withStack also connects to Temporal.
func withStack(ctx context.Context, fn func(config.Config, *store.Store, client.Client) error) error {
	return withStore(ctx, func(cfg config.Config, st *store.Store) error {
		tc, err := client.Dial(client.Options{
			HostPort:  cfg.TemporalAddress,
			Namespace: cfg.TemporalNamespace,
			Logger:    tlog.NewStructuredLogger(slog.Default().With("component", "temporal")),
		})
		if err != nil {
			return fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
		}
		defer tc.Close()
		return fn(cfg, st, tc)
	})
}
