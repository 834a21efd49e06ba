package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/hpcontest/contest/internal/config"
)

// drainHTTP is the API's answer to SIGTERM: /readyz turns 503 at once, new requests are
// still served for ShutdownDelay (while the load balancer notices), then the listener
// closes and in-flight requests get up to ShutdownTimeout to finish.
func drainHTTP(srv *http.Server, cfg config.Config) error {
	process.draining.Store(true)
	slog.Info("shutting down: readiness off, draining HTTP", "delay", cfg.ShutdownDelay, "timeout", cfg.ShutdownTimeout)
	time.Sleep(cfg.ShutdownDelay)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("drain HTTP server: %w", err)
	}
	slog.Info("HTTP drained")
	return nil
}
