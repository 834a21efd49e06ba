package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

func TestContextFields(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "json", slog.LevelInfo).With("component", "api")
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ctx := trace.ContextWithSpanContext(WithRequestID(context.Background(), "req-1"),
		trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled}))
	log.InfoContext(ctx, "http", "status", 200)
	log.Debug("hidden")
	log.Info("no context")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines: %s", len(lines), buf.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "req-1" || first["trace_id"] != tid.String() || first["span_id"] != sid.String() || first["component"] != "api" {
		t.Errorf("line %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("request_id without a context: %v", second)
	}
}

func TestTextFormat(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, "text", slog.LevelDebug).DebugContext(WithRequestID(context.Background(), "abc"), "hello")
	if !strings.Contains(buf.String(), "request_id=abc") || !strings.Contains(buf.String(), "level=DEBUG") {
		t.Errorf("text line %q", buf.String())
	}
}
