//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/logging"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/temporalclient"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/internal/tracing"
)

func traceActivity(ctx context.Context, name string) (string, error) {
	activity.GetLogger(ctx).Info("tracing test activity", "name", name)
	return "xin chào " + name, nil
}

func traceWorkflow(ctx workflow.Context, name string) (string, error) {
	workflow.GetLogger(ctx).Info("tracing test workflow", "name", name)
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	var out string
	err := workflow.ExecuteActivity(ctx, traceActivity, name).Get(ctx, &out)
	return out, err
}

// syncBuffer is a log sink written by the SDK's goroutines and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTraceFromHTTPIntoActivities wires tracing the way withStack and the API do (the
// Gin middleware from internal/tracing, the Temporal interceptor on client options built
// by internal/temporalclient, a worker on that client) against the real Temporal dev
// server, with spans kept in memory. An HTTP request starts a workflow whose activity
// runs on the worker: every span, from the HTTP handler to the activity, must share one
// trace id. The same client's SDK metrics must reach the Prometheus registry, and its
// workflow and activity log lines must be JSON carrying the workflow and run ids.
func TestTraceFromHTTPIntoActivities(t *testing.T) {
	ctx := context.Background()
	spans := tracetest.NewInMemoryExporter()
	tr, err := tracing.New(ctx, "contest-api-test", sdktrace.WithSyncer(spans))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(); otel.SetTracerProvider(noop.NewTracerProvider()) })
	interceptors, err := tr.TemporalInterceptors()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	var logs syncBuffer
	opts, err := temporalclient.Options(config.Config{TemporalAddress: testenv.TemporalAddress(), TemporalNamespace: "default"},
		temporalclient.Extras{
			Logger:       tlog.NewStructuredLogger(logging.New(&logs, "json", slog.LevelInfo).With("component", "temporal")),
			Metrics:      metrics.NewTemporalHandler(reg),
			Interceptors: interceptors,
		})
	if err != nil {
		t.Fatal(err)
	}
	tc, err := client.Dial(opts)
	if err != nil {
		t.Fatalf("connect to Temporal (run deploy/dev-services.sh up): %v", err)
	}
	t.Cleanup(tc.Close)
	queue := "trace-" + time.Now().Format("150405.000000")
	w := sdkworker.New(tc, queue, sdkworker.Options{})
	w.RegisterWorkflow(traceWorkflow)
	w.RegisterActivity(traceActivity)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(tr.Middleware())
	r.POST("/greet", func(c *gin.Context) {
		run, err := tc.ExecuteWorkflow(c.Request.Context(), client.StartWorkflowOptions{TaskQueue: queue}, traceWorkflow, "Hải Phòng")
		if err != nil {
			c.String(http.StatusServiceUnavailable, err.Error())
			return
		}
		var out string
		if err := run.Get(c.Request.Context(), &out); err != nil {
			c.String(http.StatusInternalServerError, err.Error())
			return
		}
		c.String(http.StatusOK, out)
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	reqCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(reqCtx, http.MethodPost, srv.URL+"/greet", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /greet: %d", resp.StatusCode)
	}

	byName := map[string]tracetest.SpanStub{}
	for _, s := range spans.GetSpans() {
		byName[s.Name] = s
	}
	httpSpan, ok := byName["POST /greet"]
	if !ok {
		t.Fatalf("no HTTP span; spans: %v", names(spans.GetSpans()))
	}
	for _, name := range []string{"StartWorkflow:traceWorkflow", "RunWorkflow:traceWorkflow", "StartActivity:traceActivity", "RunActivity:traceActivity"} {
		s, ok := byName[name]
		if !ok {
			t.Errorf("no span %q; spans: %v", name, names(spans.GetSpans()))
			continue
		}
		if s.SpanContext.TraceID() != httpSpan.SpanContext.TraceID() {
			t.Errorf("span %q in trace %s, HTTP request in %s", name, s.SpanContext.TraceID(), httpSpan.SpanContext.TraceID())
		}
	}

	// The worker records temporal_workflow_completed_total after it has answered the
	// workflow task, which can be after the client saw the result: wait for every metric
	// rather than reading the registry once.
	sdkMetrics := []string{"temporal_request_total", "temporal_request_latency_seconds", "temporal_workflow_task_execution_latency_seconds", "temporal_activity_execution_latency_seconds", "temporal_workflow_completed_total"}
	missing := missingMetrics(t, reg, sdkMetrics)
	for deadline := time.Now().Add(30 * time.Second); len(missing) > 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		missing = missingMetrics(t, reg, sdkMetrics)
	}
	for _, name := range missing {
		t.Errorf("SDK metric %s not in the registry after 30 s", name)
	}

	var found bool
	for _, line := range strings.Split(logs.String(), "\n") {
		if !strings.Contains(line, "tracing test workflow") {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("workflow log line is not JSON: %s", line)
		}
		if rec["WorkflowID"] == nil || rec["RunID"] == nil || rec["component"] != "temporal" {
			t.Errorf("workflow log line without ids: %s", line)
		}
		t.Logf("workflow log line: %s", line)
		found = true
	}
	if !found {
		t.Errorf("no workflow log line in %s", logs.String())
	}
}

func missingMetrics(t *testing.T, reg *prometheus.Registry, want []string) []string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, mf := range mfs {
		have[mf.GetName()] = true
	}
	var missing []string
	for _, name := range want {
		if !have[name] {
			missing = append(missing, name)
		}
	}
	return missing
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Name)
	}
	return out
}
