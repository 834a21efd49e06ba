package exams

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.opentelemetry.io/otel/trace"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"

	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/workflows"
)

// These tests drive the dispatcher's calls to Temporal through the SDK's client mock. The
// store is nil: what reaches PostgreSQL (the submission's finalization, the batch of
// confirmed starts, the recovery scan) is covered by integration/exam_dispatch_test.go.

const testInstallation = "inst-abcdef-123456"

// syncLog is a log sink the dispatcher's goroutines write and the test reads.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) warned() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.buf.String(), "level=WARN")
}

func newTestDispatcher(t *testing.T, opts Options) (*Dispatcher, *mocks.Client, *syncLog) {
	t.Helper()
	mc := mocks.NewClient(t)
	logs := &syncLog{}
	d := New(mc, nil, "exam-queue", testInstallation, opts, slog.New(slog.NewTextHandler(logs, nil)))
	return d, mc, logs
}

// counter reads one labelled series of the process's registry, so a test can tell by how
// much a call moved it (the tests of this package do not run in parallel).
func counter(t *testing.T, name, outcome string) float64 {
	t.Helper()
	mfs, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if outcome == "" && len(m.GetLabel()) == 0 {
				return m.GetCounter().GetValue()
			}
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	t.Fatalf("no series %s{outcome=%q} in the registry", name, outcome)
	return 0
}

// confirmed says which attempts were handed to the batch that records confirmed starts.
func confirmed(d *Dispatcher) []int64 {
	var ids []int64
	for {
		select {
		case id := <-d.started:
			ids = append(ids, id)
		default:
			return ids
		}
	}
}

func (d *Dispatcher) isPending(attemptID int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending[attemptID] != nil
}

func checkOptions(t *testing.T, got client.StartWorkflowOptions, attemptID int64) {
	t.Helper()
	if want := workflows.ExamWorkflowID(testInstallation, attemptID); got.ID != want {
		t.Errorf("workflow id %q, want %q", got.ID, want)
	}
	if got.TaskQueue != "exam-queue" {
		t.Errorf("task queue %q, want exam-queue", got.TaskQueue)
	}
	if got.WorkflowIDReusePolicy != enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE {
		t.Errorf("reuse policy %v: a late duplicate start could run a finished exam again", got.WorkflowIDReusePolicy)
	}
}

