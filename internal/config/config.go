// Package config reads the process configuration from the environment.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hpcontest/contest/internal/installation"
)

// Config is everything a contest process needs to know about its surroundings.
type Config struct {
	DatabaseURL       string
	DatabaseMaxConns  int32
	RedisAddr         string
	TemporalAddress   string
	TemporalNamespace string
	// TaskQueue is TEMPORAL_TASK_QUEUE; when that is unset it stays empty until
	// ForInstallation derives it from the database's installation id.
	TaskQueue string
	// Installation is the database's installation id (set by ForInstallation): it names
	// the default task queue and is stamped on every workflow this process starts.
	Installation string
	HTTPAddr     string
	SessionTTL   time.Duration
	// SessionCacheTTL is how long an API process may reuse a session it resolved
	// (SESSION_CACHE_TTL, 0 turns the cache off); changes evict at once, see store.CacheSessions.
	SessionCacheTTL time.Duration
	// SweepInterval is how often a worker looks for exams whose deadline passed without
	// a result (a lost workflow); SweepGrace is how late one must be to count.
	SweepInterval time.Duration
	SweepGrace    time.Duration
	// VideoDir holds uploaded video clips; VideoMaxBytes bounds one upload.
	VideoDir      string
	VideoMaxBytes int64
	// SMTP delivers notifications by e-mail when SMTPAddr is set; otherwise they are logged.
	SMTPAddr, SMTPFrom, SMTPUsername, SMTPPassword string
	// TemporalTLS secures the connection to a Temporal server outside the machine.
	TemporalTLS TemporalTLS
	// MetricsAddr is where a worker process (which has no API) serves /metrics, /healthz
	// and /readyz; empty disables it.
	MetricsAddr string
	// ShutdownTimeout bounds how long in-flight HTTP requests may take to finish after
	// SIGTERM; ShutdownDelay is how long /readyz answers 503 before that, so a load
	// balancer stops sending new requests first.
	ShutdownTimeout time.Duration
	ShutdownDelay   time.Duration
	// Tracing exports OpenTelemetry traces when set (OTEL_EXPORTER_OTLP_ENDPOINT or
	// OTEL_TRACES_EXPORTER=otlp); the exporter reads the other OTEL_* variables itself.
	Tracing bool
	// ServiceName is OTEL_SERVICE_NAME; empty means the command picks contest-api or
	// contest-worker.
	ServiceName string
	// TrustedProxies is TRUSTED_PROXIES: the CIDRs of the reverse proxies whose
	// X-Forwarded-For / X-Real-IP headers are believed. Empty (the default) believes none,
	// so a client cannot choose the address its rate limits and audit entries carry.
	TrustedProxies []string
	// Challenge is the proof of work registration asks for (internal/challenge).
	Challenge ChallengeConfig
	// MaxConnections caps the API listener's open connections (MAX_CONNECTIONS); 0 means
	// no cap.
	MaxConnections int
	// Hashing is where and how many password hashes run (HASH_PROCESS, HASH_WORKERS).
	Hashing HashingConfig
}

// ChallengeConfig is CHALLENGE (on, or off for tests and benchmarks), CHALLENGE_SECRET
// (HMAC key; every replica must share it, a random one is made when unset),
// CHALLENGE_DIFFICULTY (leading zero bits) and CHALLENGE_TTL.
type ChallengeConfig struct {
	Enabled    bool
	Secret     string
	Difficulty int
	TTL        time.Duration
}

// TemporalTLS holds file paths and secrets for the Temporal client connection. Any of
// them set turns TLS on.
type TemporalTLS struct {
	CertFile   string // TEMPORAL_TLS_CERT: client certificate (mTLS), PEM
	KeyFile    string // TEMPORAL_TLS_KEY: its private key, PEM
	CAFile     string // TEMPORAL_TLS_CA: CA that signed the server's certificate, PEM
	ServerName string // TEMPORAL_TLS_SERVER_NAME: name expected in the server's certificate
	APIKey     string // TEMPORAL_API_KEY: Temporal Cloud API key (implies TLS)
}

// Enabled reports whether the client must speak TLS.
func (t TemporalTLS) Enabled() bool {
	return t.CertFile != "" || t.KeyFile != "" || t.CAFile != "" || t.ServerName != "" || t.APIKey != ""
}

