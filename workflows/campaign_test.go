package workflows

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

var hcm = time.FixedZone("ICT", 7*3600)

func day(m time.Month, d int) time.Time { return time.Date(2023, m, d, 0, 0, 0, 0, hcm) }

// campaignRecorder stands in for the campaign activities and remembers what they were asked.
type campaignRecorder struct {
	mu        sync.Mutex
	env       *testsuite.TestWorkflowEnvironment
	plan      CampaignPlan
	stages    []string
	decisions []DecisionRecord
	published []int64
	reminders []ReminderRequest
	rankedAt  map[int64]time.Time
	juryDone  bool // what the JuryComplete activity answers
}

func testPlan() CampaignPlan {
	rounds := []PlanRound{
		{ID: 101, Number: 1, OpensAt: day(10, 23), ClosesAt: day(10, 30)},
		{ID: 102, Number: 2, OpensAt: day(10, 30), ClosesAt: day(11, 6)},
		{ID: 103, Number: 3, OpensAt: day(11, 6), ClosesAt: day(11, 13)},
		{ID: 104, Number: 4, OpensAt: day(11, 13), ClosesAt: day(11, 18)},
	}
	for i := range rounds {
		rounds[i].QuestionSetStatus, rounds[i].State = "draft", "scheduled"
	}
	settings, _ := rules.ParseSettings(nil)
	settings.VideoDeadline = day(11, 18)
	return CampaignPlan{CampaignID: 7, Code: "test", TimeLimit: 630 * time.Second, Rounds: rounds, Settings: settings}
}

func newCampaignEnv(t *testing.T) (*testsuite.TestWorkflowEnvironment, *campaignRecorder) {
	t.Helper()
	env := newTestEnv()
	env.SetStartTime(day(10, 16))
	env.RegisterWorkflow(RoundWorkflow)
	rec := &campaignRecorder{env: env, plan: testPlan(), rankedAt: map[int64]time.Time{}}
	registerActivityStubs(env)
	env.OnActivity(ActivityLoadCampaignPlan, mock.Anything, mock.Anything).Return(
		func(context.Context, int64) (CampaignPlan, error) { return rec.plan, nil })
	env.OnActivity(ActivityRecordStage, mock.Anything, mock.Anything).Return(
		func(_ context.Context, r StageRecord) error {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.stages = append(rec.stages, r.Stage)
			return nil
		})
	env.OnActivity(ActivityRecordDecision, mock.Anything, mock.Anything).Return(
		func(_ context.Context, d DecisionRecord) (time.Time, error) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.decisions = append(rec.decisions, d)
			return env.Now(), nil
		})
	env.OnActivity(ActivityAdvanceRound, mock.Anything, mock.Anything).Return(nil)
	env.OnActivity(ActivityJuryComplete, mock.Anything, mock.Anything).Return(
		func(context.Context, int64) (bool, error) { return rec.juryDone, nil })
	env.OnActivity(ActivityRankRound, mock.Anything, mock.Anything).Return(
		func(_ context.Context, r RankRequest) (RankSummary, error) {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.rankedAt[r.RoundID] = env.Now()
			return RankSummary{Participants: 100, PerfectCount: 3, Winners: 6}, nil
		})
	env.OnActivity(ActivityPublishRound, mock.Anything, mock.Anything).Return(
		func(_ context.Context, roundID int64) error {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.published = append(rec.published, roundID)
			return nil
		})
	env.OnActivity(ActivityRemindCommittee, mock.Anything, mock.Anything).Return(
		func(_ context.Context, r ReminderRequest) error {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.reminders = append(rec.reminders, r)
			return nil
		})
	return env, rec
}

const testInstallation = "0123456789abcdef"

var updateSeq atomic.Int64

type decisionOutcome struct {
	accepted, rejected, failed bool
}

