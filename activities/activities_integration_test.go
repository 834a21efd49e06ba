//go:build integration

package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// The activities that reach PostgreSQL, called by name through the SDK's test activity
// environment (as a worker would call them, with the SDK's payload and error
// conversion) against a fresh database seeded with the demo campaign (round 1 open).
// No Temporal server is involved.

type fixture struct {
	st         *store.Store
	acts       *activities.Activities
	campaignID int64
	roundID    int64 // round 1, open now
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	st := testenv.NewDatabase(t)
	campaign, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{st: st, acts: &activities.Activities{Store: st}}
	if err := st.Pool().QueryRow(ctx, `SELECT id FROM campaigns WHERE code = $1`, campaign.Code).Scan(&f.campaignID); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool().QueryRow(ctx, `SELECT id FROM rounds WHERE campaign_id = $1 AND number = 1`, f.campaignID).Scan(&f.roundID); err != nil {
		t.Fatal(err)
	}
	return f
}

// run executes one activity by the name the workflows call it by; out receives its result.
func (f fixture) run(t *testing.T, name string, out any, args ...any) error {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(f.acts)
	val, err := env.ExecuteActivity(name, args...)
	if err != nil {
		return err
	}
	if out != nil {
		if err := val.Get(out); err != nil {
			t.Fatalf("decode %s result: %v", name, err)
		}
	}
	return nil
}

// attempt opens an attempt of round 1 for a new participant.
func (f fixture) attempt(t *testing.T) store.Attempt { return testenv.OpenAttempt(t, f.st, f.roundID) }

// pastDeadline moves an open attempt's deadline a second into the past.
func (f fixture) pastDeadline(t *testing.T, attemptID int64) {
	testenv.ExpireAttempt(t, f.st, attemptID)
}

func (f fixture) scalar(t *testing.T, dst any, q string, args ...any) {
	t.Helper()
	if err := f.st.Pool().QueryRow(context.Background(), q, args...).Scan(dst); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func applicationError(t *testing.T, err error) *temporal.ApplicationError {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		t.Fatalf("error %v (%T), want an application error", err, err)
	}
	return appErr
}

func TestFinalizeAttemptActivity(t *testing.T) {
	f := newFixture(t)
	a := f.attempt(t)

	t.Run("an automatic close before the deadline asks to be retried at it", func(t *testing.T) {
		err := f.run(t, workflows.ActivityFinalizeAttempt, nil, workflows.FinalizeRequest{AttemptID: a.ID})
		appErr := applicationError(t, err)
		if appErr.Type() != workflows.DeadlineNotReachedErrorType || appErr.NonRetryable() {
			t.Fatalf("error type %q non-retryable %v, want a retryable %s", appErr.Type(), appErr.NonRetryable(), workflows.DeadlineNotReachedErrorType)
		}
		if d := appErr.NextRetryDelay(); d <= 0 || d > time.Until(a.Deadline)+time.Second {
			t.Errorf("next retry in %s, want about the %s left", d, time.Until(a.Deadline))
		}
		var status string
		f.scalar(t, &status, `SELECT status FROM attempts WHERE id = $1`, a.ID)
		if status != contest.StatusInProgress {
			t.Errorf("attempt %q after an early automatic close, want it still open", status)
		}
	})

	var submitted workflows.ExamResult
	t.Run("the participant's submit closes it", func(t *testing.T) {
		if err := f.run(t, workflows.ActivityFinalizeAttempt, &submitted, workflows.FinalizeRequest{AttemptID: a.ID, Manual: true}); err != nil {
			t.Fatal(err)
		}
		if submitted.AttemptID != a.ID || submitted.Status != contest.StatusSubmitted || submitted.QuestionCount != len(a.Questions) {
			t.Errorf("result %+v, want attempt %d submitted with %d questions", submitted, a.ID, len(a.Questions))
		}
	})

	t.Run("the timer's close afterwards returns the same result and writes nothing", func(t *testing.T) {
		var again workflows.ExamResult
		if err := f.run(t, workflows.ActivityFinalizeAttempt, &again, workflows.FinalizeRequest{AttemptID: a.ID}); err != nil {
			t.Fatal(err)
		}
		if again.Status != submitted.Status || again.CorrectCount != submitted.CorrectCount || !again.FinishedAt.Equal(submitted.FinishedAt) ||
			again.TimeUsedMS != submitted.TimeUsedMS {
			t.Errorf("second close %+v, want the first %+v", again, submitted)
		}
		var results int
		f.scalar(t, &results, `SELECT count(*) FROM results WHERE attempt_id = $1`, a.ID)
		if results != 1 {
			t.Errorf("%d result rows, want 1", results)
		}
	})

	t.Run("the timer closes an attempt left open at its deadline", func(t *testing.T) {
		late := f.attempt(t)
		f.pastDeadline(t, late.ID)
		var res workflows.ExamResult
		if err := f.run(t, workflows.ActivityFinalizeAttempt, &res, workflows.FinalizeRequest{AttemptID: late.ID}); err != nil {
			t.Fatal(err)
		}
		var deadline time.Time
		f.scalar(t, &deadline, `SELECT deadline FROM attempts WHERE id = $1`, late.ID)
		if res.Status != contest.StatusAutoSubmitted || !res.FinishedAt.Equal(deadline) {
			t.Errorf("result %+v, want auto_submitted at the deadline %s", res, deadline)
		}
	})

	t.Run("an attempt that no longer exists comes back abandoned", func(t *testing.T) {
		var res workflows.ExamResult
		if err := f.run(t, workflows.ActivityFinalizeAttempt, &res, workflows.FinalizeRequest{AttemptID: a.ID + 1_000_000}); err != nil {
			t.Fatal(err)
		}
		if res.Status != contest.StatusAbandoned {
			t.Errorf("status %q, want %q", res.Status, contest.StatusAbandoned)
		}
	})
}