func TestStartWorkflow(t *testing.T) {
	alreadyStarted := serviceerror.NewWorkflowExecutionAlreadyStarted("workflow execution already started", "", "run-1")
	tests := []struct {
		name      string
		deadline  time.Duration // from now
		eager     bool
		temporal  func(ctx context.Context) error
		outcome   string
		confirmed bool
		warns     bool
	}{
		{name: "started: the first task waits for the deadline on Temporal's side",
			deadline: 10 * time.Minute, eager: true, outcome: "started", confirmed: true},
		{name: "deadline already past: no delay, eager start as configured",
			deadline: -time.Second, eager: true, outcome: "started", confirmed: true},
		{name: "workflow already exists: confirmed, not started again",
			deadline: 10 * time.Minute, temporal: func(context.Context) error { return alreadyStarted },
			outcome: "already_started", confirmed: true},
		{name: "Temporal refuses: left unconfirmed for the recovery scan",
			deadline: 10 * time.Minute, temporal: func(context.Context) error { return serviceerror.NewUnavailable("frontend is restarting") },
			outcome: "failed", warns: true},
		{name: "Temporal too slow: the call gives up at its own deadline",
			deadline: 10 * time.Minute, temporal: func(ctx context.Context) error {
				<-ctx.Done()
				return ctx.Err()
			}, outcome: "failed", warns: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, mc, logs := newTestDispatcher(t, Options{EagerStart: tt.eager})
			deadline := time.Now().Add(tt.deadline).Truncate(time.Millisecond)
			var calls int
			mc.On("ExecuteWorkflow", mock.Anything, mock.Anything, workflows.ExamWorkflowType, mock.Anything).Return(
				func(ctx context.Context, opts client.StartWorkflowOptions, _ any, args ...any) (client.WorkflowRun, error) {
					calls++
					checkOptions(t, opts, 7)
					if len(args) != 1 || args[0] != (workflows.ExamInput{AttemptID: 7, Deadline: deadline}) {
						t.Errorf("workflow input %v, want attempt 7 with its deadline", args)
					}
					if tt.deadline > 0 {
						if opts.StartDelay < tt.deadline-time.Minute || opts.StartDelay > tt.deadline {
							t.Errorf("start delay %s, want about %s (until the deadline)", opts.StartDelay, tt.deadline)
						}
						if opts.EnableEagerStart {
							t.Error("a delayed start cannot be eager")
						}
					} else if opts.StartDelay != 0 || opts.EnableEagerStart != tt.eager {
						t.Errorf("start delay %s eager %v, want none and eager %v", opts.StartDelay, opts.EnableEagerStart, tt.eager)
					}
					if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > 10*time.Second {
						t.Errorf("call to Temporal without a deadline of at most 10 s (%v, %v)", dl, ok)
					}
					if tt.temporal != nil {
						// Shortened so the slow case does not wait the real 10 s.
						short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
						defer cancel()
						return nil, tt.temporal(short)
					}
					return &mocks.WorkflowRun{}, nil
				})
			before := counter(t, "contest_exam_workflow_starts_total", tt.outcome)

			if err := d.Start(context.Background(), 7, deadline); err != nil {
				t.Fatal(err)
			}
			d.handle(context.Background(), <-d.jobs)

			if calls != 1 {
				t.Fatalf("%d start calls, want 1", calls)
			}
			got := confirmed(d)
			if tt.confirmed != (len(got) == 1 && got[0] == 7) {
				t.Errorf("confirmed %v, want confirmed %v", got, tt.confirmed)
			}
			// An unconfirmed start is forgotten here so that the recovery scan may queue it again.
			if d.isPending(7) != tt.confirmed {
				t.Errorf("pending %v, want %v", d.isPending(7), tt.confirmed)
			}
			if after := counter(t, "contest_exam_workflow_starts_total", tt.outcome); after != before+1 {
				t.Errorf("starts{outcome=%q} moved by %v, want 1", tt.outcome, after-before)
			}
			if logs.warned() != tt.warns {
				t.Errorf("warned %v, want %v", logs.warned(), tt.warns)
			}
		})
	}
}

func TestSignalSubmitted(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		outcome   string
		confirmed bool
		warns     bool
	}{
		{name: "signalled (or started with the signal in it)", outcome: "sent", confirmed: true},
		{name: "the exam already ended: nothing to tell",
			err: serviceerror.NewWorkflowExecutionAlreadyStarted("workflow execution already started", "", "run-1"), outcome: "not_running", confirmed: true},
		{name: "Temporal refuses: the exam ends at its timer instead",
			err: serviceerror.NewUnavailable("frontend is restarting"), outcome: "failed", warns: true},
		{name: "namespace gone: the same, with a warning",
			err: serviceerror.NewNamespaceNotFound("default"), outcome: "failed", warns: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, mc, logs := newTestDispatcher(t, Options{})
			deadline := time.Now().Add(time.Minute).Truncate(time.Millisecond)
			mc.On("SignalWithStartWorkflow", mock.Anything, workflows.ExamWorkflowID(testInstallation, 9), workflows.SubmittedSignal, nil,
				mock.Anything, workflows.ExamWorkflowType, workflows.ExamInput{AttemptID: 9, Deadline: deadline}).Return(
				func(_ context.Context, _, _ string, _ any, opts client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
					checkOptions(t, opts, 9)
					if opts.StartDelay != 0 {
						t.Errorf("start delay %s: a submitted exam must end now", opts.StartDelay)
					}
					return &mocks.WorkflowRun{}, tt.err
				}).Once()
			before := counter(t, "contest_exam_submit_signals_total", tt.outcome)

			d.tellSubmitted(9, deadline, trace.SpanContext{})
			d.handle(context.Background(), <-d.jobs)

			got := confirmed(d)
			if tt.confirmed != (len(got) == 1 && got[0] == 9) {
				t.Errorf("confirmed %v, want confirmed %v", got, tt.confirmed)
			}
			if after := counter(t, "contest_exam_submit_signals_total", tt.outcome); after != before+1 {
				t.Errorf("signals{outcome=%q} moved by %v, want 1", tt.outcome, after-before)
			}
			if logs.warned() != tt.warns {
				t.Errorf("warned %v, want %v", logs.warned(), tt.warns)
			}
		})
	}
}

