package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// AgencyInput is one agency to create or update, identified by its code.
type AgencyInput struct {
	Code, ParentCode, Name, Category string
	Headcount                        int
}

// QuestionInput is one question to create or update, identified by its code within a
// campaign. Round > 0 also puts it in that round's question set.
type QuestionInput struct {
	Code, Source, Text string
	Round              int
	Options            [4]string
	Correct            int
}

// CampaignSpec is a campaign with its rounds, as the seed or an administrator defines it.
type CampaignSpec struct {
	Code                string
	Name                string
	Timezone            string
	QuestionsPerAttempt int
	TimeLimit           time.Duration
	AttemptsPerRound    int
	PredictionQuestion  string
	Settings            json.RawMessage
	IsDefault           bool
	Rounds              []RoundSpec
}

// RoundSpec is one round's number and opening hours.
type RoundSpec struct {
	Number            int
	OpensAt, ClosesAt time.Time
}

// UpsertAgencies creates or updates agencies by code and links each to its parent.
func (s *Store) UpsertAgencies(ctx context.Context, rows []AgencyInput, sample bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		for _, a := range rows {
			if _, err := tx.Exec(ctx, `
				INSERT INTO agencies (code, name, category, headcount, headcount_is_sample)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
					-- A headcount an agency reported is never replaced by a sample figure.
					headcount = CASE WHEN agencies.headcount_is_sample OR NOT EXCLUDED.headcount_is_sample
					                 THEN EXCLUDED.headcount ELSE agencies.headcount END,
					headcount_is_sample = agencies.headcount_is_sample AND EXCLUDED.headcount_is_sample`,
				a.Code, a.Name, a.Category, a.Headcount, sample); err != nil {
				return fmt.Errorf("upsert agency %s: %w", a.Code, err)
			}
		}
		for _, a := range rows {
			if a.ParentCode == "" {
				continue
			}
			tag, err := tx.Exec(ctx, `
				UPDATE agencies SET parent_id = (SELECT id FROM agencies WHERE code = $2) WHERE code = $1
				AND EXISTS (SELECT 1 FROM agencies WHERE code = $2)`, a.Code, a.ParentCode)
			if err != nil {
				return fmt.Errorf("link agency %s: %w", a.Code, err)
			}
			if tag.RowsAffected() == 0 {
				return fmt.Errorf("agency %s: parent %q: %w", a.Code, a.ParentCode, contest.ErrUnknownAgency)
			}
		}
		return nil
	})
}

// UpsertCampaign creates or updates a campaign and its rounds by code and number.
func (s *Store) UpsertCampaign(ctx context.Context, c CampaignSpec) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if c.IsDefault {
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET is_default = false WHERE is_default AND code <> $1`, c.Code); err != nil {
				return fmt.Errorf("clear default campaign: %w", err)
			}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO campaigns (code, name, timezone, questions_per_attempt, time_limit_seconds,
			                       attempts_per_round, prediction_question, settings, is_default)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
				questions_per_attempt = EXCLUDED.questions_per_attempt,
				time_limit_seconds = EXCLUDED.time_limit_seconds,
				attempts_per_round = EXCLUDED.attempts_per_round,
				prediction_question = EXCLUDED.prediction_question,
				settings = EXCLUDED.settings, is_default = EXCLUDED.is_default
			RETURNING id`,
			c.Code, c.Name, c.Timezone, c.QuestionsPerAttempt, int(c.TimeLimit/time.Second),
			c.AttemptsPerRound, c.PredictionQuestion, c.Settings, c.IsDefault).Scan(&id)
		if err != nil {
			return fmt.Errorf("upsert campaign %s: %w", c.Code, err)
		}
		for _, r := range c.Rounds {
			if _, err := tx.Exec(ctx, `
				INSERT INTO rounds (campaign_id, number, opens_at, closes_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (campaign_id, number) DO UPDATE SET opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at`,
				id, r.Number, r.OpensAt, r.ClosesAt); err != nil {
				return fmt.Errorf("upsert round %d: %w", r.Number, err)
			}
		}
		return nil
	})
	return id, err
}

// CampaignIDByCode finds a campaign.
func (s *Store) CampaignIDByCode(ctx context.Context, code string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM campaigns WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, contest.ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("find campaign %s: %w", code, err)
	}
	return id, nil
}

// CreateStaff creates a staff account (or updates its password and role) by phone.
func (s *Store) CreateStaff(ctx context.Context, fullName, phone, passwordHash, role string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO users (full_name, phone, password_hash, role) VALUES ($1, $2, $3, $4)
		ON CONFLICT (phone) DO UPDATE SET full_name = EXCLUDED.full_name,
			password_hash = EXCLUDED.password_hash, role = EXCLUDED.role
		RETURNING id`, fullName, phone, passwordHash, role).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("upsert staff %s: %w", phone, err)
	}
	return id, nil
}

// IsEmpty reports whether no campaign has been seeded yet.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM campaigns`).Scan(&n); err != nil {
		return false, fmt.Errorf("count campaigns: %w", err)
	}
	return n == 0, nil
}

// SetQuestion is a question of a round's set as staff review it.
type SetQuestion struct {
	ID             int64     `json:"id"`
	Code           string    `json:"code"`
	SourceDocument string    `json:"source_document"`
	Text           string    `json:"text"`
	Options        [4]string `json:"options"`
	CorrectOption  int       `json:"correct_option"`
	IsSample       bool      `json:"is_sample"`
	Revision       int       `json:"revision"`
}

// RoundQuestionSet lists a round's question set.
func (s *Store) RoundQuestionSet(ctx context.Context, campaignID int64, number int) ([]SetQuestion, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT q.id, q.code, q.source_document, q.text, q.options, q.correct_option, q.is_sample, q.revision
		FROM round_questions rq JOIN rounds r ON r.id = rq.round_id JOIN questions q ON q.id = rq.question_id
		WHERE r.campaign_id = $1 AND r.number = $2 ORDER BY q.code`, campaignID, number)
	if err != nil {
		return nil, fmt.Errorf("load question set: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SetQuestion, error) {
		var q SetQuestion
		var options []string
		var correct int16
		err := r.Scan(&q.ID, &q.Code, &q.SourceDocument, &q.Text, &options, &correct, &q.IsSample, &q.Revision)
		copy(q.Options[:], options)
		q.CorrectOption = int(correct)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan question set: %w", err)
	}
	return out, nil
}
