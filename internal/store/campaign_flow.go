package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
)

// Decision kinds and outcomes, kept for callers written before the domain package.
const ()

// Round states, only ever moving forward.
var roundStates = []string{"scheduled", "open", "closed", "ranked", "approved", "published"}

// PlanRound is a round as the campaign workflow plans it.
type PlanRound struct {
	ID                int64
	Number            int
	OpensAt, ClosesAt time.Time
	QuestionSetStatus string
	State             string
}

// CampaignPlan is what the campaign workflow needs to know at its start.
type CampaignPlan struct {
	CampaignID int64
	Code       string
	TimeLimit  time.Duration
	Live       bool
	Settings   json.RawMessage
	Rounds     []PlanRound
}

// LoadCampaignPlan reads a campaign's calendar and the decisions already taken.
func (s *Store) LoadCampaignPlan(ctx context.Context, campaignID int64) (CampaignPlan, error) {
	p := CampaignPlan{CampaignID: campaignID}
	var seconds int
	err := s.pool.QueryRow(ctx, `SELECT code, time_limit_seconds, live_at IS NOT NULL, settings FROM campaigns WHERE id = $1`, campaignID).
		Scan(&p.Code, &seconds, &p.Live, &p.Settings)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, contest.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("load campaign %d: %w", campaignID, err)
	}
	p.TimeLimit = time.Duration(seconds) * time.Second
	rows, err := s.pool.Query(ctx, `
		SELECT id, number, opens_at, closes_at, question_set_status, state
		FROM rounds WHERE campaign_id = $1 ORDER BY number`, campaignID)
	if err != nil {
		return p, fmt.Errorf("load rounds: %w", err)
	}
	p.Rounds, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (PlanRound, error) {
		var pr PlanRound
		err := r.Scan(&pr.ID, &pr.Number, &pr.OpensAt, &pr.ClosesAt, &pr.QuestionSetStatus, &pr.State)
		return pr, err
	})
	if err != nil {
		return p, fmt.Errorf("scan rounds: %w", err)
	}
	return p, nil
}

// DecisionRecord is one decision to store.
type DecisionRecord struct {
	CampaignID  int64
	Kind        string
	RoundNumber int // 0 when the decision is not about one round
	Outcome     string
	DecidedBy   int64
	Comment     string
	RequestID   string
}

// RecordDecision stores a decision and applies its effect on the data the API gates on
// (question set status, go-live), in one transaction. Recording the same request twice
// returns the first record's time.
func (s *Store) RecordDecision(ctx context.Context, d DecisionRecord) (time.Time, error) {
	var at time.Time
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var round *int
		if d.RoundNumber > 0 {
			round = &d.RoundNumber
		}
		var decidedBy *int64
		if d.DecidedBy > 0 {
			decidedBy = &d.DecidedBy
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO decisions (campaign_id, kind, round_number, outcome, decided_by, comment, request_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (request_id) DO NOTHING RETURNING decided_at`,
			d.CampaignID, d.Kind, round, d.Outcome, decidedBy, d.Comment, d.RequestID).Scan(&at)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT decided_at FROM decisions WHERE request_id = $1`, d.RequestID).Scan(&at)
		}
		if err != nil {
			return fmt.Errorf("insert decision: %w", err)
		}
		return applyDecision(ctx, tx, d)
	})
	return at, err
}

func applyDecision(ctx context.Context, tx pgx.Tx, d DecisionRecord) error {
	var err error
	switch {
	case d.Kind == contest.DecisionQuestionSet && d.Outcome == contest.OutcomeApproved:
		_, err = tx.Exec(ctx, `UPDATE rounds SET question_set_status = 'approved' WHERE campaign_id = $1 AND number = $2`, d.CampaignID, d.RoundNumber)
	case d.Kind == contest.DecisionQuestionSet && d.Outcome == contest.OutcomeSentBack:
		_, err = tx.Exec(ctx, `UPDATE rounds SET question_set_status = 'sent_back' WHERE campaign_id = $1 AND number = $2`, d.CampaignID, d.RoundNumber)
	case d.Kind == contest.DecisionQuestionSetReady:
		_, err = tx.Exec(ctx, `UPDATE rounds SET question_set_status = 'ready' WHERE campaign_id = $1 AND number = $2`, d.CampaignID, d.RoundNumber)
	case d.Kind == contest.DecisionGoLive && d.Outcome == contest.OutcomeApproved:
		_, err = tx.Exec(ctx, `UPDATE campaigns SET live_at = now() WHERE id = $1 AND live_at IS NULL`, d.CampaignID)
	}
	if err != nil {
		return fmt.Errorf("apply %s decision: %w", d.Kind, err)
	}
	return nil
}

// RecordStage appends a stage to the campaign's history (once per seq) and makes it current.
func (s *Store) RecordStage(ctx context.Context, campaignID int64, seq int, stage, waitingFor string, enteredAt time.Time) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO campaign_stages (campaign_id, seq, stage, waiting_for, entered_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (campaign_id, seq) DO UPDATE SET waiting_for = EXCLUDED.waiting_for`,
			campaignID, seq, stage, waitingFor, enteredAt); err != nil {
			return fmt.Errorf("record stage: %w", err)
		}
		_, err := tx.Exec(ctx, `
			UPDATE campaigns SET stage = $2, waiting_for = $3
			WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM campaign_stages WHERE campaign_id = $1 AND seq > $4)`,
			campaignID, stage, waitingFor, seq)
		if err != nil {
			return fmt.Errorf("set current stage: %w", err)
		}
		return nil
	})
}

// AdvanceRoundState moves a round forward to state; it never moves one back.
func (s *Store) AdvanceRoundState(ctx context.Context, roundID int64, state string) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE rounds SET state = $2
		WHERE id = $1 AND array_position($3::text[], state) < array_position($3::text[], $2)`,
		roundID, state, roundStates)
	if err != nil {
		return fmt.Errorf("advance round %d to %s: %w", roundID, state, err)
	}
	return nil
}

// OpenAttemptsOfRound lists the attempts of a round not yet finalized whose deadline has
// passed, and counts those still running.
func (s *Store) OpenAttemptsOfRound(ctx context.Context, roundID int64) (overdue []int64, running int, err error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, deadline <= now() FROM attempts WHERE round_id = $1 AND status = 'in_progress' ORDER BY id`, roundID)
	if err != nil {
		return nil, 0, fmt.Errorf("list open attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var due bool
		if err := rows.Scan(&id, &due); err != nil {
			return nil, 0, fmt.Errorf("scan open attempts: %w", err)
		}
		if due {
			overdue = append(overdue, id)
		} else {
			running++
		}
	}
	return overdue, running, rows.Err()
}
