package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest"
)

// Campaign stages (see contest.StageQuestionBank and the others), under the names callers
// of this package used before the domain package.
const (
	StageQuestionBank    = contest.StageQuestionBank
	StageTrialRun        = contest.StageTrialRun
	StageRounds          = contest.StageRounds
	StageVideoSubmission = contest.StageVideoSubmission
	StageJuryScoring     = contest.StageJuryScoring
	StageJointMeeting    = contest.StageJointMeeting
	StageResultsDecision = contest.StageResultsDecision
	StageCeremony        = contest.StageCeremony
	StageCompleted       = contest.StageCompleted
)

// CampaignInput starts the workflow of one campaign.
type CampaignInput struct {
	CampaignID   int64
	Installation string
	// AutoApprove takes every committee decision automatically (rehearsals watched, not steered).
	AutoApprove bool
}

// CampaignWorkflowID names a campaign's workflow.
func CampaignWorkflowID(installation string, campaignID int64) string {
	return fmt.Sprintf("campaign-%s-%d", shortInstallation(installation), campaignID)
}

// RoundWorkflowID names a round's child workflow.
func RoundWorkflowID(installation string, roundID int64) string {
	return fmt.Sprintf("round-%s-%d", shortInstallation(installation), roundID)
}

func shortInstallation(installation string) string {
	if len(installation) > 12 {
		return installation[:12]
	}
	return installation
}

type campaign struct {
	input    CampaignInput
	plan     CampaignPlan
	stage    string
	seq      int
	mutex    workflow.Mutex
	setState []string // question set status per round, in plan order
	live     bool
	done     map[string]bool // acknowledgements received, by decision kind
}

