// Package app is the composition root: it builds one installation's stack (store,
// Temporal client, task queue, notification sender, campaign runner) from a resolved
// configuration, and from it the worker and the HTTP API. The binary (cmd/contest) and the
// integration tests' stacks (internal/testenv) both wire through here, so the tests run
// the wiring production runs. Besides the worker, it is the only package that imports
// activities.
package app

import (
	"errors"
	"log/slog"

	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/notify"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/temporalclient"
)

// Stack is one installation's connections and the services built on them. Close it after
// everything started from it has stopped.
type Stack struct {
	Config       config.Config
	Store        *store.Store
	Temporal     client.Client
	Installation string
	// Tasks is the background task queue (Redis) of the installation.
	Tasks     *jobs.Queue
	Campaigns campaigns.Runner
	Sender    notify.Sender
}

// Options are the parts of the stack that come from the running process rather than from
// the configuration.
type Options struct {
	Temporal temporalclient.Extras
	// Sender delivers notifications; nil builds it from the configuration (the log, and
	// SMTP when SMTP_ADDR is set).
	Sender notify.Sender
}

// New connects the stack of the installation cfg was resolved for (config.ForInstallation)
// on the store st, which the caller keeps and closes.
func New(cfg config.Config, st *store.Store, opts Options) (*Stack, error) {
	if cfg.Installation == "" || cfg.TaskQueue == "" {
		return nil, errors.New("installation or task queue not resolved")
	}
	tc, err := temporalclient.Dial(cfg, opts.Temporal)
	if err != nil {
		return nil, err
	}
	sender := opts.Sender
	if sender == nil {
		sender = senderFromConfig(cfg)
	}
	return &Stack{
		Config: cfg, Store: st, Temporal: tc, Installation: cfg.Installation,
		Tasks:     jobs.NewQueue(cfg.RedisAddr, cfg.Installation),
		Campaigns: campaigns.Runner{Client: tc, TaskQueue: cfg.TaskQueue, Installation: cfg.Installation, Store: st},
		Sender:    sender,
	}, nil
}

func senderFromConfig(cfg config.Config) notify.Sender {
	var sender notify.Sender = notify.LogSender{Log: slog.Default().With("component", "notify")}
	if cfg.SMTPAddr != "" {
		sender = notify.SMTPSender{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, Fallback: sender}
	}
	return sender
}

// Close closes the task queue's Redis connection, then the Temporal client.
func (s *Stack) Close() {
	if err := s.Tasks.Close(); err != nil {
		slog.Warn("close task queue", "error", err)
	}
	s.Temporal.Close()
}

// Activities are the activities the stack's workers run; tests call them directly.
func (s *Stack) Activities() *activities.Activities {
	return &activities.Activities{Store: s.Store, Tasks: s.Tasks}
}

// Handlers are the background task handlers the stack's task server runs.
func (s *Stack) Handlers() *jobs.Handlers {
	return &jobs.Handlers{Store: s.Store, Tasks: s.Tasks, Sender: s.Sender}
}