// FromEnv reads the configuration, with defaults that match deploy/dev-services.sh.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:       env("DATABASE_URL", "postgres://contest:contest@127.0.0.1:5432/contest?sslmode=disable"),
		RedisAddr:         env("REDIS_ADDR", "127.0.0.1:6379"),
		TemporalAddress:   env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: env("TEMPORAL_NAMESPACE", "default"),
		TaskQueue:         os.Getenv("TEMPORAL_TASK_QUEUE"),
		HTTPAddr:          env("HTTP_ADDR", "127.0.0.1:8080"),
		SMTPAddr:          os.Getenv("SMTP_ADDR"),
		SMTPFrom:          env("SMTP_FROM", "hoithi@localhost"),
		SMTPUsername:      os.Getenv("SMTP_USERNAME"),
		SMTPPassword:      os.Getenv("SMTP_PASSWORD"),
		TemporalTLS: TemporalTLS{
			CertFile:   os.Getenv("TEMPORAL_TLS_CERT"),
			KeyFile:    os.Getenv("TEMPORAL_TLS_KEY"),
			CAFile:     os.Getenv("TEMPORAL_TLS_CA"),
			ServerName: os.Getenv("TEMPORAL_TLS_SERVER_NAME"),
			APIKey:     os.Getenv("TEMPORAL_API_KEY"),
		},
		MetricsAddr: envOr("METRICS_ADDR", "127.0.0.1:9091"),
		Tracing:     os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" || os.Getenv("OTEL_TRACES_EXPORTER") == "otlp",
		ServiceName: os.Getenv("OTEL_SERVICE_NAME"),
	}
	if os.Getenv("OTEL_TRACES_EXPORTER") == "none" || os.Getenv("OTEL_SDK_DISABLED") == "true" {
		c.Tracing = false
	}
	var err error
	if c.TrustedProxies, err = cidrList("TRUSTED_PROXIES", os.Getenv("TRUSTED_PROXIES")); err != nil {
		return c, err
	}
	if c.Challenge, err = challengeFromEnv(); err != nil {
		return c, err
	}
	if c.MaxConnections, err = envInt("MAX_CONNECTIONS", DefaultMaxConnections); err != nil {
		return c, err
	}
	if c.Hashing, err = hashingFromEnv(); err != nil {
		return c, err
	}
	home, _ := os.UserHomeDir()
	c.VideoDir = env("VIDEO_DIR", home+"/.local/state/contest/videos")
	maxVideo, err := envInt("VIDEO_MAX_BYTES", 2<<30)
	if err != nil {
		return c, err
	}
	c.VideoMaxBytes = int64(maxVideo)
	maxConns, err := envInt("DATABASE_MAX_CONNS", 20)
	if err != nil {
		return c, err
	}
	c.DatabaseMaxConns = int32(maxConns)
	if c.SessionTTL, err = envDuration("SESSION_TTL", 12*time.Hour); err != nil {
		return c, err
	}
	if c.SessionCacheTTL, err = envDuration("SESSION_CACHE_TTL", time.Minute); err != nil {
		return c, err
	}
	if c.SweepInterval, err = envDuration("SWEEP_INTERVAL", 30*time.Second); err != nil {
		return c, err
	}
	if c.SweepGrace, err = envDuration("SWEEP_GRACE", 60*time.Second); err != nil {
		return c, err
	}
	if c.ShutdownTimeout, err = envDuration("SHUTDOWN_TIMEOUT", 20*time.Second); err != nil {
		return c, err
	}
	if c.ShutdownDelay, err = envDuration("SHUTDOWN_DELAY", 0); err != nil {
		return c, err
	}
	return c, nil
}

// ForInstallation completes the configuration with the database's installation id. The
// task queue defaults to one derived from it, so that every process on one database
// (API, dispatcher, worker) agrees on it and two databases sharing a Temporal namespace
// never do; an explicit TEMPORAL_TASK_QUEUE still wins (tests, benchmarks, a deployment
// that keeps the queue of an earlier release).
func (c Config) ForInstallation(id string) Config {
	c.Installation = id
	if c.TaskQueue == "" {
		c.TaskQueue = installation.TaskQueue(id)
	}
	return c
}

// Logging reads LOG_FORMAT (json or text; fallback when unset) and LOG_LEVEL (debug,
// info, warn, error; info when unset). It is separate from FromEnv because the logger
// exists before anything else is read.
func Logging(fallbackFormat string) (format string, level slog.Level, err error) {
	format = env("LOG_FORMAT", fallbackFormat)
	if format != "json" && format != "text" {
		return "", 0, fmt.Errorf("LOG_FORMAT=%q: want json or text", format)
	}
	if v := os.Getenv("LOG_LEVEL"); v != "" {
		if err := level.UnmarshalText([]byte(v)); err != nil {
			return "", 0, fmt.Errorf("LOG_LEVEL=%q: want debug, info, warn or error", v)
		}
	}
	return format, level, nil
}

// envOr is env that also honours a variable set to the empty string (METRICS_ADDR= turns
// the listener off).
func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func envInt(name string, fallback int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not an integer", name, v)
	}
	return n, nil
}

// cidrList parses the comma-separated list of CIDRs in variable name; a bare address means
// that one host.
func cidrList(name, value string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(value, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !strings.Contains(v, "/") {
			ip := net.ParseIP(v)
			if ip == nil {
				return nil, fmt.Errorf("%s: %q is not an address or CIDR such as 10.0.0.0/8", name, v)
			}
			if ip.To4() != nil {
				v += "/32"
			} else {
				v += "/128"
			}
		}
		if _, _, err := net.ParseCIDR(v); err != nil {
			return nil, fmt.Errorf("%s: %q is not a CIDR such as 10.0.0.0/8", name, v)
		}
		out = append(out, v)
	}
	return out, nil
}

func envDuration(name string, fallback time.Duration) (time.Duration, error) {
	v := os.Getenv(name)
	if v == "" {
		return fallback, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: not a duration such as 30s: %w", name, v, err)
	}
	return d, nil
}