// CampaignWorkflow runs a campaign from its question bank to its closing ceremony. It
// waits for the committee where the plan says people decide, and on the calendar
// elsewhere. Each weekly round is a child workflow, so this history stays short
// (tens of events per stage) whatever happens inside a round.
func CampaignWorkflow(ctx workflow.Context, input CampaignInput) error {
	c := &campaign{input: input, mutex: workflow.NewMutex(ctx), done: map[string]bool{}}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, DecideUpdate, c.decide,
		workflow.UpdateHandlerOptions{Validator: c.validate}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, SetRevisedUpdate, c.setRevised,
		workflow.UpdateHandlerOptions{Validator: c.validateSetRevised}); err != nil {
		return err
	}
	if err := workflow.ExecuteActivity(withShortActivity(ctx), ActivityLoadCampaignPlan, input.CampaignID).Get(ctx, &c.plan); err != nil {
		return fmt.Errorf("load campaign plan: %w", err)
	}
	for _, r := range c.plan.Rounds {
		c.setState = append(c.setState, r.QuestionSetStatus)
	}
	c.live = c.plan.Live
	if err := c.run(ctx); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func (c *campaign) run(ctx workflow.Context) error {
	steps := []func(workflow.Context) error{
		c.questionBank, c.trialRun, c.rounds, c.videoSubmission, c.juryScoring,
		c.waitFor(StageJointMeeting, contest.DecisionJointMeeting),
		c.waitFor(StageResultsDecision, contest.DecisionFinalResults),
		c.waitFor(StageCeremony, contest.DecisionCeremonyHeld),
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return c.enter(ctx, StageCompleted, "")
}

// enter makes stage current and mirrors it into PostgreSQL for the API.
func (c *campaign) enter(ctx workflow.Context, stage, waitingFor string) error {
	c.stage = stage
	c.seq++
	return workflow.ExecuteActivity(withShortActivity(ctx), ActivityRecordStage, StageRecord{
		CampaignID: c.input.CampaignID, Seq: c.seq, Stage: stage, WaitingFor: waitingFor, EnteredAt: workflow.Now(ctx),
	}).Get(ctx, nil)
}

func (c *campaign) remind(ctx workflow.Context, stage string, round int) func(int) error {
	return func(n int) error {
		return workflow.ExecuteActivity(withShortActivity(ctx), ActivityRemindCommittee, ReminderRequest{
			CampaignID: c.input.CampaignID, Stage: stage, Round: round, Count: n,
		}).Get(ctx, nil)
	}
}

// autoDecide takes a decision in the workflow's own name (rehearsals only).
func (c *campaign) autoDecide(ctx workflow.Context, kind string, round int) error {
	d := Decision{Kind: kind, Round: round, Outcome: contest.OutcomeApproved, ActorRole: systemActor,
		Comment: "Tự động phê duyệt trong buổi diễn tập."}
	if _, err := recordDecision(ctx, c.input.CampaignID, d); err != nil {
		return err
	}
	c.apply(d)
	return nil
}

func (c *campaign) questionBank(ctx workflow.Context) error {
	if err := c.enter(ctx, StageQuestionBank, contest.WaitingQuestionSetApprovals); err != nil {
		return err
	}
	allApproved := func() bool {
		return !slices.ContainsFunc(c.setState, func(s string) bool { return s != contest.SetApproved })
	}
	if c.input.AutoApprove {
		for i, r := range c.plan.Rounds {
			if c.setState[i] != contest.SetApproved {
				if err := c.autoDecide(ctx, contest.DecisionQuestionSet, r.Number); err != nil {
					return err
				}
			}
		}
	}
	return awaitWithReminders(ctx, c.plan.Settings.ApprovalReminder(), allApproved, c.remind(ctx, StageQuestionBank, 0))
}

func (c *campaign) trialRun(ctx workflow.Context) error {
	if err := c.enter(ctx, StageTrialRun, contest.DecisionGoLive); err != nil {
		return err
	}
	if c.input.AutoApprove && !c.live {
		if err := c.autoDecide(ctx, contest.DecisionGoLive, 0); err != nil {
			return err
		}
	}
	return awaitWithReminders(ctx, c.plan.Settings.ApprovalReminder(), func() bool { return c.live }, c.remind(ctx, StageTrialRun, 0))
}

// rounds starts one child workflow per round and waits for all of them: each opens,
// closes, is ranked, approved and published on its own schedule.
func (c *campaign) rounds(ctx workflow.Context) error {
	if err := c.enter(ctx, StageRounds, ""); err != nil {
		return err
	}
	s := c.plan.Settings
	futures := make([]workflow.ChildWorkflowFuture, 0, len(c.plan.Rounds))
	for _, r := range c.plan.Rounds {
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID: RoundWorkflowID(c.input.Installation, r.ID),
		})
		futures = append(futures, workflow.ExecuteChildWorkflow(cctx, RoundWorkflow, RoundInput{
			CampaignID: c.input.CampaignID, RoundID: r.ID, Number: r.Number, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
			TimeLimit: c.plan.TimeLimit, Settle: s.RankingSettle(), Ranking: s.Ranking, Prizes: s.WeeklyPrizes,
			ReminderAfter: s.ApprovalReminder(), AutoApprove: c.input.AutoApprove,
		}))
	}
	for i, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return fmt.Errorf("round %d: %w", c.plan.Rounds[i].Number, err)
		}
	}
	return nil
}

func (c *campaign) videoSubmission(ctx workflow.Context) error {
	if err := c.enter(ctx, StageVideoSubmission, contest.WaitingVideoDeadline); err != nil {
		return err
	}
	return sleepUntil(ctx, c.plan.Settings.VideoDeadline)
}

// juryScoring ends when the committee closes it or every juror has scored every clip.
// Scores given before the stage began count: the stage checks once on entry, and the API
// closes it when the last score arrives during the stage.
func (c *campaign) juryScoring(ctx workflow.Context) error {
	wait := c.waitFor(StageJuryScoring, contest.DecisionCloseJury)
	if workflow.GetVersion(ctx, "jury-complete-on-entry", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return wait(ctx)
	}
	if err := c.enter(ctx, StageJuryScoring, contest.DecisionCloseJury); err != nil {
		return err
	}
	var complete bool
	if err := workflow.ExecuteActivity(withShortActivity(ctx), ActivityJuryComplete, c.input.CampaignID).Get(ctx, &complete); err != nil {
		return err
	}
	if complete || c.input.AutoApprove {
		if err := c.autoDecide(ctx, contest.DecisionCloseJury, 0); err != nil {
			return err
		}
	}
	return awaitWithReminders(ctx, c.plan.Settings.ApprovalReminder(), func() bool { return c.done[contest.DecisionCloseJury] }, c.remind(ctx, StageJuryScoring, 0))
}

