package workflows

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/hpcontest/contest"
)

const timeLimit = 10*time.Minute + 30*time.Second

// finalizer stands in for the FinalizeAttempt activity: it records how it was called and
// answers as the store would, one result per attempt.
type finalizer struct {
	calls      atomic.Int32
	manual     atomic.Bool
	calledAt   time.Time
	failFirstN int32
	env        *testsuite.TestWorkflowEnvironment
}

func (f *finalizer) finalize(_ context.Context, req FinalizeRequest) (ExamResult, error) {
	n := f.calls.Add(1)
	if n <= f.failFirstN {
		return ExamResult{}, errors.New("database unavailable")
	}
	f.manual.Store(req.Manual)
	f.calledAt = f.env.Now()
	status := contest.StatusAutoSubmitted
	if req.Manual {
		status = contest.StatusSubmitted
	}
	return ExamResult{AttemptID: req.AttemptID, Status: status, CorrectCount: 7, QuestionCount: 10}, nil
}

func newExamEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *finalizer, ExamInput) {
	return newExamEnvWithFinalizeTime(t, 0)
}

// newExamEnvWithFinalizeTime makes each finalization take d of workflow time.
func newExamEnvWithFinalizeTime(t *testing.T, d time.Duration) (*testsuite.TestWorkflowEnvironment, *finalizer, ExamInput) {
	t.Helper()
	env := newTestEnv()
	f := &finalizer{env: env}
	registerActivityStubs(env)
	env.OnActivity(ActivityFinalizeAttempt, mock.Anything, mock.Anything).After(d).Return(f.finalize)
	// The test environment checks local activity deadlines against the wall clock, so the
	// workflow clock must start near it.
	start := time.Now().UTC().Truncate(time.Second)
	env.SetStartTime(start)
	return env, f, ExamInput{AttemptID: 42, Deadline: start.Add(timeLimit)}
}

type updateOutcome struct {
	result   ExamResult
	err      error
	rejected error
	done     bool
}

func sendSubmit(env *testsuite.TestWorkflowEnvironment, id string, out *updateOutcome) {
	env.UpdateWorkflow(SubmitUpdate, id, &testsuite.TestUpdateCallback{
		OnAccept: func() {},
		OnReject: func(err error) { out.rejected = err },
		OnComplete: func(res interface{}, err error) {
			out.done, out.err = true, err
			if r, ok := res.(ExamResult); ok {
				out.result = r
			}
		},
	})
}

func workflowResult(t *testing.T, env *testsuite.TestWorkflowEnvironment) ExamResult {
	t.Helper()
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow failed: %v", err)
	}
	var res ExamResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestExamAutoSubmitsAtDeadline(t *testing.T) {
	env, f, in := newExamEnv(t)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if res.Status != contest.StatusAutoSubmitted || f.manual.Load() {
		t.Fatalf("status %q manual %v, want an automatic submission", res.Status, f.manual.Load())
	}
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("finalized %d times, want 1", got)
	}
	if !f.calledAt.Equal(in.Deadline) {
		t.Fatalf("finalized at %v, want the deadline %v", f.calledAt, in.Deadline)
	}
}

func TestExamEarlySubmitCancelsTheTimer(t *testing.T) {
	env, f, in := newExamEnv(t)
	var out updateOutcome
	env.RegisterDelayedCallback(func() { sendSubmit(env, "submit-1", &out) }, 3*time.Minute)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if !out.done || out.err != nil || out.result.Status != contest.StatusSubmitted {
		t.Fatalf("update outcome %+v", out)
	}
	if res != out.result {
		t.Fatalf("workflow result %+v differs from the update's %+v", res, out.result)
	}
	if want := in.Deadline.Add(-timeLimit + 3*time.Minute); !f.calledAt.Equal(want) {
		t.Fatalf("finalized at %v, want at the submission %v", f.calledAt, want)
	}
	// The workflow ended at the submission: the deadline timer did not hold it open.
	if env.Now().After(in.Deadline) {
		t.Fatalf("workflow clock reached %v, past the deadline %v", env.Now(), in.Deadline)
	}
}

func TestExamDuplicateSubmitYieldsOneResult(t *testing.T) {
	env, f, in := newExamEnv(t)
	var first, second updateOutcome
	env.RegisterDelayedCallback(func() {
		sendSubmit(env, "submit-1", &first)
		sendSubmit(env, "submit-2", &second)
	}, time.Minute)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	workflowResult(t, env)
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("finalized %d times, want 1", got)
	}
	if !first.done || !second.done || first.result != second.result || first.err != nil || second.err != nil {
		t.Fatalf("outcomes differ: %+v vs %+v", first, second)
	}
}

