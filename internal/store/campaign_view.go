package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// StageEntry is one stage of a campaign's history.
type StageEntry struct {
	Stage      string    `json:"stage"`
	WaitingFor string    `json:"waiting_for"`
	EnteredAt  time.Time `json:"entered_at"`
}

// DecisionView is a recorded decision with the name of who took it.
type DecisionView struct {
	Kind        string    `json:"kind"`
	RoundNumber *int      `json:"round_number"`
	Outcome     string    `json:"outcome"`
	DecidedBy   string    `json:"decided_by"`
	DecidedAt   time.Time `json:"decided_at"`
	Comment     string    `json:"comment"`
}

// RoundStatus is a round's calendar and where it stands.
type RoundStatus struct {
	ID                int64     `json:"id"`
	Number            int       `json:"number"`
	OpensAt           time.Time `json:"opens_at"`
	ClosesAt          time.Time `json:"closes_at"`
	State             string    `json:"state"`
	QuestionSetStatus string    `json:"question_set_status"`
	QuestionSetSize   int       `json:"question_set_size"`
	PerfectCount      *int      `json:"perfect_count"`
	// Submitted counts the participants with a result in the round now: live while the
	// round is open, before any ranking exists.
	Submitted int `json:"submitted"`
	// QuestionSetRevision grows each time the set changes after it was sent to the committee.
	QuestionSetRevision int `json:"question_set_revision"`
}

// CampaignView is everything the committee's campaign page shows.
type CampaignView struct {
	ID          int64          `json:"id"`
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	Stage       string         `json:"stage"`
	WaitingFor  string         `json:"waiting_for"`
	LiveAt      *time.Time     `json:"live_at"`
	RehearsalOf *int64         `json:"rehearsal_of"`
	History     []StageEntry   `json:"history"`
	Decisions   []DecisionView `json:"decisions"`
	Rounds      []RoundStatus  `json:"rounds"`
	// Waiting is everything the campaign waits for (WaitingItems): the one source of every
	// "what is waiting" on the staff pages.
	Waiting []WaitingItem `json:"waiting"`
	// AllowedDecisions are the decisions among Waiting, with their outcomes: what the
	// committee's and the secretariat's buttons offer.
	AllowedDecisions []AllowedDecision `json:"allowed_decisions"`
}

// CampaignByCode loads a campaign's stage, history, decisions and rounds.
func (s *Store) CampaignByCode(ctx context.Context, code string) (CampaignView, error) {
	var v CampaignView
	err := s.pool.QueryRow(ctx, `SELECT id, code, name, stage, waiting_for, live_at, rehearsal_of FROM campaigns WHERE code = $1`, code).
		Scan(&v.ID, &v.Code, &v.Name, &v.Stage, &v.WaitingFor, &v.LiveAt, &v.RehearsalOf)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, contest.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("load campaign %s: %w", code, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT stage, waiting_for, entered_at FROM campaign_stages WHERE campaign_id = $1 ORDER BY seq`, v.ID)
	if err != nil {
		return v, fmt.Errorf("load stages: %w", err)
	}
	if v.History, err = pgx.CollectRows(rows, pgx.RowToStructByPos[StageEntry]); err != nil {
		return v, fmt.Errorf("scan stages: %w", err)
	}
	rows, err = s.pool.Query(ctx, `
		SELECT d.kind, d.round_number, d.outcome, coalesce(u.full_name, 'hệ thống'), d.decided_at, d.comment
		FROM decisions d LEFT JOIN users u ON u.id = d.decided_by WHERE d.campaign_id = $1 ORDER BY d.decided_at, d.id`, v.ID)
	if err != nil {
		return v, fmt.Errorf("load decisions: %w", err)
	}
	if v.Decisions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[DecisionView]); err != nil {
		return v, fmt.Errorf("scan decisions: %w", err)
	}
	rows, err = s.pool.Query(ctx, `
		SELECT r.id, r.number, r.opens_at, r.closes_at, r.state, r.question_set_status,
		       (SELECT count(*)::int FROM round_questions WHERE round_id = r.id), r.perfect_count,
		       (SELECT count(DISTINCT participant_id)::int FROM results WHERE round_id = r.id),
		       r.question_set_revision
		FROM rounds r WHERE r.campaign_id = $1 ORDER BY r.number`, v.ID)
	if err != nil {
		return v, fmt.Errorf("load rounds: %w", err)
	}
	if v.Rounds, err = pgx.CollectRows(rows, pgx.RowToStructByPos[RoundStatus]); err != nil {
		return v, fmt.Errorf("scan rounds: %w", err)
	}
	v.Waiting = WaitingItems(v.WaitingFor, v.Rounds)
	v.AllowedDecisions = AllowedDecisions(v.Waiting, v.Rounds)
	return v, nil
}

// CopyForRehearsal copies a campaign (rules, question bank, round sets) under a new code
// with its calendar passed through shift, for a trial run that leaves the original alone.
func (s *Store) CopyForRehearsal(ctx context.Context, srcID int64, code string, timeLimit time.Duration, settings []byte, shift func(time.Time) time.Time) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO campaigns (code, name, timezone, questions_per_attempt, time_limit_seconds,
			                       attempts_per_round, prediction_question, settings, rehearsal_of)
			SELECT $2, name || ' (diễn tập)', timezone, questions_per_attempt, $3, attempts_per_round,
			       prediction_question, $4, id
			FROM campaigns WHERE id = $1 RETURNING id`, srcID, code, int(timeLimit/time.Second), settings).Scan(&id)
		if err != nil {
			return fmt.Errorf("copy campaign: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT number, opens_at, closes_at FROM rounds WHERE campaign_id = $1 ORDER BY number`, srcID)
		if err != nil {
			return fmt.Errorf("load rounds: %w", err)
		}
		rounds, err := pgx.CollectRows(rows, pgx.RowToStructByPos[RoundSpec])
		if err != nil {
			return fmt.Errorf("scan rounds: %w", err)
		}
		for _, r := range rounds {
			if _, err := tx.Exec(ctx, `INSERT INTO rounds (campaign_id, number, opens_at, closes_at) VALUES ($1, $2, $3, $4)`,
				id, r.Number, shift(r.OpensAt), shift(r.ClosesAt)); err != nil {
				return fmt.Errorf("copy round %d: %w", r.Number, err)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO questions (campaign_id, code, source_document, text, options, correct_option, is_sample)
			SELECT $2, code, source_document, text, options, correct_option, is_sample FROM questions WHERE campaign_id = $1`,
			srcID, id); err != nil {
			return fmt.Errorf("copy questions: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO round_questions (round_id, question_id)
			SELECT nr.id, nq.id
			FROM round_questions rq
			JOIN rounds orr ON orr.id = rq.round_id JOIN questions oq ON oq.id = rq.question_id
			JOIN rounds nr ON nr.campaign_id = $2 AND nr.number = orr.number
			JOIN questions nq ON nq.campaign_id = $2 AND nq.code = oq.code
			WHERE orr.campaign_id = $1`, srcID, id); err != nil {
			return fmt.Errorf("copy question sets: %w", err)
		}
		return nil
	})
	return id, err
}
