//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/installation"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// waitWorkflow waits (up to a deadline) for a workflow to close and returns how it ended.
func waitWorkflow(t *testing.T, s *testenv.Stack, workflowID string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := s.Temporal.GetWorkflow(ctx, workflowID, "").Get(ctx, nil)
	if ctx.Err() != nil {
		t.Fatalf("workflow %s still running after 60 s", workflowID)
	}
	return err
}

func attemptStatus(t *testing.T, s *testenv.Stack, attemptID int64) string {
	t.Helper()
	var status string
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT status FROM attempts WHERE id = $1`, attemptID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status
}

// Without TEMPORAL_TASK_QUEUE, each installation derives its own queue from its
// database, and its exams run there.
func TestInstallationsGetTheirOwnDefaultTaskQueues(t *testing.T) {
	a := testenv.New(t, testenv.Options{DefaultTaskQueue: true})
	b := testenv.New(t, testenv.Options{DefaultTaskQueue: true})
	if a.TaskQueue() == b.TaskQueue() {
		t.Fatalf("two installations share the default task queue %q", a.TaskQueue())
	}
	for _, s := range []*testenv.Stack{a, b} {
		if want := installation.TaskQueue(s.Installation); s.TaskQueue() != want {
			t.Fatalf("default task queue %q, want %q derived from installation %s", s.TaskQueue(), want, s.Installation)
		}
		p := s.Participant(t)
		_, at := startCurrent(t, p)
		var res result
		p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", at.AttemptID), nil).JSON(t, &res)
		id := workflows.ExamWorkflowID(s.Installation, at.AttemptID)
		if err := waitWorkflow(t, s, id); err != nil {
			t.Fatalf("exam on the derived queue: %v", err)
		}
		desc, err := s.Temporal.DescribeWorkflow(context.Background(), id, "")
		if err != nil {
			t.Fatal(err)
		}
		if q := desc.RawResponse.WorkflowExecutionInfo.TaskQueue; q != s.TaskQueue() {
			t.Fatalf("exam ran on task queue %q, want the installation's %q", q, s.TaskQueue())
		}
	}
}

// Two installations forced onto one task queue, with only A's worker polling it: A's
// worker picks up B's exam and B's campaign. It must refuse their activities, which name
// attempt and campaign ids that mean something else in A's database, rather than close
// A's attempt that has the same id as B's. Before the guard, B's submission closed A's
// attempt 1 while its participant was still sitting.
func TestWorkerRefusesAnotherInstallationsWorkflowsOnASharedQueue(t *testing.T) {
	shared := fmt.Sprintf("it-shared-%d", time.Now().UnixNano())
	var logs testenv.LogRecorder
	a := testenv.New(t, testenv.Options{TaskQueue: shared, WorkerLog: logs.Logger()})
	b := testenv.New(t, testenv.Options{TaskQueue: shared, NoWorker: true})
	if a.Installation == b.Installation {
		t.Fatal("two databases with one installation id")
	}

	// One open attempt in each database, with the same id.
	pa, pb := a.Participant(t), b.Participant(t)
	_, atA := startCurrent(t, pa)
	_, atB := startCurrent(t, pb)
	for atB.AttemptID < atA.AttemptID {
		pb = b.Participant(t)
		_, atB = startCurrent(t, pb)
	}
	for atA.AttemptID < atB.AttemptID {
		pa = a.Participant(t)
		_, atA = startCurrent(t, pa)
	}
	id := atA.AttemptID

	// B's participant submits: B closes its attempt in its own database, then signals its
	// exam workflow, which only A's worker polls.
	var res result
	pb.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", id), nil).JSON(t, &res)
	if res.Status != contest.StatusSubmitted {
		t.Fatalf("B's submit: %+v", res)
	}
	foreignExam := workflows.ExamWorkflowID(b.Installation, id)
	assertRefused(t, waitWorkflow(t, b, foreignExam), foreignExam)

	// A's attempt with the same id is untouched: still open, no result.
	if got := attemptStatus(t, a, id); got != contest.StatusInProgress {
		t.Fatalf("A's attempt %d is %q after B's exam %d ran on A's worker, want it still %q", id, got, id, contest.StatusInProgress)
	}
	if n := resultRows(t, a, id); n != 0 {
		t.Fatalf("A's attempt %d has %d result rows written by B's exam", id, n)
	}
	if got := attemptStatus(t, b, id); got != contest.StatusSubmitted {
		t.Fatalf("B's attempt %d is %q, want %q (closed by B's own API)", id, got, contest.StatusSubmitted)
	}

	// B's campaign workflow is refused at its first activity too.
	campaign, err := b.Store.DefaultCampaign(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Campaigns.Start(context.Background(), campaign.ID, false); err != nil {
		t.Fatal(err)
	}
	foreignCampaign := workflows.CampaignWorkflowID(b.Installation, campaign.ID)
	assertRefused(t, waitWorkflow(t, b, foreignCampaign), foreignCampaign)

	// Each refusal was logged once, at error level.
	for _, wf := range []string{foreignExam, foreignCampaign} {
		var n int
		for _, r := range logs.Records() {
			if r.Attrs["workflow_id"] == wf && strings.Contains(r.Message, "another installation") {
				n++
				if r.Level < slog.LevelWarn {
					t.Errorf("refusal of %s logged at %v", wf, r.Level)
				}
			}
		}
		if n != 1 {
			t.Errorf("refusal of %s logged %d times, want once", wf, n)
		}
	}

	// A's own exam still runs on the shared queue: its participant submits and the
	// workflow completes.
	pa.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", id), nil).JSON(t, &res)
	if err := waitWorkflow(t, a, workflows.ExamWorkflowID(a.Installation, id)); err != nil {
		t.Fatalf("A's own exam on the shared queue: %v", err)
	}
	if got := attemptStatus(t, a, id); got != contest.StatusSubmitted {
		t.Fatalf("A's attempt after its own submit: %q", got)
	}
}

func assertRefused(t *testing.T, err error, workflowID string) {
	t.Helper()
	// The refusal may be wrapped by the workflow's own error (an application error too).
	var appErr *temporal.ApplicationError
	for cause := err; errors.As(cause, &appErr) && appErr.Type() != installation.ForeignErrorType; {
		cause, appErr = appErr.Unwrap(), nil
	}
	if appErr == nil {
		t.Fatalf("workflow %s ended with %v, want its activity refused as %s", workflowID, err, installation.ForeignErrorType)
	}
	if !appErr.NonRetryable() {
		t.Fatalf("refusal of %s is retryable", workflowID)
	}
}
