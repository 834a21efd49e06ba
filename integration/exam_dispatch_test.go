//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// The API process that took an attempt dies before it started the exam's workflow. The
// participant's answers are safe in PostgreSQL all along; another API process finds the
// attempt without a workflow, starts it, and its timer closes the attempt at the deadline.
func TestExamWhoseWorkflowStartWasLostIsStartedByAnotherProcess(t *testing.T) {
	s := testenv.New(t, testenv.Options{TimeLimit: 6 * time.Second, HoldExamStarts: true, ScoreAtSubmit: true})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID), map[string]string{"choice": keys[1]})

	var startedAt *time.Time
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT workflow_started_at FROM attempts WHERE id = $1`, a.AttemptID).Scan(&startedAt); err != nil {
		t.Fatal(err)
	}
	if startedAt != nil {
		t.Fatal("workflow recorded as started although no dispatcher ran")
	}

	s.StartExamDispatcher(t)
	var got attempt
	waitFor(t, 30*time.Second, "the exam to be closed by its workflow", func() bool {
		p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &got)
		return got.Status != "in_progress"
	})
	if got.Status != "auto_submitted" || got.Result == nil || got.Result.CorrectCount != 1 {
		t.Fatalf("after recovery: %+v", got)
	}
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT workflow_started_at FROM attempts WHERE id = $1`, a.AttemptID).Scan(&startedAt); err != nil {
		t.Fatal(err)
	}
	if startedAt == nil {
		t.Fatal("recovered workflow start not recorded")
	}
	desc, err := s.Temporal.DescribeWorkflow(context.Background(), workflows.ExamWorkflowID(s.Installation, a.AttemptID), "")
	if err != nil {
		t.Fatalf("the exam's workflow was never started: %v", err)
	}
	if st := desc.RawResponse.WorkflowExecutionInfo.Status; st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("exam workflow status %v", st)
	}
	if n := resultRows(t, s, a.AttemptID); n != 1 {
		t.Fatalf("%d results", n)
	}
}

// callCounter counts the calls the exam dispatcher makes to Temporal.
type callCounter struct {
	client.Client
	starts, signalStarts atomic.Int32
}

func (c *callCounter) ExecuteWorkflow(ctx context.Context, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	c.starts.Add(1)
	return c.Client.ExecuteWorkflow(ctx, o, wf, args...)
}

func (c *callCounter) SignalWithStartWorkflow(ctx context.Context, id, signal string, arg any, o client.StartWorkflowOptions, wf any, args ...any) (client.WorkflowRun, error) {
	c.signalStarts.Add(1)
	return c.Client.SignalWithStartWorkflow(ctx, id, signal, arg, o, wf, args...)
}

// A submission that overtakes its exam's queued start (Temporal is behind) rides on it:
// Temporal gets one signal-with-start, and the workflow ends at once with the result the
// API already recorded.
func TestSubmissionOvertakingItsQueuedStartCostsOneCall(t *testing.T) {
	calls := &callCounter{}
	s := testenv.New(t, testenv.Options{HoldExamStarts: true, ScoreAtSubmit: true, WrapExamClient: func(c client.Client) client.Client {
		calls.Client = c
		return calls
	}})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	var res result
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	if res.Status != "submitted" {
		t.Fatalf("submit %+v", res)
	}
	s.ReleaseExamStarts(t)
	waitFor(t, 15*time.Second, "the exam workflow to complete", func() bool {
		desc, err := s.Temporal.DescribeWorkflow(context.Background(), workflows.ExamWorkflowID(s.Installation, a.AttemptID), "")
		return err == nil && desc.RawResponse.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	if n, m := calls.starts.Load(), calls.signalStarts.Load(); n != 0 || m != 1 {
		t.Fatalf("%d starts and %d signal-with-starts, want 0 and 1", n, m)
	}
	var outcome store.Result
	run := s.Temporal.GetWorkflow(context.Background(), workflows.ExamWorkflowID(s.Installation, a.AttemptID), "")
	if err := run.Get(context.Background(), &outcome); err != nil || outcome.Status != "submitted" || outcome.CorrectCount != res.CorrectCount {
		t.Fatalf("workflow outcome %+v (%v), API said %+v", outcome, err, res)
	}
	if n := resultRows(t, s, a.AttemptID); n != 1 {
		t.Fatalf("%d results", n)
	}
}