// send delivers a decision at an absolute time of the calendar, to the campaign or
// (for weekly results) to the round's child workflow.
func send(env *testsuite.TestWorkflowEnvironment, at time.Time, d Decision, out *decisionOutcome) {
	if out == nil {
		out = &decisionOutcome{}
	}
	env.RegisterDelayedCallback(func() {
		cb := &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(error) { out.rejected = true },
			OnComplete: func(_ interface{}, err error) {
				out.accepted, out.failed = err == nil, err != nil
			},
		}
		id := fmt.Sprintf("decision-%d", updateSeq.Add(1))
		if d.Kind == contest.DecisionWeeklyResults {
			_ = env.UpdateWorkflowByID(RoundWorkflowID(testInstallation, int64(100+d.Round)), DecideUpdate, id, cb, d)
			return
		}
		env.UpdateWorkflow(DecideUpdate, id, cb, d)
	}, at.Sub(day(10, 16)))
}

func approve(kind string, round int) Decision {
	return Decision{Kind: kind, Round: round, Outcome: contest.OutcomeApproved, ActorID: 1, ActorRole: "committee"}
}

// rankedBy is when a round's ranking is ready: close + time limit + settle.
func rankedBy(closes time.Time) time.Time { return closes.Add(630*time.Second + 60*time.Second) }

func scheduleOnTimeCampaign(env *testsuite.TestWorkflowEnvironment, plan CampaignPlan) {
	// Every decision comes within a day of the stage that waits for it.
	for _, r := range plan.Rounds {
		send(env, day(10, 16).Add(time.Duration(r.Number)*time.Hour), approve(contest.DecisionQuestionSet, r.Number), nil)
		send(env, rankedBy(r.ClosesAt).Add(2*time.Hour), approve(contest.DecisionWeeklyResults, r.Number), nil)
	}
	send(env, day(10, 16).Add(6*time.Hour), approve(contest.DecisionGoLive, 0), nil)
	scheduleClosing(env, day(11, 19))
}

// scheduleClosing sends the decisions after the video deadline, a few hours apart.
func scheduleClosing(env *testsuite.TestWorkflowEnvironment, from time.Time) {
	send(env, from.Add(2*time.Hour), approve(contest.DecisionCloseJury, 0), nil)
	send(env, from.Add(4*time.Hour), approve(contest.DecisionJointMeeting, 0), nil)
	send(env, from.Add(6*time.Hour), approve(contest.DecisionFinalResults, 0), nil)
	send(env, from.Add(8*time.Hour), approve(contest.DecisionCeremonyHeld, 0), nil)
}

func runCampaign(t *testing.T, env *testsuite.TestWorkflowEnvironment, autoApprove bool) {
	t.Helper()
	env.ExecuteWorkflow(CampaignWorkflow, CampaignInput{CampaignID: 7, Installation: testInstallation, AutoApprove: autoApprove})
	if !env.IsWorkflowCompleted() {
		t.Fatal("campaign workflow did not complete")
	}
	if err := env.GetWorkflowError(); err != nil {
		t.Fatalf("campaign workflow failed: %v", err)
	}
}

var allStages = []string{StageQuestionBank, StageTrialRun, StageRounds, StageVideoSubmission, StageJuryScoring,
	StageJointMeeting, StageResultsDecision, StageCeremony, StageCompleted}

func TestCampaignRunsTheWholeCalendarWithTimelyApprovals(t *testing.T) {
	env, rec := newCampaignEnv(t)
	scheduleOnTimeCampaign(env, rec.plan)
	runCampaign(t, env, false)
	if !slices.Equal(rec.stages, allStages) {
		t.Fatalf("stages %v, want %v", rec.stages, allStages)
	}
	if !slices.Equal(rec.published, []int64{101, 102, 103, 104}) {
		t.Fatalf("published %v, want every round once, in order", rec.published)
	}
	if len(rec.reminders) != 0 {
		t.Fatalf("%d reminders sent though every decision came within a day", len(rec.reminders))
	}
	if len(rec.decisions) != 4+1+4+4 {
		t.Fatalf("%d decisions recorded, want 13", len(rec.decisions))
	}
	// No round is ranked before every attempt started before its close could have ended.
	for _, r := range rec.plan.Rounds {
		if at := rec.rankedAt[r.ID]; at.Before(rankedBy(r.ClosesAt)) {
			t.Fatalf("round %d ranked at %v, before the last deadline %v", r.Number, at, rankedBy(r.ClosesAt))
		}
	}
	if env.Now().Before(day(11, 19).Add(8 * time.Hour)) {
		t.Fatalf("campaign ended at %v, before the ceremony was recorded", env.Now())
	}
}

