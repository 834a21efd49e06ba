// Package config reads the process configuration from the environment.
package config

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Config is everything a contest process needs to know about its surroundings.
type Config struct {
	DatabaseURL       string
	DatabaseMaxConns  int32
	RedisAddr         string
	TemporalAddress   string
	TemporalNamespace string
	TaskQueue         string
	HTTPAddr          string
	SessionTTL        time.Duration
	// SweepInterval is how often a worker looks for exams whose deadline passed without
	// a result (a lost workflow); SweepGrace is how late one must be to count.
	SweepInterval time.Duration
	SweepGrace    time.Duration
	// VideoDir holds uploaded video clips; VideoMaxBytes bounds one upload.
	VideoDir      string
	VideoMaxBytes int64
	// SMTP delivers notifications by e-mail when SMTPAddr is set; otherwise they are logged.
	SMTPAddr, SMTPFrom, SMTPUsername, SMTPPassword string
}

// FromEnv reads the configuration, with defaults that match deploy/dev-services.sh.
func FromEnv() (Config, error) {
	c := Config{
		DatabaseURL:       env("DATABASE_URL", "postgres://contest:contest@127.0.0.1:5432/contest?sslmode=disable"),
		RedisAddr:         env("REDIS_ADDR", "127.0.0.1:6379"),
		TemporalAddress:   env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: env("TEMPORAL_NAMESPACE", "default"),
		TaskQueue:         env("TEMPORAL_TASK_QUEUE", "contest"),
		HTTPAddr:          env("HTTP_ADDR", "127.0.0.1:8080"),
		SMTPAddr:          os.Getenv("SMTP_ADDR"),
		SMTPFrom:          env("SMTP_FROM", "hoithi@localhost"),
		SMTPUsername:      os.Getenv("SMTP_USERNAME"),
		SMTPPassword:      os.Getenv("SMTP_PASSWORD"),
	}
	var err error
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
	if c.SweepInterval, err = envDuration("SWEEP_INTERVAL", 30*time.Second); err != nil {
		return c, err
	}
	if c.SweepGrace, err = envDuration("SWEEP_GRACE", 60*time.Second); err != nil {
		return c, err
	}
	return c, nil
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
