package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// PracticeCodeSuffix names a campaign's practice campaign: "<code>-thi-thu".
const PracticeCodeSuffix = "-thi-thu"

// PracticeYears is how long a practice round stays open once created: before, during and
// after the contest, until the committee closes it in the database.
const PracticeYears = 10

// EnsurePractice creates, once, the practice campaign of a real campaign: the same number
// of questions and time limit, one round open from now, live at once. Its round's set is
// left a draft (no committee approval, so no set revision ever reaches a workflow); the
// practice bank is imported into it like any other. It answers the practice campaign's id.
func (s *Store) EnsurePractice(ctx context.Context, campaignID int64) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT id FROM campaigns WHERE practice_of = $1`, campaignID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find practice campaign: %w", err)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO campaigns (code, name, timezone, questions_per_attempt, time_limit_seconds,
			                       attempts_per_round, prediction_question, settings, practice_of, live_at)
			SELECT code || $2, 'Thi thử — ' || name, timezone, questions_per_attempt, time_limit_seconds, 1,
			       prediction_question, '{}', id, now()
			FROM campaigns WHERE id = $1 AND rehearsal_of IS NULL AND practice_of IS NULL
			RETURNING id`, campaignID, PracticeCodeSuffix).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("create practice campaign: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO rounds (campaign_id, number, opens_at, closes_at, state)
			VALUES ($1, 1, now(), now() + make_interval(years => $2), 'open')`, id, PracticeYears); err != nil {
			return fmt.Errorf("create practice round: %w", err)
		}
		return nil
	})
	return id, err
}

// PracticeView is the practice round of the default campaign, as the pages offer it.
type PracticeView struct {
	RoundView
	CampaignCode  string
	QuestionCount int // the practice bank's size: no practice without questions
}

// CurrentPractice returns the practice round of the default campaign.
func (s *Store) CurrentPractice(ctx context.Context) (PracticeView, error) {
	var p PracticeView
	var seconds int
	err := s.pool.QueryRow(ctx, `
		SELECT r.id, r.campaign_id, r.number, r.opens_at, r.closes_at, pc.questions_per_attempt,
		       pc.time_limit_seconds, now(), pc.code,
		       (SELECT count(*) FROM round_questions rq WHERE rq.round_id = r.id)
		FROM campaigns c JOIN campaigns pc ON pc.practice_of = c.id JOIN rounds r ON r.campaign_id = pc.id
		WHERE c.is_default AND c.rehearsal_of IS NULL
		ORDER BY r.number LIMIT 1`).
		Scan(&p.ID, &p.CampaignID, &p.Number, &p.OpensAt, &p.ClosesAt, &p.QuestionsPerAttempt,
			&seconds, &p.Now, &p.CampaignCode, &p.QuestionCount)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, contest.ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("load practice round: %w", err)
	}
	p.TimeLimit = time.Duration(seconds) * time.Second
	p.AttemptsPerRound = 0 // unlimited
	p.Approved = p.QuestionCount > 0
	return p, nil
}
