package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// The API process that took an attempt dies before it started the exam's workflow. The
// participant's answers are safe in PostgreSQL all along; another API process finds the
// attempt without a workflow, starts it, and its timer closes the attempt at the deadline.
func TestExamWhoseWorkflowStartWasLostIsStartedByAnotherProcess(t *testing.T) {
	s := testenv.New(t, testenv.Options{TimeLimit: 6 * time.Second, HoldExamStarts: true})
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
	desc, err := s.Temporal.DescribeWorkflowExecution(context.Background(), workflows.ExamWorkflowID(s.Installation, a.AttemptID), "")
	if err != nil {
		t.Fatalf("the exam's workflow was never started: %v", err)
	}
	if st := desc.WorkflowExecutionInfo.Status; st != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("exam workflow status %v", st)
	}
	if n := resultRows(t, s, a.AttemptID); n != 1 {
		t.Fatalf("%d results", n)
	}
}