func TestCampaignRemindsTheCommitteeWhenApprovalsAreLate(t *testing.T) {
	env, rec := newCampaignEnv(t)
	for _, r := range rec.plan.Rounds {
		// The question sets are approved two and a half days after the campaign starts.
		send(env, day(10, 18).Add(12*time.Hour), approve(contest.DecisionQuestionSet, r.Number), nil)
		late := 2 * time.Hour
		if r.Number == 1 {
			late = 3*24*time.Hour + 12*time.Hour // week 1's results wait three and a half days
		}
		send(env, rankedBy(r.ClosesAt).Add(late), approve(contest.DecisionWeeklyResults, r.Number), nil)
	}
	send(env, day(10, 18).Add(13*time.Hour), approve(contest.DecisionGoLive, 0), nil)
	scheduleClosing(env, day(11, 19))
	runCampaign(t, env, false)
	count := func(stage string, round int) int {
		n := 0
		for _, r := range rec.reminders {
			if r.Stage == stage && r.Round == round {
				n++
			}
		}
		return n
	}
	if got := count(StageQuestionBank, 0); got != 2 {
		t.Fatalf("%d question bank reminders, want 2 (after 24 h and 48 h)", got)
	}
	if got := count(contest.DecisionWeeklyResults, 1); got != 3 {
		t.Fatalf("%d reminders for week 1, want 3", got)
	}
	if got := count(contest.DecisionWeeklyResults, 2); got != 0 {
		t.Fatalf("%d reminders for week 2, approved in time", got)
	}
	if len(rec.published) != 4 {
		t.Fatalf("published %v", rec.published)
	}
}

func TestCampaignRefusesDecisionsOutOfStageAndDuplicates(t *testing.T) {
	env, rec := newCampaignEnv(t)
	scheduleOnTimeCampaign(env, rec.plan)
	var early, earlyWeekly, duplicateSet, duplicateWeekly, afterEnd decisionOutcome
	send(env, day(10, 16).Add(time.Minute), approve(contest.DecisionGoLive, 0), &early)                           // still preparing questions
	send(env, day(10, 24), approve(contest.DecisionWeeklyResults, 1), &earlyWeekly)                               // round 1 still open
	send(env, day(10, 17).Add(10*time.Minute), approve(contest.DecisionQuestionSet, 1), &duplicateSet)            // approved at 00:01
	send(env, rankedBy(day(11, 6)).Add(2*time.Hour), approve(contest.DecisionWeeklyResults, 2), &duplicateWeekly) // same instant as the first
	send(env, day(11, 19).Add(7*time.Hour), approve(contest.DecisionGoLive, 0), &afterEnd)                        // long past the trial run
	runCampaign(t, env, false)
	for name, o := range map[string]decisionOutcome{"early go-live": early, "early weekly approval": earlyWeekly,
		"second approval of a set": duplicateSet, "go-live in the ceremony stage": afterEnd} {
		if o.accepted {
			t.Errorf("%s was accepted", name)
		}
		if !o.rejected && !o.failed {
			t.Errorf("%s got no answer", name)
		}
	}
	if duplicateWeekly.accepted {
		t.Error("a second approval of week 2's results was accepted")
	}
	weekly2 := 0
	for _, d := range rec.decisions {
		if d.Kind == contest.DecisionWeeklyResults && d.RoundNumber == 2 {
			weekly2++
		}
	}
	if weekly2 != 1 {
		t.Fatalf("week 2's approval recorded %d times, want 1", weekly2)
	}
	if !slices.Equal(rec.published, []int64{101, 102, 103, 104}) {
		t.Fatalf("published %v, want each round exactly once", rec.published)
	}
}

