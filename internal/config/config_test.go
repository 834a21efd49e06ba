package config

import (
	"log/slog"
	"slices"
	"testing"
	"time"
)

func TestObservabilitySettings(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		c, err := FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		if c.MetricsAddr != "127.0.0.1:9091" || c.ShutdownTimeout != 20*time.Second || c.ShutdownDelay != 0 || c.Tracing || c.TemporalTLS.Enabled() {
			t.Errorf("defaults %+v", c)
		}
	})
	t.Run("set", func(t *testing.T) {
		t.Setenv("METRICS_ADDR", "") // set but empty: the listener is off
		t.Setenv("SHUTDOWN_TIMEOUT", "5s")
		t.Setenv("SHUTDOWN_DELAY", "3s")
		t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
		t.Setenv("OTEL_SERVICE_NAME", "contest-api-blue")
		t.Setenv("TEMPORAL_API_KEY", "k")
		c, err := FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		if c.MetricsAddr != "" || c.ShutdownTimeout != 5*time.Second || c.ShutdownDelay != 3*time.Second ||
			!c.Tracing || c.ServiceName != "contest-api-blue" || !c.TemporalTLS.Enabled() {
			t.Errorf("settings %+v", c)
		}
	})
	t.Run("tracing switched off explicitly", func(t *testing.T) {
		t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
		t.Setenv("OTEL_TRACES_EXPORTER", "none")
		if c, _ := FromEnv(); c.Tracing {
			t.Error("tracing on with OTEL_TRACES_EXPORTER=none")
		}
	})
	t.Run("bad shutdown timeout", func(t *testing.T) {
		t.Setenv("SHUTDOWN_TIMEOUT", "soon")
		if _, err := FromEnv(); err == nil {
			t.Error("no error")
		}
	})
}

func TestLogging(t *testing.T) {
	tests := []struct {
		format, level, fallback string
		wantFormat              string
		wantLevel               slog.Level
		wantErr                 bool
	}{
		{"", "", "json", "json", slog.LevelInfo, false},
		{"", "", "text", "text", slog.LevelInfo, false},
		{"text", "debug", "json", "text", slog.LevelDebug, false},
		{"json", "WARN", "text", "json", slog.LevelWarn, false},
		{"xml", "", "json", "", 0, true},
		{"", "loud", "json", "", 0, true},
	}
	for _, tc := range tests {
		t.Setenv("LOG_FORMAT", tc.format)
		t.Setenv("LOG_LEVEL", tc.level)
		format, level, err := Logging(tc.fallback)
		if (err != nil) != tc.wantErr || (err == nil && (format != tc.wantFormat || level != tc.wantLevel)) {
			t.Errorf("LOG_FORMAT=%q LOG_LEVEL=%q: %q %v %v", tc.format, tc.level, format, level, err)
		}
	}
}

func TestTaskQueueFollowsTheInstallation(t *testing.T) {
	const a, b = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	t.Setenv("TEMPORAL_TASK_QUEUE", "")
	c, err := FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ca, cb := c.ForInstallation(a), c.ForInstallation(b)
	if ca.TaskQueue != "contest-0123456789ab" || ca.Installation != a {
		t.Errorf("derived queue %q, installation %q", ca.TaskQueue, ca.Installation)
	}
	if ca.TaskQueue == cb.TaskQueue {
		t.Errorf("two installations both default to %q", ca.TaskQueue)
	}
	if again := c.ForInstallation(a); again.TaskQueue != ca.TaskQueue {
		t.Errorf("one installation, two queues: %q and %q", again.TaskQueue, ca.TaskQueue)
	}

	t.Setenv("TEMPORAL_TASK_QUEUE", "it-shared")
	c, err = FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.ForInstallation(a).TaskQueue; got != "it-shared" {
		t.Errorf("explicit TEMPORAL_TASK_QUEUE overridden: %q", got)
	}
}

func TestTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		env     string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"127.0.0.1/32", []string{"127.0.0.1/32"}, false},
		{" 10.0.0.0/8 , 192.168.1.5 ,::1", []string{"10.0.0.0/8", "192.168.1.5/32", "::1/128"}, false},
		{"10.0.0.0/33", nil, true},
		{"proxy.local", nil, true},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv("TRUSTED_PROXIES", tc.env)
			c, err := FromEnv()
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && !slices.Equal(c.TrustedProxies, tc.want) {
				t.Errorf("TrustedProxies %q, want %q", c.TrustedProxies, tc.want)
			}
		})
	}
}
