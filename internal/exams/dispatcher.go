// Package exams connects the API to the exam workflows without putting Temporal on the
// participant's path: an attempt is committed in PostgreSQL first, its workflow is started
// right after by a pool of background callers, and a submission closes the attempt in
// PostgreSQL and then tells the workflow. A synchronized rush of starts therefore queues
// at Temporal's pace instead of failing, and a slow or restarting Temporal delays timers,
// never a participant's request.
package exams

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/attempts"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// Dispatcher starts exam workflows and signals submissions in the background. Create it
// with New and keep Run going for the life of the process.
type Dispatcher struct {
	client       client.Client
	store        *store.Store
	taskQueue    string
	installation string
	opts         Options
	log          *slog.Logger

	jobs    chan job
	started chan int64

	mu      sync.Mutex
	pending map[int64]*pendingStart // attempts whose start is queued or under way here
}

// pendingStart lets a submission that overtakes its exam's queued start ride on it: the
// start becomes one signal-with-start instead of a start and then a signal.
type pendingStart struct {
	dequeued  bool
	submitted bool
}

// Options tune the dispatcher; zero values take the defaults.
type Options struct {
	// Callers is how many calls to Temporal run at once (default 16).
	Callers int
	// QueueSize bounds the jobs waiting in memory (default 100,000); past it a start is
	// left to the recovery scan and a submission signal to the exam's timer.
	QueueSize int
	// RecoverAfter is how old an attempt without a confirmed workflow must be before the
	// recovery scan starts it (default 30 s): another replica may still be starting it.
	RecoverAfter time.Duration
	// RecoverEvery is the period of the recovery scan (default 5 s).
	RecoverEvery time.Duration
	// EagerStart hands the first workflow task to a worker in this process (dev command).
	EagerStart bool
}

type jobKind int

const (
	startJob jobKind = iota
	signalJob
	moveJob
)

type job struct {
	kind      jobKind
	attemptID int64
	deadline  time.Time
	// trace is the request's span, so that a trace runs on from the HTTP request into the
	// workflow although the call is made later (no-op when tracing is off).
	trace trace.SpanContext
}

// New makes a dispatcher for one installation's exams on a task queue.
func New(tc client.Client, st *store.Store, taskQueue, installation string, opts Options, log *slog.Logger) *Dispatcher {
	if opts.Callers <= 0 {
		opts.Callers = 16
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 100_000
	}
	if opts.RecoverAfter <= 0 {
		opts.RecoverAfter = 30 * time.Second
	}
	if opts.RecoverEvery <= 0 {
		opts.RecoverEvery = 5 * time.Second
	}
	return &Dispatcher{client: tc, store: st, taskQueue: taskQueue, installation: installation, opts: opts, log: log,
		jobs: make(chan job, opts.QueueSize), started: make(chan int64, 4096), pending: map[int64]*pendingStart{}}
}

// Start queues the start of an attempt's workflow; the attempt is already committed, so
// the participant can answer while it starts.
func (d *Dispatcher) Start(ctx context.Context, attemptID int64, deadline time.Time) error {
	d.enqueueStart(attemptID, deadline, trace.SpanContextFromContext(ctx))
	return nil
}

// Submit closes the attempt in PostgreSQL, with the same idempotent finalization the
// workflow runs, then tells the workflow so it ends without waiting for its timer.
func (d *Dispatcher) Submit(ctx context.Context, attemptID int64, deadline time.Time) (contest.Result, error) {
	res, err := attempts.Finalizer{Store: d.store}.Finalize(context.WithoutCancel(ctx), attemptID, true)
	if err != nil {
		return res, err
	}
	d.tellSubmitted(attemptID, deadline, trace.SpanContextFromContext(ctx))
	return res, nil
}

// tellSubmitted queues the signal of a closed attempt, or lets it ride on the attempt's
// start when that is still queued.
func (d *Dispatcher) tellSubmitted(attemptID int64, deadline time.Time, sc trace.SpanContext) {
	d.mu.Lock()
	p := d.pending[attemptID]
	rides := p != nil && !p.dequeued
	if rides {
		p.submitted = true
	}
	d.mu.Unlock()
	if !rides {
		d.enqueue(job{kind: signalJob, attemptID: attemptID, deadline: deadline, trace: sc})
	}
}

