// Package workflows holds deterministic workflow code only: no I/O, no wall clock, no map
// iteration, no goroutines but workflow.Go.
package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// SubmittedSignal tells an exam that its participant submitted: the API has already
// closed the attempt in PostgreSQL, so the workflow confirms the result and ends early
// instead of holding its timer to the deadline.
const SubmittedSignal = "submitted"

// DeadlineMovedSignal tells an exam that the committee granted its participant extra
// time while the exam runs: the database already holds the new deadline (DeadlineMoved),
// and the workflow moves its timer to it.
const DeadlineMovedSignal = "deadline-moved"

// DeadlineMoved is the payload of DeadlineMovedSignal.
type DeadlineMoved struct {
	Deadline time.Time
}

// movableDeadlineChange guards the handling of DeadlineMovedSignal. A worker of the
// release before it left such a signal unread; replaying those histories, the marker is
// absent and the signal is ignored again, so they replay as they ran. It is asked only
// when a signal arrives, so an exam that is never extended pays no marker and no search
// attribute write.
const movableDeadlineChange = "movable-deadline"

// SubmitUpdate is how API replicas of an earlier release submitted: they waited for the
// workflow to grade. It stays registered so that those replicas keep working during a
// rolling deployment.
const SubmitUpdate = "submit"

// Exam workflow types. The current shape finalizes through a local activity; the first
// shape, a regular activity, keeps its type name so that exams started before the change
// finish on the code that started them. A new type rather than workflow.GetVersion,
// because GetVersion also upserts a search attribute: one more visibility write for every
// exam, which is the cost that matters here.
const (
	ExamWorkflowType   = "ExamWorkflowV2"
	ExamWorkflowV1Type = "ExamWorkflow"
)

// ExamInput starts one timed exam. The deadline is fixed by the database when the attempt
// is created; the workflow only enforces it.
type ExamInput struct {
	AttemptID int64
	Deadline  time.Time
}

// ExamWorkflowID names the workflow of an attempt, so a retried start cannot create a
// second one. The installation part keeps databases sharing a namespace apart.
func ExamWorkflowID(installation string, attemptID int64) string {
	if len(installation) > 12 {
		installation = installation[:12]
	}
	return fmt.Sprintf("exam-%s-%d", installation, attemptID)
}

// exam is the state of one exam workflow.
type exam struct {
	input           ExamInput
	deadline        time.Time
	deadlineMoved   bool
	submitRequested bool
	finalized       bool
	outcome         ExamResult
	err             error
	finalize        finalizeFunc
}

// ExamWorkflowV2 waits for the participant's submission or the deadline, whichever comes
// first, then finalizes the attempt through a local activity. The answers themselves never
// pass through Temporal: they are short guarded writes to PostgreSQL. Its Go name is its
// type name: a function registered under another name would be aliased, and the replayer
// would then run the old exams' histories on it.
func ExamWorkflowV2(ctx workflow.Context, input ExamInput) (ExamResult, error) {
	return runExam(ctx, input, finalizeLocally)
}

// ExamWorkflowV1 is the first shape, registered as ExamWorkflowV1Type for the exams in
// flight when it was replaced.
func ExamWorkflowV1(ctx workflow.Context, input ExamInput) (ExamResult, error) {
	return runExam(ctx, input, finalizeByActivity)
}

type finalizeFunc func(workflow.Context, FinalizeRequest) workflow.Future

func runExam(ctx workflow.Context, input ExamInput, finalize finalizeFunc) (ExamResult, error) {
	e := &exam{input: input, deadline: input.Deadline, finalize: finalize}
	if err := workflow.SetUpdateHandler(ctx, SubmitUpdate, e.submit); err != nil {
		return ExamResult{}, fmt.Errorf("register submit handler: %w", err)
	}
	submitted := workflow.GetSignalChannel(ctx, SubmittedSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		// Keep draining: a duplicate signal is not an error, just nothing to do.
		for submitted.Receive(ctx, nil) {
			if !e.finalized {
				e.submitRequested = true
			}
		}
	})
	moved := workflow.GetSignalChannel(ctx, DeadlineMovedSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		var m DeadlineMoved
		for moved.Receive(ctx, &m) {
			if workflow.GetVersion(ctx, movableDeadlineChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
				continue
			}
			// Grants only add time, and a late duplicate must not pull the deadline back.
			if !e.finalized && m.Deadline.After(e.deadline) {
				e.deadline, e.deadlineMoved = m.Deadline, true
			}
		}
	})
	return e.run(ctx)
}

func (e *exam) run(ctx workflow.Context) (ExamResult, error) {
	// Without a moved deadline this is one timer, exactly the commands of the histories
	// recorded before deadlines could move.
	for {
		remaining := e.deadline.Sub(workflow.Now(ctx))
		if remaining <= 0 {
			break
		}
		e.deadlineMoved = false
		waited, err := workflow.AwaitWithTimeout(ctx, remaining, func() bool { return e.submitRequested || e.deadlineMoved })
		if err != nil {
			return ExamResult{}, fmt.Errorf("wait for submission: %w", err)
		}
		if e.submitRequested || (!waited && !e.deadlineMoved) {
			break
		}
	}
	req := FinalizeRequest{AttemptID: e.input.AttemptID, Manual: e.submitRequested}
	e.err = e.finalize(ctx, req).Get(ctx, &e.outcome)
	e.finalized = true
	// Let every submit update that is waiting read the outcome before the workflow ends.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return e.outcome, fmt.Errorf("wait for handlers: %w", err)
	}
	return e.outcome, e.err
}

// submit marks the exam as submitted and returns the outcome once it is graded. A submit
// that arrives after the timer fired, or a second submit, gets the same single outcome.
func (e *exam) submit(ctx workflow.Context) (ExamResult, error) {
	if !e.finalized {
		e.submitRequested = true
	}
	if err := workflow.Await(ctx, func() bool { return e.finalized }); err != nil {
		return ExamResult{}, err
	}
	return e.outcome, e.err
}

// finalizeRetry has no attempt limit: the finalization is idempotent and an exam must end
// however long the database is away.
var finalizeRetry = &temporal.RetryPolicy{
	InitialInterval:    200 * time.Millisecond,
	BackoffCoefficient: 2,
	MaximumInterval:    10 * time.Second,
}

// finalizeLocally runs FinalizeAttempt as a local activity: it is one short transaction,
// and running it inside the workflow task saves Temporal two tasks per exam, which is
// what bounds how many exams can end in the same minute.
func finalizeLocally(ctx workflow.Context, req FinalizeRequest) workflow.Future {
	// A local activity's retries are bounded by its schedule-to-close timeout (by default
	// its start-to-close one); a day covers any database outage we would ride out, and the
	// sweeper closes the attempt if even that runs out.
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 30 * time.Second, ScheduleToCloseTimeout: 24 * time.Hour, RetryPolicy: finalizeRetry})
	// By name: the registered Activities value carries the database handle.
	return workflow.ExecuteLocalActivity(lctx, ActivityFinalizeAttempt, req)
}

func finalizeByActivity(ctx workflow.Context, req FinalizeRequest) workflow.Future {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second, RetryPolicy: finalizeRetry})
	return workflow.ExecuteActivity(actx, ActivityFinalizeAttempt, req)
}
