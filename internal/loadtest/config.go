// Package loadtest drives the public HTTP API with simulated participants and reports
// per-endpoint latency, errors, exam throughput, how late abandoned exams are closed after
// their deadline, and what the stack's processes spent doing it.
//
// It is a benchmark harness, not a test: nothing here asserts a timing. It only talks to
// services on this machine (loopback URLs), and it writes into the target database (the
// default campaign's time limit, synthetic accounts and sessions), so point it at a
// database made for the run (deploy/bench.sh creates one).
package loadtest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Arrival patterns.
const (
	ArrivalSteady = "steady" // participant i arrives at i × Ramp / Participants
	ArrivalBurst  = "burst"  // every participant arrives at a random instant within BurstWindow
)

// Config is one load run.
type Config struct {
	URL          string // API base, e.g. http://127.0.0.1:8080 (loopback only)
	DatabaseURL  string // the database the API serves from (loopback or a local socket only)
	Participants int
	// Concurrency caps how many participants are inside their flow at once (0: no cap).
	// With Think 0 and a burst, it turns the run into a closed loop that measures capacity.
	Concurrency int
	Arrival     string
	Ramp        time.Duration // steady arrivals are spread over this span
	BurstWindow time.Duration // burst arrivals fall in [0, BurstWindow)
	Think       time.Duration // pause before each answer, the prediction and the submit
	Jitter      float64       // think is uniform in Think × [1−Jitter, 1+Jitter]
	// ArrivalsFor stops starting new participants after this long (0: no limit); the
	// participants already inside finish.
	ArrivalsFor time.Duration
	// Duration is the hard cap on the whole run: at Duration everything stops.
	Duration     time.Duration
	AbandonShare float64       // share of participants who leave without submitting (0..1)
	TimeLimit    time.Duration // set on the default campaign before the run
	Poll         time.Duration // how often attempts left open are checked after their deadline
	// WatchGrace is how long after the last deadline an attempt left open may take to be
	// closed before it is reported as not finalized.
	WatchGrace     time.Duration
	RequestTimeout time.Duration
	Label          string
	ServerPID      int    // the API process to account for; 0: every process named contest but this one
	TemporalPID    int    // the Temporal server to account for; 0: every process named temporal
	Seed           uint64 // participant randomness (answers, think times, who abandons); 0: random
	// TemporalMetrics is Temporal's Prometheus endpoint (optional); TaskQueue selects the
	// run's task queue in it.
	TemporalMetrics string
	TaskQueue       string
	// APIMetrics is the API's Prometheus endpoint (its METRICS_ADDR, apart from the public
	// port), read for the dispatch queue and the workflow starts; empty: URL's /metrics.
	APIMetrics string
}

// Validate checks the configuration and that both the API and the database are local.
func (c *Config) Validate() error {
	if err := CheckLoopbackURL(c.URL); err != nil {
		return err
	}
	if err := CheckLocalDatabase(c.DatabaseURL); err != nil {
		return err
	}
	if c.TemporalMetrics != "" {
		if err := CheckLoopbackURL(c.TemporalMetrics); err != nil {
			return fmt.Errorf("--temporal-metrics: %w", err)
		}
	}
	switch {
	case c.Participants <= 0 || c.Participants > 200_000:
		return fmt.Errorf("--participants %d: want 1..200000", c.Participants)
	case c.Concurrency < 0:
		return fmt.Errorf("--concurrency %d: want ≥ 0", c.Concurrency)
	case c.Arrival != ArrivalSteady && c.Arrival != ArrivalBurst:
		return fmt.Errorf("--arrival %q: want steady or burst", c.Arrival)
	case c.Ramp < 0 || c.BurstWindow < 0 || c.Think < 0 || c.ArrivalsFor < 0:
		return fmt.Errorf("durations must not be negative")
	case c.Jitter < 0 || c.Jitter > 1:
		return fmt.Errorf("--jitter %v: want 0..1", c.Jitter)
	case c.AbandonShare < 0 || c.AbandonShare > 1:
		return fmt.Errorf("--abandon-share %v: want 0..1", c.AbandonShare)
	case c.TimeLimit < time.Second:
		return fmt.Errorf("--time-limit %s: want at least 1s", c.TimeLimit)
	case c.Duration <= 0 || c.Duration > 30*time.Minute:
		return fmt.Errorf("--duration %s: want a cap between 0 and 30m", c.Duration)
	case c.Poll <= 0:
		return fmt.Errorf("--poll must be positive")
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	return nil
}

// CheckLoopbackURL refuses any API address that is not on this machine: 127.0.0.0/8,
// ::1 or localhost.
func CheckLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("--url %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("--url %q: want http:// or https://", raw)
	}
	if !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("--url %q: refusing a non-loopback host (only 127.0.0.0/8, ::1 and localhost)", raw)
	}
	return nil
}

// CheckLocalDatabase refuses a database that is not on this machine (loopback TCP or a
// Unix socket), since the harness writes synthetic accounts into it.
func CheckLocalDatabase(raw string) error {
	cfg, err := pgxpool.ParseConfig(raw)
	if err != nil {
		return fmt.Errorf("--database-url: %w", err)
	}
	hosts := []string{cfg.ConnConfig.Host}
	for _, fb := range cfg.ConnConfig.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if !strings.HasPrefix(h, "/") && !isLoopbackHost(h) {
			return fmt.Errorf("--database-url: refusing non-local host %q", h)
		}
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
