package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/loadtest"
)

// runLoadtest handles `contest loadtest`: simulated participants against a local API.
func runLoadtest(ctx context.Context, args []string) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	lt := loadtest.Config{}
	fs.StringVar(&lt.URL, "url", "http://"+cfg.HTTPAddr, "API base URL (loopback only)")
	fs.StringVar(&lt.DatabaseURL, "database-url", cfg.DatabaseURL, "the database the API serves from; the run sets its default campaign's time limit and adds synthetic accounts")
	fs.IntVar(&lt.Participants, "participants", 1000, "simulated participants (accounts and sessions are created directly in the database)")
	fs.IntVar(&lt.Concurrency, "concurrency", 0, "at most this many participants inside their flow at once (0: no cap)")
	fs.StringVar(&lt.Arrival, "arrival", loadtest.ArrivalSteady, "steady (evenly over --ramp) or burst (all within --burst-window)")
	fs.DurationVar(&lt.Ramp, "ramp", 30*time.Second, "steady: arrivals are spread over this span")
	fs.DurationVar(&lt.BurstWindow, "burst-window", 0, "burst: every participant arrives within this window (0: all at once)")
	fs.DurationVar(&lt.Think, "think", 200*time.Millisecond, "pause before each answer, the prediction and the submit")
	fs.Float64Var(&lt.Jitter, "jitter", 0.5, "think time is uniform in think×[1−jitter, 1+jitter]")
	fs.DurationVar(&lt.ArrivalsFor, "arrivals-for", 0, "start no new participant after this long (0: no limit); those inside finish")
	fs.DurationVar(&lt.Duration, "duration", 3*time.Minute, "hard cap on the whole run")
	fs.Float64Var(&lt.AbandonShare, "abandon-share", 0.2, "share of participants who never submit (their attempt closes at its deadline)")
	fs.DurationVar(&lt.TimeLimit, "time-limit", 20*time.Second, "exam time limit set on the default campaign before the run")
	fs.DurationVar(&lt.Poll, "poll", 100*time.Millisecond, "how often attempts left open are looked up after their deadline")
	fs.DurationVar(&lt.WatchGrace, "watch-grace", 90*time.Second, "report attempts still open this long after the last deadline as not finalized")
	fs.DurationVar(&lt.RequestTimeout, "request-timeout", 30*time.Second, "client timeout per request")
	fs.StringVar(&lt.Label, "label", "", "name of the run in the report")
	fs.IntVar(&lt.ServerPID, "server-pid", 0, "pid of the contest process serving the API (0: every process named contest except this one)")
	fs.IntVar(&lt.TemporalPID, "temporal-pid", 0, "pid of the Temporal server the API uses (0: every process named temporal)")
	fs.Uint64Var(&lt.Seed, "seed", 0, "randomness of answers, think times and who abandons (0: random)")
	fs.StringVar(&lt.TemporalMetrics, "temporal-metrics", "", "Temporal's Prometheus endpoint, e.g. http://127.0.0.1:PORT/metrics (optional: adds Temporal's own latencies to the report)")
	fs.StringVar(&lt.TaskQueue, "task-queue", cfg.TaskQueue, "the API's Temporal task queue (selects schedule-to-start latencies in --temporal-metrics); default TEMPORAL_TASK_QUEUE, else see the queue the API logs at start (contest-<installation>)")
	fs.StringVar(&lt.APIMetrics, "api-metrics", "http://"+cfg.MetricsAddr+"/metrics", "the API's Prometheus endpoint (METRICS_ADDR; /metrics is not on the public port)")
	jsonOut := fs.String("json", "", "also write the full result as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	res, err := loadtest.Run(ctx, lt, os.Stderr)
	if err != nil {
		return err
	}
	loadtest.WriteMarkdown(os.Stdout, res)
	fmt.Println(loadtest.SummaryLine(res))
	if *jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// startPprof serves net/http/pprof on PPROF_ADDR (loopback only) when it is set, on its
// own mux and port: the API's router never exposes it.
func startPprof(ctx context.Context) error {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("PPROF_ADDR=%q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("PPROF_ADDR=%q: only a loopback address is allowed", addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("pprof server", "addr", addr, "error", err)
		}
	}()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	slog.Info("pprof listening", "url", "http://"+addr+"/debug/pprof/")
	return nil
}
