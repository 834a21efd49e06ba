package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/exams"
	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/ratelimit"
)

// APIOptions shape the HTTP API beyond what the configuration says.
type APIOptions struct {
	// Bare runs exams without workflows (the benchmark baseline): a submit finalizes
	// directly and the sweeper closes expired attempts.
	Bare bool
	// Dispatch tunes the exam dispatcher.
	Dispatch exams.Options
	// WrapExamClient wraps the Temporal client the exam dispatcher calls (tests count or
	// fail its calls); nil calls the stack's client.
	WrapExamClient func(client.Client) client.Client
	// LimiterRedis is where the rate limiter counts; the configuration's Redis when empty.
	LimiterRedis string
	// Limits are the abuse limits (api.DefaultLimits when zero).
	Limits api.Limits
	// Ready and Tracing go to api.Deps as they are.
	Ready   func(context.Context) error
	Tracing gin.HandlerFunc
}

// API is the HTTP API of a stack: its handler, and the exam dispatcher behind it, which
// must be run (RunDispatcher) for exam workflows to start.
type API struct {
	Handler http.Handler
	// Dispatcher starts and signals the exam workflows; nil in bare mode.
	Dispatcher   *exams.Dispatcher
	limiter      *ratelimit.Limiter
	stopSessions context.CancelFunc
}

// NewDispatcher makes an exam dispatcher of the stack's installation calling tc.
func (s *Stack) NewDispatcher(tc client.Client, opts exams.Options) *exams.Dispatcher {
	return exams.New(tc, s.Store, s.Config.TaskQueue, s.Installation, opts, slog.Default().With("component", "exams"))
}

// NewAPI builds the HTTP API: the rate limiter, the registration challenge, the exam
// runner (the dispatcher, or the bare baseline) and the router. Close releases the limiter.
func (s *Stack) NewAPI(opts APIOptions) *API {
	cfg := s.Config
	limiterAddr := opts.LimiterRedis
	if limiterAddr == "" {
		limiterAddr = cfg.RedisAddr
	}
	prefix := jobs.QueueName(s.Installation)
	limiter := ratelimit.New(limiterAddr, prefix, slog.Default().With("component", "ratelimit"))
	a := &API{limiter: limiter}
	sessionsCtx, stopSessions := context.WithCancel(context.Background())
	s.Store.CacheSessions(sessionsCtx, cfg.SessionCacheTTL, slog.Default().With("component", "sessions"))
	a.stopSessions = stopSessions
	var examRunner api.ExamRunner = api.DirectExams{Store: s.Store}
	if !opts.Bare {
		examClient := s.Temporal
		if opts.WrapExamClient != nil {
			examClient = opts.WrapExamClient(examClient)
		}
		a.Dispatcher = s.NewDispatcher(examClient, opts.Dispatch)
		examRunner = a.Dispatcher
	}
	a.Handler = api.NewRouter(api.Deps{
		Limiter:        ratelimit.NewShared(limiter),
		LoginThrottle:  limiter,
		Limits:         opts.Limits,
		Store:          s.Store,
		Exams:          examRunner,
		Campaigns:      s.Campaigns,
		VideoDir:       cfg.VideoDir,
		VideoMaxBytes:  cfg.VideoMaxBytes,
		Exports:        s.Tasks,
		SessionTTL:     cfg.SessionTTL,
		Ready:          opts.Ready,
		Dependencies:   map[string]func(context.Context) error{"temporal": TemporalReady(s.Temporal), "redis": func(ctx context.Context) error { return limiter.Client.Ping(ctx).Err() }},
		Tracing:        opts.Tracing,
		TrustedProxies: cfg.TrustedProxies,
		Challenge:      registrationChallenge(cfg.Challenge, limiter.Client, prefix),
		RetryTickets:   retryTickets(cfg.Challenge.Secret),
	})
	return a
}

// RunDispatcher runs the exam dispatcher until stop, which waits for it; nothing in bare
// mode. Stop it after the HTTP server has drained, so no request queues a call it drops.
func (a *API) RunDispatcher(ctx context.Context) (stop func()) {
	return RunDispatcher(ctx, a.Dispatcher)
}

// RunDispatcher runs d until stop, which waits for it; a nil d runs nothing.
func RunDispatcher(ctx context.Context, d *exams.Dispatcher) (stop func()) {
	if d == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	return func() { cancel(); <-done }
}

// Close stops the session cache's listener and releases the rate limiter's Redis connection.
func (a *API) Close() error {
	a.stopSessions()
	return a.limiter.Close()
}

// TemporalReady is the readiness check of the Temporal connection.
func TemporalReady(tc client.Client) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := tc.CheckHealth(ctx, &client.CheckHealthRequest{})
		return err
	}
}