func TestExamSubmitRacingTheTimer(t *testing.T) {
	env, f, in := newExamEnv(t)
	var out updateOutcome
	// Same instant as the timer: whichever the workflow sees first, there is one outcome.
	env.RegisterDelayedCallback(func() { sendSubmit(env, "submit-at-deadline", &out) }, timeLimit)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("finalized %d times, want 1", got)
	}
	if out.rejected == nil && (!out.done || out.result != res) {
		t.Fatalf("update outcome %+v differs from workflow result %+v", out, res)
	}
}

func TestExamSubmitJustAfterTheTimerGetsTheAutomaticResult(t *testing.T) {
	// The finalization takes a moment; a submission landing during it joins it.
	env, f, in := newExamEnvWithFinalizeTime(t, 2*time.Second)
	var out updateOutcome
	env.RegisterDelayedCallback(func() { sendSubmit(env, "late", &out) }, timeLimit+time.Second)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if got := f.calls.Load(); got != 1 {
		t.Fatalf("finalized %d times, want 1", got)
	}
	if res.Status != contest.StatusAutoSubmitted || !out.done || out.result != res {
		t.Fatalf("late submit got %+v, workflow %+v", out, res)
	}
}

func TestExamRetriesFinalizationUntilTheDatabaseAnswers(t *testing.T) {
	env, f, in := newExamEnv(t)
	f.failFirstN = 3
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if got := f.calls.Load(); got != 4 || res.Status != contest.StatusAutoSubmitted {
		t.Fatalf("calls %d status %q; want 4 calls and an automatic submission", got, res.Status)
	}
}

func TestExamWithDeadlineAlreadyPassedFinalizesAtOnce(t *testing.T) {
	env, f, in := newExamEnv(t)
	in.Deadline = in.Deadline.Add(-2 * timeLimit)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if res.Status != contest.StatusAutoSubmitted || f.calls.Load() != 1 {
		t.Fatalf("status %q calls %d", res.Status, f.calls.Load())
	}
}

func TestExamSubmittedSignalEndsTheExamEarly(t *testing.T) {
	env, f, in := newExamEnv(t)
	env.RegisterDelayedCallback(func() { env.SignalWorkflow(SubmittedSignal, nil) }, 3*time.Minute)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if res.Status != contest.StatusSubmitted || !f.manual.Load() || f.calls.Load() != 1 {
		t.Fatalf("status %q manual %v calls %d, want one manual finalization", res.Status, f.manual.Load(), f.calls.Load())
	}
	if want := in.Deadline.Add(-timeLimit + 3*time.Minute); !f.calledAt.Equal(want) {
		t.Fatalf("finalized at %v, want at the signal %v", f.calledAt, want)
	}
	if env.Now().After(in.Deadline) {
		t.Fatalf("workflow clock reached %v, past the deadline %v", env.Now(), in.Deadline)
	}
}

func TestExamSubmittedSignalTwiceOrAgainstTheTimerFinalizesOnce(t *testing.T) {
	for name, at := range map[string]time.Duration{"twice early": time.Minute, "at the deadline": timeLimit, "after the deadline": timeLimit + time.Second} {
		t.Run(name, func(t *testing.T) {
			env, f, in := newExamEnvWithFinalizeTime(t, 2*time.Second)
			env.RegisterDelayedCallback(func() {
				env.SignalWorkflow(SubmittedSignal, nil)
				env.SignalWorkflow(SubmittedSignal, nil)
			}, at)
			env.ExecuteWorkflow(ExamWorkflowV2, in)
			workflowResult(t, env)
			if got := f.calls.Load(); got != 1 {
				t.Fatalf("finalized %d times, want 1", got)
			}
		})
	}
}

// Extra time granted while the exam runs moves its timer: the attempt closes at the new
// deadline, and a later signal naming an earlier deadline does not pull it back.
func TestExamDeadlineMovedBySignal(t *testing.T) {
	env, f, in := newExamEnv(t)
	moved := in.Deadline.Add(5 * time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(DeadlineMovedSignal, DeadlineMoved{Deadline: moved})
	}, 2*time.Minute)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(DeadlineMovedSignal, DeadlineMoved{Deadline: in.Deadline})
	}, 4*time.Minute)
	env.ExecuteWorkflow(ExamWorkflowV2, in)
	res := workflowResult(t, env)
	if res.Status != contest.StatusAutoSubmitted || f.calls.Load() != 1 {
		t.Fatalf("status %q after %d finalizations, want one automatic submission", res.Status, f.calls.Load())
	}
	if !f.calledAt.Equal(moved) {
		t.Fatalf("finalized at %v, want the moved deadline %v", f.calledAt, moved)
	}
}
