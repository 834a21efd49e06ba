// Package campaigns is the client side of the campaign workflows: starting them, sending
// them the committee's decisions, and creating rehearsals. The API and the command line
// both use it.
package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// ErrStageConflict means the decision is not allowed where the campaign or round stands.
var ErrStageConflict = contest.ErrStageConflict

// Runner talks to the campaign workflows of one installation.
type Runner struct {
	Client       client.Client
	TaskQueue    string
	Installation string
	Store        *store.Store
}

// Start starts a campaign's workflow unless it is running or has completed; a workflow
// that failed or was terminated may be started again.
func (r Runner) Start(ctx context.Context, campaignID int64, autoApprove bool) error {
	_, err := r.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                    workflows.CampaignWorkflowID(r.Installation, campaignID),
		TaskQueue:             r.TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY,
	}, workflows.CampaignWorkflow, workflows.CampaignInput{
		CampaignID: campaignID, Installation: r.Installation, AutoApprove: autoApprove,
	})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &already) {
		return fmt.Errorf("start campaign workflow %d: %w", campaignID, err)
	}
	return nil
}

// Decide sends a decision to the campaign's workflow, or to the round's for weekly results.
func (r Runner) Decide(ctx context.Context, campaignID, roundID int64, d contest.Decision) (contest.DecisionReceipt, error) {
	id := workflows.CampaignWorkflowID(r.Installation, campaignID)
	if d.Kind == contest.DecisionWeeklyResults {
		id = workflows.RoundWorkflowID(r.Installation, roundID)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var receipt contest.DecisionReceipt
	handle, err := r.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: workflows.DecideUpdate, Args: []any{workflows.Decision(d)},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		var got workflows.DecisionReceipt
		err = handle.Get(ctx, &got)
		receipt = contest.DecisionReceipt(got)
	}
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	switch {
	case errors.As(err, &appErr) && appErr.Type() == workflows.StageConflictError:
		return receipt, fmt.Errorf("%w: %s", ErrStageConflict, appErr.Message())
	case errors.As(err, &notFound):
		return receipt, fmt.Errorf("%w: the workflow is not running", ErrStageConflict)
	case err != nil:
		return receipt, fmt.Errorf("send decision to %s: %w", id, err)
	}
	return receipt, nil
}

// RehearsalOptions compress a campaign's calendar for a trial run.
type RehearsalOptions struct {
	Week        time.Duration // how long one week of the real calendar lasts
	TimeLimit   time.Duration // exam time limit; scaled (at least 20 s) when zero
	AutoApprove bool          // take every committee decision automatically
	Lead        time.Duration // how long from now until round 1 opens; a minute when zero
	Now         time.Time
}

// Rehearse copies a campaign with its calendar compressed so that a week lasts opts.Week
// and the first round opens a minute from now, and starts its workflow.
func (r Runner) Rehearse(ctx context.Context, sourceCode string, opts RehearsalOptions) (string, error) {
	src, err := r.Store.CampaignByCode(ctx, sourceCode)
	if err != nil {
		return "", fmt.Errorf("campaign %s: %w", sourceCode, err)
	}
	if len(src.Rounds) == 0 {
		return "", fmt.Errorf("campaign %s has no rounds", sourceCode)
	}
	plan, err := r.Store.LoadCampaignPlan(ctx, src.ID)
	if err != nil {
		return "", err
	}
	settings, err := rules.ParseSettings(plan.Settings)
	if err != nil {
		return "", err
	}
	scale := float64(opts.Week) / float64(7*24*time.Hour)
	scaled := func(d time.Duration, floor time.Duration) time.Duration {
		return max(time.Duration(float64(d)*scale), floor)
	}
	lead := opts.Lead
	if lead <= 0 {
		lead = time.Minute
	}
	base, start := src.Rounds[0].OpensAt, opts.Now.Add(lead)
	shift := func(t time.Time) time.Time { return start.Add(time.Duration(float64(t.Sub(base)) * scale)) }
	timeLimit := opts.TimeLimit
	if timeLimit <= 0 {
		timeLimit = scaled(plan.TimeLimit, 20*time.Second)
	}
	settings.VideoDeadline = shift(settings.VideoDeadline)
	if !settings.VideoOpensAt.IsZero() {
		settings.VideoOpensAt = shift(settings.VideoOpensAt)
	}
	settings.ApprovalReminderSeconds = int(scaled(settings.ApprovalReminder(), 10*time.Second) / time.Second)
	settings.RankingSettleSeconds = int(scaled(settings.RankingSettle(), 2*time.Second) / time.Second)
	settings.ReviewSettleSeconds = int(scaled(settings.ReviewSettle(), 2*time.Second) / time.Second)
	raw, err := json.Marshal(settings)
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%s-dien-tap-%s", sourceCode, opts.Now.UTC().Format("20060102-150405.000"))
	id, err := r.Store.CopyForRehearsal(ctx, src.ID, code, timeLimit, raw, shift)
	if err != nil {
		return "", err
	}
	if err := r.Start(ctx, id, opts.AutoApprove); err != nil {
		return "", err
	}
	return code, nil
}

// SetRevised tells the campaign's workflow that a round's question set has a new revision
// waiting for the committee. A campaign whose workflow is not running has nobody to tell.
func (r Runner) SetRevised(ctx context.Context, campaignID int64, s contest.SetRevision) error {
	id := workflows.CampaignWorkflowID(r.Installation, campaignID)
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	handle, err := r.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: workflows.SetRevisedUpdate, Args: []any{workflows.SetRevised(s)},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, nil)
	}
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("tell %s that the set of round %d has revision %d: %w", id, s.Round, s.Revision, err)
	}
	return nil
}