// waitFor is a stage that ends when the committee records the given decision.
func (c *campaign) waitFor(stage, kind string) func(workflow.Context) error {
	return func(ctx workflow.Context) error {
		if err := c.enter(ctx, stage, kind); err != nil {
			return err
		}
		if c.input.AutoApprove {
			if err := c.autoDecide(ctx, kind, 0); err != nil {
				return err
			}
		}
		return awaitWithReminders(ctx, c.plan.Settings.ApprovalReminder(), func() bool { return c.done[kind] }, c.remind(ctx, stage, 0))
	}
}

// expectedStage says in which stage each decision kind is allowed.
var expectedStage = map[string]string{
	contest.DecisionQuestionSet:      StageQuestionBank,
	contest.DecisionQuestionSetReady: StageQuestionBank,
	contest.DecisionGoLive:           StageTrialRun,
	contest.DecisionCloseJury:        StageJuryScoring,
	contest.DecisionJointMeeting:     StageJointMeeting,
	contest.DecisionFinalResults:     StageResultsDecision,
	contest.DecisionCeremonyHeld:     StageCeremony,
}

// validate refuses, before anything is recorded, a decision the current stage does not
// allow. It only reads state, as validators must.
func (c *campaign) validate(d Decision) error {
	want, ok := expectedStage[d.Kind]
	if !ok {
		return stageConflict(c.stage, "decision %q is not taken on the campaign", d.Kind)
	}
	if c.stage != want && !c.setReopened(d) {
		return stageConflict(c.stage, "decision %q belongs to stage %s; the campaign is in stage %s", d.Kind, want, c.stage)
	}
	if d.Kind != contest.DecisionQuestionSet && d.Kind != contest.DecisionQuestionSetReady {
		return nil
	}
	i := slices.IndexFunc(c.plan.Rounds, func(r PlanRound) bool { return r.Number == d.Round })
	if i < 0 {
		return stageConflict(c.stage, "the campaign has no round %d", d.Round)
	}
	switch {
	case d.Kind == contest.DecisionQuestionSet && c.setState[i] == contest.SetApproved:
		return stageConflict(c.stage, "the question set of round %d is already approved", d.Round)
	case d.Kind == contest.DecisionQuestionSet && c.setState[i] == contest.SetSentBack:
		return stageConflict(c.stage, "the question set of round %d was sent back and awaits the secretariat", d.Round)
	case d.Kind == contest.DecisionQuestionSetReady && c.setState[i] != contest.SetSentBack:
		return stageConflict(c.stage, "the question set of round %d was not sent back", d.Round)
	}
	return nil
}

// decide records a decision and applies it. Decisions are taken one at a time and
// re-validated under the lock, so two identical approvals sent together record one.
func (c *campaign) decide(ctx workflow.Context, d Decision) (DecisionReceipt, error) {
	if err := c.mutex.Lock(ctx); err != nil {
		return DecisionReceipt{}, err
	}
	defer c.mutex.Unlock()
	if err := c.validate(d); err != nil {
		return DecisionReceipt{}, err
	}
	at, err := recordDecision(ctx, c.input.CampaignID, d)
	if err != nil {
		return DecisionReceipt{}, err
	}
	c.apply(d)
	return DecisionReceipt{Kind: d.Kind, Round: d.Round, Outcome: d.Outcome, Stage: c.stage, DecidedAt: at}, nil
}

func (c *campaign) apply(d Decision) {
	switch d.Kind {
	case contest.DecisionQuestionSet, contest.DecisionQuestionSetReady:
		i := slices.IndexFunc(c.plan.Rounds, func(r PlanRound) bool { return r.Number == d.Round })
		switch {
		case d.Kind == contest.DecisionQuestionSetReady:
			c.setState[i] = contest.SetReady
		case d.Outcome == contest.OutcomeApproved:
			c.setState[i] = contest.SetApproved
		default:
			c.setState[i] = contest.SetSentBack
		}
	case contest.DecisionGoLive:
		c.live = c.live || d.Outcome == contest.OutcomeApproved
	default:
		if d.Outcome != contest.OutcomeSentBack {
			c.done[d.Kind] = true
		}
	}
}
