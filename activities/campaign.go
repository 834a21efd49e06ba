package activities

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/ranking"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/workflows"
)

// LoadCampaignPlan reads what the campaign workflow plans with.
func (a *Activities) LoadCampaignPlan(ctx context.Context, campaignID int64) (workflows.CampaignPlan, error) {
	p, err := a.Store.LoadCampaignPlan(ctx, campaignID)
	if errors.Is(err, contest.ErrNotFound) {
		return workflows.CampaignPlan{}, temporal.NewNonRetryableApplicationError("campaign not found", "NotFound", err)
	}
	if err != nil {
		return workflows.CampaignPlan{}, err
	}
	settings, err := rules.ParseSettings(p.Settings)
	if err != nil {
		return workflows.CampaignPlan{}, temporal.NewNonRetryableApplicationError(err.Error(), "BadSettings", err)
	}
	plan := workflows.CampaignPlan{CampaignID: p.CampaignID, Code: p.Code, TimeLimit: p.TimeLimit, Live: p.Live,
		Settings: settings, Rounds: make([]workflows.PlanRound, len(p.Rounds))}
	for i, r := range p.Rounds {
		plan.Rounds[i] = workflows.PlanRound{ID: r.ID, Number: r.Number, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
			QuestionSetStatus: r.QuestionSetStatus, State: r.State}
	}
	return plan, nil
}

// RecordDecision stores a committee decision and its effect; idempotent by request id.
func (a *Activities) RecordDecision(ctx context.Context, d workflows.DecisionRecord) (time.Time, error) {
	return a.Store.RecordDecision(ctx, store.DecisionRecord{CampaignID: d.CampaignID, Kind: d.Kind,
		RoundNumber: d.RoundNumber, Outcome: d.Outcome, DecidedBy: d.DecidedBy, Comment: d.Comment, RequestID: d.RequestID})
}

// RecordStage mirrors the workflow's stage into PostgreSQL, where the API reads it.
func (a *Activities) RecordStage(ctx context.Context, r workflows.StageRecord) error {
	return a.Store.RecordStage(ctx, r.CampaignID, r.Seq, r.Stage, r.WaitingFor, r.EnteredAt)
}

// AdvanceRound records that a round opened, closed or was approved.
func (a *Activities) AdvanceRound(ctx context.Context, c workflows.RoundStateChange) error {
	return a.Store.AdvanceRoundState(ctx, c.RoundID, c.State)
}

// RankRound ranks a round through the ranking service; a ranking no retry can fix fails
// the activity for good, anything else is retried.
func (a *Activities) RankRound(ctx context.Context, req workflows.RankRequest) (workflows.RankSummary, error) {
	sum, err := ranking.Ranker{Store: a.Store}.Rank(ctx, req.RoundID, req.Criteria, req.Prizes)
	var permanent *ranking.PermanentError
	if errors.As(err, &permanent) {
		return workflows.RankSummary{}, temporal.NewNonRetryableApplicationError(permanent.Message, permanent.Kind, permanent.Err)
	}
	if err != nil {
		return workflows.RankSummary{}, retryableError(err)
	}
	return workflows.RankSummary(sum), nil
}

// PublishRound hands the approved round to the background publisher. The task id is the
// round's, so a retried activity or a duplicate approval enqueues nothing new.
func (a *Activities) PublishRound(ctx context.Context, roundID int64) error {
	return a.Tasks.PublishRound(ctx, roundID)
}

// RemindCommittee queues a reminder that a stage has waited too long for the committee.
func (a *Activities) RemindCommittee(ctx context.Context, r workflows.ReminderRequest) error {
	return a.Tasks.RemindCommittee(ctx, contest.Reminder{CampaignID: r.CampaignID, Stage: r.Stage, Round: r.Round, Count: r.Count})
}

// JuryComplete reports whether every juror has scored every clip of the campaign.
func (a *Activities) JuryComplete(ctx context.Context, campaignID int64) (bool, error) {
	jurors, clips, sheets, err := a.Store.JuryProgress(ctx, campaignID)
	if err != nil {
		return false, err
	}
	return clips > 0 && jurors > 0 && sheets >= jurors*clips, nil
}
