package tracing

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// Off, tracing hands out nothing, so the router and the Temporal client run without any
// tracing code in their path.
func TestOff(t *testing.T) {
	tr, err := FromEnv(context.Background(), false, "contest-api")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Enabled() || tr.Middleware() != nil || tr.Shutdown() != nil {
		t.Error("tracing is not off")
	}
	if i, err := tr.TemporalInterceptors(); i != nil || err != nil {
		t.Errorf("interceptors %v, %v", i, err)
	}
}

func TestOn(t *testing.T) {
	tr, err := New(context.Background(), "contest-api", sdktrace.WithSyncer(tracetest.NewInMemoryExporter()))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Shutdown()
	if !tr.Enabled() || tr.Middleware() == nil {
		t.Error("tracing is not on")
	}
	if i, err := tr.TemporalInterceptors(); len(i) != 1 || err != nil {
		t.Errorf("interceptors %v, %v", i, err)
	}
}

func TestBadProtocol(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "carrier-pigeon")
	if _, err := FromEnv(context.Background(), true, "contest-api"); err == nil {
		t.Error("no error")
	}
}
