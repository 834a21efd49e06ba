package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// ExamRunner owns the clock of an exam: it is told when an attempt starts and asked to
// close it on submission.
type ExamRunner interface {
	Start(ctx context.Context, attemptID int64, deadline time.Time) error
	Submit(ctx context.Context, attemptID int64) (store.Result, error)
}

// ErrExamGone means the exam's workflow no longer accepts a submission (it has finished
// or never existed); the attempt's state in PostgreSQL is then the answer.
var ErrExamGone = errors.New("exam workflow not running")

// TemporalExams runs each exam as a workflow on Temporal.
type TemporalExams struct {
	Client    client.Client
	TaskQueue string
	// Installation is the database's id (store.InstallationID), part of every workflow id.
	Installation string
	// EagerStart hands the first workflow task straight to a worker in this process,
	// saving a round trip when the API and the worker share a process (the dev command).
	EagerStart bool
	// SubmitTimeout bounds how long a submission waits for the workflow (no worker
	// polling, Temporal overloaded); past it the API closes the attempt itself. Default 5 s.
	SubmitTimeout time.Duration
}

// Start starts the exam's workflow. Starting twice is harmless: the id is the attempt's.
func (t TemporalExams) Start(ctx context.Context, attemptID int64, deadline time.Time) error {
	_, err := t.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:               workflows.ExamWorkflowID(t.Installation, attemptID),
		TaskQueue:        t.TaskQueue,
		EnableEagerStart: t.EagerStart,
	}, workflows.ExamWorkflow, workflows.ExamInput{AttemptID: attemptID, Deadline: deadline})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &already) {
		return fmt.Errorf("start exam workflow for attempt %d: %w", attemptID, err)
	}
	return nil
}

// Submit sends the submit update and waits for the graded outcome.
func (t TemporalExams) Submit(ctx context.Context, attemptID int64) (store.Result, error) {
	var res store.Result
	timeout := t.SubmitTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	handle, err := t.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.ExamWorkflowID(t.Installation, attemptID),
		UpdateName:   workflows.SubmitUpdate,
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, &res)
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return res, fmt.Errorf("submit attempt %d: %w", attemptID, ErrExamGone)
	}
	if err != nil {
		return res, fmt.Errorf("submit attempt %d through its workflow: %w", attemptID, err)
	}
	return res, nil
}