// MoveDeadline tells a running exam that its deadline, already moved in PostgreSQL, is
// now deadline. Should the call be lost, the exam's timer still fires at the old deadline,
// the automatic close is refused there by the database's clock and retried at the new one.
func (d *Dispatcher) MoveDeadline(ctx context.Context, attemptID int64, deadline time.Time) error {
	d.enqueue(job{kind: moveJob, attemptID: attemptID, deadline: deadline, trace: trace.SpanContextFromContext(ctx)})
	return nil
}

func (d *Dispatcher) enqueueStart(attemptID int64, deadline time.Time, sc trace.SpanContext) {
	d.mu.Lock()
	if d.pending[attemptID] != nil {
		d.mu.Unlock()
		return
	}
	d.pending[attemptID] = &pendingStart{}
	d.mu.Unlock()
	if !d.enqueue(job{kind: startJob, attemptID: attemptID, deadline: deadline, trace: sc}) {
		d.forget(attemptID)
	}
}

func (d *Dispatcher) enqueue(j job) bool {
	select {
	case d.jobs <- j:
		metrics.ExamDispatchQueued(1)
		return true
	default:
		metrics.ExamDispatchDropped()
		return false
	}
}

// takeStart marks a queued start as under way and says whether its attempt was submitted
// meanwhile (then the start is made as a signal-with-start).
func (d *Dispatcher) takeStart(attemptID int64) (submitted bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := d.pending[attemptID]
	if p == nil {
		return false
	}
	p.dequeued = true
	return p.submitted
}

func (d *Dispatcher) forget(attemptID int64) {
	d.mu.Lock()
	delete(d.pending, attemptID)
	d.mu.Unlock()
}

// Run calls Temporal, records confirmed starts and scans for attempts left without a
// workflow until ctx ends. Jobs still queued then are not lost: their attempts have no
// confirmed workflow, so a recovery scan (here after a restart, or in another replica)
// starts them, and a submission's signal only ends an exam early.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range d.opts.Callers {
		wg.Go(func() { d.call(ctx) })
	}
	wg.Go(func() { d.markStarted(ctx) })
	wg.Go(func() { d.recover(ctx) })
	wg.Wait()
}

func (d *Dispatcher) call(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-d.jobs:
			metrics.ExamDispatchQueued(-1)
			d.handle(ctx, j)
		}
	}
}

func (d *Dispatcher) handle(ctx context.Context, j job) {
	switch {
	case j.kind == moveJob:
		d.signalMoved(ctx, j)
	case j.kind == startJob && !d.takeStart(j.attemptID):
		d.startWorkflow(ctx, j)
	default:
		d.signalSubmitted(ctx, j)
	}
}

func (d *Dispatcher) options(attemptID int64) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:        workflows.ExamWorkflowID(d.installation, attemptID),
		TaskQueue: d.taskQueue,
		// A finished exam must not be run again by a late duplicate start.
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		EnableEagerStart:      d.opts.EagerStart,
	}
}

func callContext(ctx context.Context, j job) (context.Context, context.CancelFunc) {
	if j.trace.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, j.trace)
	}
	return context.WithTimeout(ctx, 10*time.Second)
}

func (d *Dispatcher) startWorkflow(ctx context.Context, j job) {
	callCtx, cancel := callContext(ctx, j)
	defer cancel()
	opts := d.options(j.attemptID)
	// The workflow's first task waits for the deadline on Temporal's side: an exam left
	// open then costs one workflow task (at the deadline) instead of two, and a submission
	// signal dispatches it early.
	if delay := time.Until(j.deadline); delay > 0 {
		opts.StartDelay, opts.EnableEagerStart = delay, false
	}
	_, err := d.client.ExecuteWorkflow(callCtx, opts, workflows.ExamWorkflowType,
		workflows.ExamInput{AttemptID: j.attemptID, Deadline: j.deadline})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		metrics.ExamWorkflowStart("started")
	case errors.As(err, &already):
		metrics.ExamWorkflowStart("already_started")
	default:
		// Left unconfirmed: the recovery scan tries again.
		metrics.ExamWorkflowStart("failed")
		d.forget(j.attemptID)
		if ctx.Err() == nil {
			d.log.Warn("exam workflow not started; the recovery scan will retry", "attempt_id", j.attemptID, "error", err)
		}
		return
	}
	d.confirm(ctx, j.attemptID)
}

