package installation

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// touched counts the activity runs that reached the database side.
var touched atomic.Int32

func closeAttempt(context.Context, int64) (string, error) {
	touched.Add(1)
	return "closed", nil
}

// guardedWorkflow closes an attempt once by a local activity and once by a regular one,
// as the two exam workflow shapes do.
func guardedWorkflow(ctx workflow.Context, attemptID int64) (string, error) {
	// Generous timeouts: the test environment measures a local activity on the wall clock.
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute})
	var local string
	if err := workflow.ExecuteLocalActivity(lctx, closeAttempt, attemptID).Get(ctx, &local); err != nil {
		return "", err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	var regular string
	if err := workflow.ExecuteActivity(actx, closeAttempt, attemptID).Get(ctx, &regular); err != nil {
		return "", err
	}
	return local + "+" + regular, nil
}

func header(t *testing.T, id string) *commonpb.Header {
	t.Helper()
	payload, err := dataConverter.ToPayload(id)
	if err != nil {
		t.Fatal(err)
	}
	return &commonpb.Header{Fields: map[string]*commonpb.Payload{HeaderKey: payload}}
}

func TestGuardRunsOwnActivitiesAndRefusesForeignOnes(t *testing.T) {
	tests := []struct {
		name, header, workflowID string
		wantRefused              bool
	}{
		{"own header", own, "exam-" + Short(own) + "-8", false},
		{"foreign header", other, "exam-" + Short(other) + "-8", true},
		{"foreign header under an id that looks like ours", other, "exam-" + Short(own) + "-8", true},
		{"no header, own id", "", "exam-" + Short(own) + "-8", false},
		{"no header, foreign id", "", "exam-" + Short(other) + "-8", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			touched.Store(0)
			var logged bytes.Buffer
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestWorkflowEnvironment()
			env.SetContextPropagators([]workflow.ContextPropagator{Propagator{Own: own}})
			// A minute before the deadlock detector speaks: its default second of wall-clock
			// time is what a busy machine can take.
			env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute, Interceptors: []interceptor.WorkerInterceptor{
				&Guard{Own: own, Log: slog.New(slog.NewTextHandler(&logged, nil))}}})
			env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: tc.workflowID})
			if tc.header != "" {
				env.SetHeader(header(t, tc.header))
			}
			env.RegisterActivity(closeAttempt)
			env.ExecuteWorkflow(guardedWorkflow, int64(8))
			err := env.GetWorkflowError()
			if !tc.wantRefused {
				var got string
				if err != nil || env.GetWorkflowResult(&got) != nil || got != "closed+closed" || touched.Load() != 2 {
					t.Fatalf("own workflow: result %q, error %v, %d runs", got, err, touched.Load())
				}
				if logged.Len() != 0 {
					t.Errorf("own workflow logged %q", logged.String())
				}
				return
			}
			var appErr *temporal.ApplicationError
			if !errors.As(err, &appErr) || appErr.Type() != ForeignErrorType || !appErr.NonRetryable() {
				t.Fatalf("foreign workflow ended with %v, want a non-retryable %s", err, ForeignErrorType)
			}
			if touched.Load() != 0 {
				t.Fatalf("a foreign activity ran %d times", touched.Load())
			}
			if n := strings.Count(logged.String(), "refused an activity of another installation"); n != 1 {
				t.Errorf("refusal logged %d times, want once:\n%s", n, logged.String())
			}
		})
	}
}

// The worker side passes on the header a workflow came with, never its own id; the
// client side stamps its own.
func TestPropagatorCarriesTheOwnersStamp(t *testing.T) {
	p := Propagator{Own: own}
	h := &commonpb.Header{Fields: map[string]*commonpb.Payload{}}
	if err := p.Inject(context.Background(), headerMap{h}); err != nil {
		t.Fatal(err)
	}
	ctx, err := Propagator{Own: other}.Extract(context.Background(), headerMap{h})
	if err != nil || FromContext(ctx) != own {
		t.Fatalf("extracted %q, %v; want the starter's %q", FromContext(ctx), err, own)
	}
	ctx, err = p.Extract(context.Background(), headerMap{&commonpb.Header{}})
	if err != nil || FromContext(ctx) != "" {
		t.Fatalf("no header extracted as %q, %v", FromContext(ctx), err)
	}
}

type headerMap struct{ h *commonpb.Header }

func (m headerMap) Set(k string, v *commonpb.Payload) {
	if m.h.Fields == nil {
		m.h.Fields = map[string]*commonpb.Payload{}
	}
	m.h.Fields[k] = v
}

func (m headerMap) Get(k string) (*commonpb.Payload, bool) {
	v, ok := m.h.Fields[k]
	return v, ok
}

func (m headerMap) ForEachKey(fn func(string, *commonpb.Payload) error) error {
	for k, v := range m.h.Fields {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}