func TestRankRoundActivity(t *testing.T) {
	f := newFixture(t)
	req := workflows.RankRequest{RoundID: f.roundID, Criteria: rules.DefaultRanking, Prizes: rules.PrizeCounts{First: 1, Second: 1, Third: 1}}

	t.Run("an unknown round fails for good", func(t *testing.T) {
		unknown := req
		unknown.RoundID = f.roundID + 1_000_000
		appErr := applicationError(t, f.run(t, workflows.ActivityRankRound, nil, unknown))
		if !appErr.NonRetryable() || appErr.Type() != "NotFound" {
			t.Errorf("error type %q non-retryable %v, want a non-retryable NotFound", appErr.Type(), appErr.NonRetryable())
		}
	})

	running := f.attempt(t)
	t.Run("an attempt still running: retried later, nothing ranked", func(t *testing.T) {
		appErr := applicationError(t, f.run(t, workflows.ActivityRankRound, nil, req))
		if appErr.NonRetryable() {
			t.Errorf("error %v is non-retryable: the round would never be ranked", appErr)
		}
		var rows int
		f.scalar(t, &rows, `SELECT count(*) FROM round_rankings WHERE round_id = $1`, f.roundID)
		if rows != 0 {
			t.Errorf("%d ranking rows while an attempt runs, want 0", rows)
		}
	})

	t.Run("once every deadline has passed, the overdue attempts are closed and ranked", func(t *testing.T) {
		submitted := f.attempt(t)
		if err := f.run(t, workflows.ActivityFinalizeAttempt, nil, workflows.FinalizeRequest{AttemptID: submitted.ID, Manual: true}); err != nil {
			t.Fatal(err)
		}
		f.pastDeadline(t, running.ID)
		var sum workflows.RankSummary
		if err := f.run(t, workflows.ActivityRankRound, &sum, req); err != nil {
			t.Fatal(err)
		}
		if sum.Participants != 2 {
			t.Errorf("summary %+v, want 2 participants", sum)
		}
		var status string
		f.scalar(t, &status, `SELECT status FROM attempts WHERE id = $1`, running.ID)
		if status != contest.StatusAutoSubmitted {
			t.Errorf("overdue attempt %q after ranking, want %q", status, contest.StatusAutoSubmitted)
		}
	})
}

func TestLoadCampaignPlanActivity(t *testing.T) {
	f := newFixture(t)

	t.Run("the seeded calendar", func(t *testing.T) {
		var plan workflows.CampaignPlan
		if err := f.run(t, workflows.ActivityLoadCampaignPlan, &plan, f.campaignID); err != nil {
			t.Fatal(err)
		}
		want, err := f.st.LoadCampaignPlan(context.Background(), f.campaignID)
		if err != nil {
			t.Fatal(err)
		}
		if plan.CampaignID != f.campaignID || plan.Code != want.Code || plan.TimeLimit != want.TimeLimit || !plan.Live {
			t.Errorf("plan %s %s live %v, want %s %s live", plan.Code, plan.TimeLimit, plan.Live, want.Code, want.TimeLimit)
		}
		if len(plan.Rounds) != len(want.Rounds) || len(plan.Rounds) == 0 {
			t.Fatalf("%d rounds, want %d", len(plan.Rounds), len(want.Rounds))
		}
		for i, r := range plan.Rounds {
			w := want.Rounds[i]
			if r.ID != w.ID || r.Number != w.Number || !r.OpensAt.Equal(w.OpensAt) || !r.ClosesAt.Equal(w.ClosesAt) ||
				r.QuestionSetStatus != w.QuestionSetStatus || r.State != w.State {
				t.Errorf("round %d = %+v, want %+v", i+1, r, w)
			}
		}
		if plan.Settings.MinCorrectForPrize < 1 {
			t.Errorf("settings not parsed: %+v", plan.Settings)
		}
	})

	t.Run("an unknown campaign fails for good", func(t *testing.T) {
		appErr := applicationError(t, f.run(t, workflows.ActivityLoadCampaignPlan, nil, f.campaignID+1_000_000))
		if !appErr.NonRetryable() || appErr.Type() != "NotFound" {
			t.Errorf("error type %q non-retryable %v, want a non-retryable NotFound", appErr.Type(), appErr.NonRetryable())
		}
	})

	t.Run("settings that do not parse fail for good", func(t *testing.T) {
		if _, err := f.st.Pool().Exec(context.Background(),
			`UPDATE campaigns SET settings = settings || '{"registration": "by_lottery"}'::jsonb WHERE id = $1`, f.campaignID); err != nil {
			t.Fatal(err)
		}
		appErr := applicationError(t, f.run(t, workflows.ActivityLoadCampaignPlan, nil, f.campaignID))
		if !appErr.NonRetryable() || appErr.Type() != "BadSettings" {
			t.Errorf("error type %q non-retryable %v, want a non-retryable BadSettings", appErr.Type(), appErr.NonRetryable())
		}
	})
}