// A submission that overtakes its exam's queued start rides on it: one signal-with-start
// and no separate start, so the workflow ends at once instead of holding a timer.
func TestSubmissionOvertakingItsQueuedStart(t *testing.T) {
	d, mc, _ := newTestDispatcher(t, Options{})
	deadline := time.Now().Add(10 * time.Minute)
	mc.On("SignalWithStartWorkflow", mock.Anything, workflows.ExamWorkflowID(testInstallation, 7), workflows.SubmittedSignal, nil,
		mock.Anything, workflows.ExamWorkflowType, mock.Anything).Return(&mocks.WorkflowRun{}, nil).Once()

	_ = d.Start(context.Background(), 7, deadline)
	d.tellSubmitted(7, deadline, trace.SpanContext{})
	if n := len(d.jobs); n != 1 {
		t.Fatalf("%d jobs queued, want the start alone", n)
	}
	d.handle(context.Background(), <-d.jobs)
	if got := confirmed(d); len(got) != 1 || got[0] != 7 {
		t.Errorf("confirmed %v, want [7]", got)
	}
	mc.AssertNotCalled(t, "ExecuteWorkflow", mock.Anything, mock.Anything, mock.Anything, mock.Anything)
}

// A submission that arrives while its start call is under way cannot ride on it and is
// signalled on its own afterwards.
func TestSubmissionDuringItsStartIsSignalledAfter(t *testing.T) {
	d, mc, _ := newTestDispatcher(t, Options{})
	deadline := time.Now().Add(10 * time.Minute)
	mc.On("ExecuteWorkflow", mock.Anything, mock.Anything, workflows.ExamWorkflowType, mock.Anything).Return(
		func(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
			d.tellSubmitted(7, deadline, trace.SpanContext{})
			return &mocks.WorkflowRun{}, nil
		}).Once()
	mc.On("SignalWithStartWorkflow", mock.Anything, workflows.ExamWorkflowID(testInstallation, 7), workflows.SubmittedSignal, nil,
		mock.Anything, workflows.ExamWorkflowType, mock.Anything).Return(&mocks.WorkflowRun{}, nil).Once()

	_ = d.Start(context.Background(), 7, deadline)
	d.handle(context.Background(), <-d.jobs)
	if n := len(d.jobs); n != 1 {
		t.Fatalf("%d jobs queued after the start, want the submission's signal", n)
	}
	d.handle(context.Background(), <-d.jobs)
	if got := confirmed(d); len(got) != 2 {
		t.Errorf("confirmed %v, want attempt 7 twice (start, then signal)", got)
	}
}

