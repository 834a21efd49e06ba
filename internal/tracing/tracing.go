// Package tracing turns on OpenTelemetry tracing when the environment asks for it: an
// OTLP exporter, a tracer provider named after the service, the Gin middleware and the
// Temporal tracing interceptor, so one trace runs from an HTTP request through the
// workflow start or update into the activities. Off (the default), it hands out nothing:
// no middleware, no interceptor, no exporter.
package tracing

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/contrib/instrumentation/github.com/gin-gonic/gin/otelgin"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// Tracing is the process's tracing setup; the zero value (and nil) is tracing off.
type Tracing struct {
	provider   *sdktrace.TracerProvider
	propagator propagation.TextMapPropagator
	service    string
}

// FromEnv starts an OTLP exporter when enabled (config.Config.Tracing) and returns the
// setup; service is OTEL_SERVICE_NAME or the command's default. The exporter itself reads
// OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _INSECURE and the rest; OTEL_EXPORTER_OTLP_PROTOCOL
// picks grpc (the default here) or http/protobuf.
func FromEnv(ctx context.Context, enabled bool, service string) (*Tracing, error) {
	if !enabled {
		return nil, nil
	}
	protocol := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	var exporter sdktrace.SpanExporter
	var err error
	switch protocol {
	case "", "grpc":
		exporter, err = otlptracegrpc.New(ctx)
	case "http/protobuf":
		exporter, err = otlptracehttp.New(ctx)
	default:
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL=%q: want grpc or http/protobuf", protocol)
	}
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	return New(ctx, service, sdktrace.WithBatcher(exporter))
}

// New builds the setup around a span processor option (a batcher in production, a
// syncer with an in-memory exporter in tests) and installs it as the global provider and
// propagator, for libraries that only look there.
func New(ctx context.Context, service string, processor sdktrace.TracerProviderOption) (*Tracing, error) {
	res, err := resource.New(ctx, resource.WithFromEnv(), resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", service)))
	if err != nil {
		return nil, fmt.Errorf("trace resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(processor, sdktrace.WithResource(res))
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(prop)
	return &Tracing{provider: tp, propagator: prop, service: service}, nil
}

// Enabled reports whether traces are exported.
func (t *Tracing) Enabled() bool { return t != nil && t.provider != nil }

// Middleware returns the Gin tracing middleware, or nil when tracing is off. Probes and
// scrapes are not traced: they would drown the real requests.
func (t *Tracing) Middleware() gin.HandlerFunc {
	if !t.Enabled() {
		return nil
	}
	return otelgin.Middleware(t.service,
		otelgin.WithTracerProvider(t.provider),
		otelgin.WithPropagators(t.propagator),
		otelgin.WithFilter(func(r *http.Request) bool {
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return false
			}
			return true
		}))
}

// TemporalInterceptors returns the client interceptors that carry the trace into
// workflows and activities (a worker built on the client inherits them), or nil.
func (t *Tracing) TemporalInterceptors() ([]interceptor.ClientInterceptor, error) {
	if !t.Enabled() {
		return nil, nil
	}
	i, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{
		Tracer:            t.provider.Tracer("go.temporal.io/sdk"),
		TextMapPropagator: t.propagator,
	})
	if err != nil {
		return nil, fmt.Errorf("temporal tracing interceptor: %w", err)
	}
	return []interceptor.ClientInterceptor{i}, nil
}

// Shutdown flushes the spans still buffered; bounded so a gone collector cannot hold up
// the process's exit.
func (t *Tracing) Shutdown() error {
	if !t.Enabled() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return t.provider.Shutdown(ctx)
}