// A retried RecordDecision returns the first record's time and does not apply its
// effect again over a later decision.
func TestRecordDecisionActivity(t *testing.T) {
	f := newFixture(t)
	setStatus := func() string {
		var s string
		f.scalar(t, &s, `SELECT question_set_status FROM rounds WHERE campaign_id = $1 AND number = 2`, f.campaignID)
		return s
	}
	sendBack := workflows.DecisionRecord{CampaignID: f.campaignID, Kind: contest.DecisionQuestionSet, RoundNumber: 2,
		Outcome: contest.OutcomeSentBack, Comment: "Câu 3 sai căn cứ", RequestID: "req-send-back"}
	var first time.Time
	if err := f.run(t, workflows.ActivityRecordDecision, &first, sendBack); err != nil {
		t.Fatal(err)
	}
	if got := setStatus(); got != "sent_back" {
		t.Fatalf("set %q after the send-back, want sent_back", got)
	}
	ready := workflows.DecisionRecord{CampaignID: f.campaignID, Kind: contest.DecisionQuestionSetReady, RoundNumber: 2,
		Outcome: contest.OutcomeDone, RequestID: "req-ready"}
	if err := f.run(t, workflows.ActivityRecordDecision, nil, ready); err != nil {
		t.Fatal(err)
	}

	var again time.Time
	if err := f.run(t, workflows.ActivityRecordDecision, &again, sendBack); err != nil {
		t.Fatal(err)
	}
	if !again.Equal(first) {
		t.Errorf("retried decision recorded at %s, want the first record's %s", again, first)
	}
	if got := setStatus(); got != "ready" {
		t.Errorf("set %q after the retried send-back, want it still ready", got)
	}
	var n int
	f.scalar(t, &n, `SELECT count(*) FROM decisions WHERE request_id = $1`, sendBack.RequestID)
	if n != 1 {
		t.Errorf("%d decisions for one request, want 1", n)
	}
}

// Stages and round states only move forward, whatever order retried activities land in.
func TestRecordStageAndAdvanceRoundActivities(t *testing.T) {
	f := newFixture(t)
	t.Run("a retried earlier stage does not become current again", func(t *testing.T) {
		at := time.Now().Truncate(time.Second)
		for _, r := range []workflows.StageRecord{
			{CampaignID: f.campaignID, Seq: 1, Stage: contest.StageQuestionBank, WaitingFor: contest.WaitingQuestionSetApprovals, EnteredAt: at},
			{CampaignID: f.campaignID, Seq: 2, Stage: contest.StageTrialRun, EnteredAt: at.Add(time.Second)},
			{CampaignID: f.campaignID, Seq: 1, Stage: contest.StageQuestionBank, WaitingFor: contest.WaitingQuestionSetApprovals, EnteredAt: at},
		} {
			if err := f.run(t, workflows.ActivityRecordStage, nil, r); err != nil {
				t.Fatal(err)
			}
		}
		var stage string
		var history int
		f.scalar(t, &stage, `SELECT stage FROM campaigns WHERE id = $1`, f.campaignID)
		f.scalar(t, &history, `SELECT count(*) FROM campaign_stages WHERE campaign_id = $1`, f.campaignID)
		if stage != contest.StageTrialRun || history != 2 {
			t.Errorf("stage %q with %d history rows, want %q with 2", stage, history, contest.StageTrialRun)
		}
	})
	t.Run("a retried earlier round state does not move the round back", func(t *testing.T) {
		for _, state := range []string{"closed", "open"} {
			if err := f.run(t, workflows.ActivityAdvanceRound, nil, workflows.RoundStateChange{RoundID: f.roundID, State: state}); err != nil {
				t.Fatal(err)
			}
		}
		var state string
		f.scalar(t, &state, `SELECT state FROM rounds WHERE id = $1`, f.roundID)
		if state != "closed" {
			t.Errorf("round %q, want closed", state)
		}
	})
}

// Jury scoring is not complete while there is nothing to score.
func TestJuryCompleteActivity(t *testing.T) {
	f := newFixture(t)
	var done bool
	if err := f.run(t, workflows.ActivityJuryComplete, &done, f.campaignID); err != nil {
		t.Fatal(err)
	}
	if done {
		t.Error("jury complete with no clip entered")
	}
}
