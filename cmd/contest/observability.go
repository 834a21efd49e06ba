package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sync/atomic"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/logging"
	"github.com/hpcontest/contest/internal/tracing"
)

// process is what is set up once per process and read by the commands: the tracing set
// up by withStack, and whether SIGTERM has arrived (readiness answers 503 from then on).
var process struct {
	command  string
	tracing  *tracing.Tracing
	draining atomic.Bool
}

// setupLogging installs the default logger: JSON for the long-running serve and worker
// (log collectors parse it), text for dev and the one-shot commands a person reads.
func setupLogging(command string) error {
	fallback := "text"
	if command == "serve" || command == "worker" {
		fallback = "json"
	}
	format, level, err := config.Logging(fallback)
	slog.SetDefault(logging.New(os.Stderr, format, level))
	return err
}

// serviceName is OTEL_SERVICE_NAME, else one name per kind of process.
func serviceName(cfg config.Config) string {
	if cfg.ServiceName != "" {
		return cfg.ServiceName
	}
	switch process.command {
	case "serve":
		return "contest-api"
	case "worker":
		return "contest-worker"
	}
	return "contest-" + process.command
}

// readyUnlessDraining wraps a readiness check so that it fails as soon as the process
// is shutting down: a load balancer stops sending before the listener closes.
func readyUnlessDraining(check func(ctx context.Context) error) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if process.draining.Load() {
			return errShuttingDown
		}
		if check == nil {
			return nil
		}
		return check(ctx)
	}
}

var errShuttingDown = errors.New("shutting down")