func TestCampaignWaitsForAnApprovalThatNeverComes(t *testing.T) {
	env, rec := newCampaignEnv(t)
	for _, r := range rec.plan.Rounds {
		send(env, day(10, 17), approve(contest.DecisionQuestionSet, r.Number), nil)
	}
	// Go-live is never approved: no round may open, and the committee is reminded daily.
	var stageAtCheck string
	env.RegisterDelayedCallback(func() {
		rec.mu.Lock()
		stageAtCheck = rec.stages[len(rec.stages)-1]
		rec.mu.Unlock()
		env.CancelWorkflow()
	}, day(11, 30).Sub(day(10, 16)))
	env.ExecuteWorkflow(CampaignWorkflow, CampaignInput{CampaignID: 7, Installation: testInstallation})
	if stageAtCheck != StageTrialRun {
		t.Fatalf("stage after six weeks without go-live: %q", stageAtCheck)
	}
	if len(rec.rankedAt) != 0 || len(rec.published) != 0 {
		t.Fatal("rounds ran without go-live")
	}
	if n := len(rec.reminders); n < 40 {
		t.Fatalf("%d reminders in 43 days of waiting, want one a day", n)
	}
}

func TestCampaignSentBackQuestionSetAndResultsGoRoundAgain(t *testing.T) {
	env, rec := newCampaignEnv(t)
	scheduleOnTimeCampaign(env, rec.plan)
	sendBack := func(kind string, round int) Decision {
		d := approve(kind, round)
		d.Outcome = contest.OutcomeSentBack
		return d
	}
	// Round 2's set is sent back before it is approved: the secretariat resubmits.
	var sentBack, resubmitted decisionOutcome
	send(env, day(10, 16).Add(30*time.Minute), sendBack(contest.DecisionQuestionSet, 2), &sentBack)
	send(env, day(10, 16).Add(90*time.Minute), approve(contest.DecisionQuestionSetReady, 2), &resubmitted)
	// Week 3's first ranking is sent back an hour after it is ready: it is ranked again.
	send(env, rankedBy(day(11, 13)).Add(time.Hour), sendBack(contest.DecisionWeeklyResults, 3), nil)
	runCampaign(t, env, false)
	if !sentBack.accepted || !resubmitted.accepted {
		t.Fatalf("send-back %+v, resubmission %+v", sentBack, resubmitted)
	}
	if len(rec.published) != 4 {
		t.Fatalf("published %v", rec.published)
	}
}

func TestRehearsalRunsUnattended(t *testing.T) {
	env, rec := newCampaignEnv(t)
	runCampaign(t, env, true)
	if !slices.Equal(rec.stages, allStages) || len(rec.published) != 4 {
		t.Fatalf("stages %v published %v", rec.stages, rec.published)
	}
	for _, d := range rec.decisions {
		if d.DecidedBy != 0 || d.Outcome != contest.OutcomeApproved {
			t.Fatalf("automatic decision %+v should be the system's approval", d)
		}
	}
}

func TestJuryStageEndsByItselfWhenEveryClipWasScored(t *testing.T) {
	env, rec := newCampaignEnv(t)
	rec.juryDone = true
	scheduleOnTimeCampaign(env, rec.plan)
	var closeJury decisionOutcome
	// The committee's close arrives after the stage already ended: it is refused.
	send(env, day(11, 19).Add(2*time.Hour), approve(contest.DecisionCloseJury, 0), &closeJury)
	runCampaign(t, env, false)
	if !slices.Equal(rec.stages, allStages) {
		t.Fatalf("stages %v", rec.stages)
	}
	if closeJury.accepted {
		t.Fatal("the committee closed a jury stage that had already ended")
	}
	auto := 0
	for _, d := range rec.decisions {
		if d.Kind == contest.DecisionCloseJury && d.DecidedBy == 0 {
			auto++
		}
	}
	if auto != 1 {
		t.Fatalf("%d automatic close_jury decisions, want 1", auto)
	}
}
