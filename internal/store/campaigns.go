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

// Campaign holds the rules one contest runs with; all of it is data, none of it code.
type Campaign struct {
	ID                  int64
	Code                string
	Name                string
	Timezone            string
	QuestionsPerAttempt int
	TimeLimit           time.Duration
	AttemptsPerRound    int
	PredictionQuestion  string
	Settings            json.RawMessage
	// Rehearsal is true for a campaign copied for a trial run: nothing of it is public.
	Rehearsal bool
	// Practice is true for a campaign of practice (thi thử): nothing of it is ranked or public.
	Practice bool
}

// Round is one week of the quiz.
type Round struct {
	ID         int64
	CampaignID int64
	Number     int
	OpensAt    time.Time
	ClosesAt   time.Time
}

// RoundView is a round with the campaign rules an attempt needs and the database's clock.
type RoundView struct {
	Round
	QuestionsPerAttempt int
	TimeLimit           time.Duration
	// AttemptsPerRound is how many attempts a participant may make in the round.
	AttemptsPerRound int
	Now              time.Time
	// Approved is true once the committee approved both the round's question set and
	// going live: without both the round does not open, whatever the calendar says.
	Approved bool
}

// Status tells whether the round is upcoming, open, awaiting approval or closed at the
// database's clock.
func (r RoundView) Status() string {
	switch {
	case r.Now.Before(r.OpensAt):
		return "upcoming"
	case r.Now.Before(r.ClosesAt) && !r.Approved:
		return "awaiting_approval"
	case r.Now.Before(r.ClosesAt):
		return "open"
	default:
		return "closed"
	}
}

const campaignColumns = `id, code, name, timezone, questions_per_attempt, time_limit_seconds,
	attempts_per_round, prediction_question, settings, rehearsal_of IS NOT NULL, practice_of IS NOT NULL`

func scanCampaign(row pgx.Row) (Campaign, error) {
	var c Campaign
	var seconds int
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Timezone, &c.QuestionsPerAttempt, &seconds,
		&c.AttemptsPerRound, &c.PredictionQuestion, &c.Settings, &c.Rehearsal, &c.Practice)
	c.TimeLimit = time.Duration(seconds) * time.Second
	return c, err
}

// DefaultCampaign returns the campaign the public pages show.
func (s *Store) DefaultCampaign(ctx context.Context) (Campaign, error) {
	c, err := scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE is_default AND rehearsal_of IS NULL`))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, contest.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load default campaign: %w", err)
	}
	return c, nil
}

const roundViewQuery = `
	SELECT r.id, r.campaign_id, r.number, r.opens_at, r.closes_at,
	       c.questions_per_attempt, c.time_limit_seconds, now(),
	       c.live_at IS NOT NULL AND r.question_set_status = 'approved', c.attempts_per_round
	FROM rounds r JOIN campaigns c ON c.id = r.campaign_id`

func scanRoundView(row pgx.Row) (RoundView, error) {
	var v RoundView
	var seconds int
	err := row.Scan(&v.ID, &v.CampaignID, &v.Number, &v.OpensAt, &v.ClosesAt, &v.QuestionsPerAttempt, &seconds, &v.Now, &v.Approved, &v.AttemptsPerRound)
	v.TimeLimit = time.Duration(seconds) * time.Second
	return v, err
}

// CurrentRound returns the default campaign's open round; failing that the next one to
// open; failing that the last one that closed.
func (s *Store) CurrentRound(ctx context.Context) (RoundView, error) {
	v, err := scanRoundView(s.pool.QueryRow(ctx, roundViewQuery+`
		WHERE c.is_default AND c.rehearsal_of IS NULL
		ORDER BY (now() >= r.opens_at AND now() < r.closes_at) DESC,
		         (r.opens_at > now()) DESC,
		         CASE WHEN r.opens_at > now() THEN r.opens_at END ASC,
		         r.closes_at DESC
		LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, contest.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("load current round: %w", err)
	}
	return v, nil
}

// RoundByID loads one round with its campaign rules.
func (s *Store) RoundByID(ctx context.Context, id int64) (RoundView, error) {
	v, err := scanRoundView(s.pool.QueryRow(ctx, roundViewQuery+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, contest.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("load round %d: %w", id, err)
	}
	return v, nil
}

// CampaignByCodeShort returns a campaign's rules by code.
func (s *Store) CampaignByCodeShort(ctx context.Context, code string) (Campaign, error) {
	c, err := scanCampaign(s.pool.QueryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, contest.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load campaign %s: %w", code, err)
	}
	return c, nil
}