func TestStartQueue(t *testing.T) {
	t.Run("a second start of the same attempt queues nothing", func(t *testing.T) {
		d, _, _ := newTestDispatcher(t, Options{})
		_ = d.Start(context.Background(), 7, time.Now())
		_ = d.Start(context.Background(), 7, time.Now())
		if n := len(d.jobs); n != 1 {
			t.Errorf("%d jobs queued, want 1", n)
		}
	})
	t.Run("a full queue drops the start and forgets it, so the recovery scan can queue it again", func(t *testing.T) {
		d, _, _ := newTestDispatcher(t, Options{QueueSize: 1})
		before := counter(t, "contest_exam_dispatch_dropped_total", "")
		_ = d.Start(context.Background(), 1, time.Now())
		_ = d.Start(context.Background(), 2, time.Now())
		if n := len(d.jobs); n != 1 {
			t.Fatalf("%d jobs queued, want 1", n)
		}
		if d.isPending(2) {
			t.Error("the dropped start is still pending: the recovery scan would skip it")
		}
		if after := counter(t, "contest_exam_dispatch_dropped_total", ""); after != before+1 {
			t.Errorf("dropped moved by %v, want 1", after-before)
		}
		<-d.jobs
		_ = d.Start(context.Background(), 2, time.Now())
		if j := <-d.jobs; j.attemptID != 2 || j.kind != startJob {
			t.Errorf("queued %+v after room was made, want the start of attempt 2", j)
		}
	})
	t.Run("the request's trace runs on into the later call", func(t *testing.T) {
		d, mc, _ := newTestDispatcher(t, Options{})
		sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1, 2, 3}, SpanID: trace.SpanID{4, 5}, TraceFlags: trace.FlagsSampled})
		mc.On("ExecuteWorkflow", mock.Anything, mock.Anything, workflows.ExamWorkflowType, mock.Anything).Return(
			func(ctx context.Context, _ client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
				if got := trace.SpanContextFromContext(ctx); got.TraceID() != sc.TraceID() || !got.IsRemote() {
					t.Errorf("call made in trace %s (remote %v), want the request's %s", got.TraceID(), got.IsRemote(), sc.TraceID())
				}
				return &mocks.WorkflowRun{}, nil
			}).Once()
		_ = d.Start(trace.ContextWithSpanContext(context.Background(), sc), 7, time.Now().Add(time.Minute))
		d.handle(context.Background(), <-d.jobs)
	})
}

// A slow Temporal holds one caller, not the queue: the next exam starts meanwhile. When
// the process stops, the held call ends without a warning and its start stays
// unconfirmed for the recovery scan.
func TestSlowCallHoldsOneCaller(t *testing.T) {
	d, mc, logs := newTestDispatcher(t, Options{Callers: 2})
	held := make(chan struct{})
	mc.On("ExecuteWorkflow", mock.Anything, mock.MatchedBy(func(o client.StartWorkflowOptions) bool {
		return o.ID == workflows.ExamWorkflowID(testInstallation, 1)
	}), workflows.ExamWorkflowType, mock.Anything).Return(
		func(ctx context.Context, _ client.StartWorkflowOptions, _ any, _ ...any) (client.WorkflowRun, error) {
			close(held)
			<-ctx.Done()
			return nil, ctx.Err()
		}).Once()
	mc.On("ExecuteWorkflow", mock.Anything, mock.MatchedBy(func(o client.StartWorkflowOptions) bool {
		return o.ID == workflows.ExamWorkflowID(testInstallation, 2)
	}), workflows.ExamWorkflowType, mock.Anything).Return(&mocks.WorkflowRun{}, nil).Once()

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { d.call(ctx) })
	}
	_ = d.Start(ctx, 1, time.Now().Add(time.Minute))
	<-held
	_ = d.Start(ctx, 2, time.Now().Add(time.Minute))
	select {
	case id := <-d.started:
		if id != 2 {
			t.Errorf("confirmed %d, want 2", id)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the second exam did not start while the first call was held")
	}
	stop()
	wg.Wait()
	if got := confirmed(d); len(got) != 0 {
		t.Errorf("confirmed %v after the stop, want nothing", got)
	}
	if d.isPending(1) {
		t.Error("the held start is still pending: the recovery scan would skip it")
	}
	if logs.warned() {
		t.Error("a call cut short by the process's stop was logged as a warning")
	}
}

// Run ends with its context; with nothing queued it touches neither Temporal nor the store.
func TestRunEndsWithItsContext(t *testing.T) {
	d, _, _ := newTestDispatcher(t, Options{Callers: 3})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	stop()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