func (d *Dispatcher) confirm(ctx context.Context, attemptID int64) {
	select {
	case d.started <- attemptID:
	case <-ctx.Done():
	}
}

// signalSubmitted signals with start: if the submission overtook the queued start, the
// workflow starts now with the signal already in it and ends at once, instead of holding
// a timer for an attempt that is closed.
func (d *Dispatcher) signalSubmitted(ctx context.Context, j job) {
	callCtx, cancel := callContext(ctx, j)
	defer cancel()
	_, err := d.client.SignalWithStartWorkflow(callCtx, workflows.ExamWorkflowID(d.installation, j.attemptID),
		workflows.SubmittedSignal, nil, d.options(j.attemptID), workflows.ExamWorkflowType,
		workflows.ExamInput{AttemptID: j.attemptID, Deadline: j.deadline})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		metrics.ExamSubmitSignal("sent")
		d.confirm(ctx, j.attemptID)
	case errors.As(err, &already):
		// The exam already ended (its timer won, or an earlier submission).
		metrics.ExamSubmitSignal("not_running")
		d.confirm(ctx, j.attemptID)
	default:
		metrics.ExamSubmitSignal("failed")
		d.forget(j.attemptID)
		if ctx.Err() == nil {
			d.log.Warn("submission not signalled; the exam ends at its timer instead", "attempt_id", j.attemptID, "error", err)
		}
	}
}

// signalMoved signals with start, so that an exam whose start is still queued begins with
// the new deadline (the queued start then finds it started). An exam that has ended is
// left alone: the reuse policy refuses to start it again.
func (d *Dispatcher) signalMoved(ctx context.Context, j job) {
	callCtx, cancel := callContext(ctx, j)
	defer cancel()
	_, err := d.client.SignalWithStartWorkflow(callCtx, workflows.ExamWorkflowID(d.installation, j.attemptID),
		workflows.DeadlineMovedSignal, workflows.DeadlineMoved{Deadline: j.deadline}, d.options(j.attemptID),
		workflows.ExamWorkflowType, workflows.ExamInput{AttemptID: j.attemptID, Deadline: j.deadline})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		metrics.ExamDeadlineSignal("sent")
		d.confirm(ctx, j.attemptID)
	case errors.As(err, &already):
		metrics.ExamDeadlineSignal("not_running")
	default:
		metrics.ExamDeadlineSignal("failed")
		if ctx.Err() == nil {
			d.log.Warn("moved deadline not signalled; the exam closes at the new deadline on its retry", "attempt_id", j.attemptID, "error", err)
		}
	}
}

// markStarted records confirmed starts in batches: one UPDATE per burst, not per exam.
func (d *Dispatcher) markStarted(ctx context.Context) {
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	var batch []int64
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := d.store.MarkExamWorkflowsStarted(context.WithoutCancel(ctx), batch); err != nil {
			d.log.Warn("confirmed exam starts not recorded; the recovery scan will start them again, harmlessly", "count", len(batch), "error", err)
		}
		d.mu.Lock()
		for _, id := range batch {
			delete(d.pending, id)
		}
		d.mu.Unlock()
		batch = batch[:0]
	}
	for {
		select {
		case <-ctx.Done():
			flush()
			return
		case id := <-d.started:
			batch = append(batch, id)
			if len(batch) >= 500 {
				flush()
			}
		case <-ticker.C:
			flush()
		}
	}
}

// recover starts the workflows of attempts that have none confirmed after RecoverAfter:
// their start failed, was dropped from a full queue, or was queued in a process that died.
func (d *Dispatcher) recover(ctx context.Context) {
	ticker := time.NewTicker(d.opts.RecoverEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		pending, err := d.store.ExamsAwaitingWorkflow(ctx, d.opts.RecoverAfter, 1000)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("scan for exams without a workflow", "error", err)
			}
			continue
		}
		for _, p := range pending {
			d.mu.Lock()
			queued := d.pending[p.AttemptID] != nil
			d.mu.Unlock()
			if !queued {
				metrics.ExamWorkflowRecovered()
				d.enqueueStart(p.AttemptID, p.Deadline, trace.SpanContext{})
			}
		}
	}
}
