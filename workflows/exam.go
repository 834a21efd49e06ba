// Package workflows holds deterministic workflow code only: no I/O, no wall clock, no map
// iteration, no goroutines but workflow.Go.
package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/store"
)

// SubmitUpdate is the update a participant's submission sends to their exam.
const SubmitUpdate = "submit"

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
	submitRequested bool
	finalized       bool
	outcome         store.Result
	err             error
}

// ExamWorkflow waits for the participant's submission or the deadline, whichever comes
// first, then finalizes the attempt through an activity. The answers themselves never pass
// through Temporal: they are short guarded writes to PostgreSQL.
func ExamWorkflow(ctx workflow.Context, input ExamInput) (store.Result, error) {
	e := &exam{input: input}
	if err := workflow.SetUpdateHandler(ctx, SubmitUpdate, e.submit); err != nil {
		return store.Result{}, fmt.Errorf("register submit handler: %w", err)
	}
	return e.run(ctx)
}

func (e *exam) run(ctx workflow.Context) (store.Result, error) {
	if remaining := e.input.Deadline.Sub(workflow.Now(ctx)); remaining > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, remaining, func() bool { return e.submitRequested }); err != nil {
			return store.Result{}, fmt.Errorf("wait for submission: %w", err)
		}
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		// No attempt limit: the activity is idempotent and an exam must end however long
		// the database is away.
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    200 * time.Millisecond,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Second,
		},
	})
	var acts *activities.Activities
	req := activities.FinalizeRequest{AttemptID: e.input.AttemptID, Manual: e.submitRequested}
	e.err = workflow.ExecuteActivity(actx, acts.FinalizeAttempt, req).Get(ctx, &e.outcome)
	e.finalized = true
	// Let every submit update that is waiting read the outcome before the workflow ends.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return e.outcome, fmt.Errorf("wait for handlers: %w", err)
	}
	return e.outcome, e.err
}

// submit marks the exam as submitted and returns the outcome once it is graded. A submit
// that arrives after the timer fired, or a second submit, gets the same single outcome.
func (e *exam) submit(ctx workflow.Context) (store.Result, error) {
	if !e.finalized {
		e.submitRequested = true
	}
	if err := workflow.Await(ctx, func() bool { return e.finalized }); err != nil {
		return store.Result{}, err
	}
	return e.outcome, e.err
}
