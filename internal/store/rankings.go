package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// ResultRow is one finished attempt of a round, as ranking reads it.
type ResultRow struct {
	ParticipantID int64
	AttemptID     int64
	CorrectCount  int
	QuestionCount int
	Prediction    *int
	TimeUsedMS    int64
	FinishedAt    time.Time
	// Unconfirmed: the account is not on its agency's roster and no focal point has
	// confirmed it, so it cannot win.
	Unconfirmed bool
}

// RoundResults streams every result of a round.
func (s *Store) RoundResults(ctx context.Context, roundID int64) ([]ResultRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.participant_id, r.attempt_id, r.correct_count, r.question_count, r.prediction, r.time_used_ms, r.finished_at,
		       NOT u.counts_for_agency
		FROM results r JOIN users u ON u.id = r.participant_id WHERE r.round_id = $1`, roundID)
	if err != nil {
		return nil, fmt.Errorf("load round results: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ResultRow, error) {
		var x ResultRow
		err := r.Scan(&x.ParticipantID, &x.AttemptID, &x.CorrectCount, &x.QuestionCount, &x.Prediction, &x.TimeUsedMS, &x.FinishedAt, &x.Unconfirmed)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan round results: %w", err)
	}
	return out, nil
}

// RoundCampaignSettings returns the settings of the campaign a round belongs to: the
// ranking reads its prize rules from the campaign row, as it stands when the round is ranked.
func (s *Store) RoundCampaignSettings(ctx context.Context, roundID int64) ([]byte, error) {
	var raw []byte
	err := s.pool.QueryRow(ctx, `
		SELECT c.settings FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1`, roundID).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, contest.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load settings of round %d: %w", roundID, err)
	}
	return raw, nil
}

// RankingRow is one participant's place in a round.
type RankingRow struct {
	ParticipantID      int64     `json:"participant_id"`
	AttemptID          int64     `json:"attempt_id"`
	Rank               int       `json:"rank"`
	CorrectCount       int       `json:"correct_count"`
	Prediction         *int      `json:"prediction"`
	PredictionDistance *int64    `json:"prediction_distance"`
	TimeUsedMS         int64     `json:"time_used_ms"`
	FinishedAt         time.Time `json:"finished_at"`
	Prize              string    `json:"prize,omitempty"`
	UnresolvedTie      bool      `json:"unresolved_tie"`
	FullName           string    `json:"full_name,omitempty"`
	AgencyName         string    `json:"agency_name,omitempty"`
	// BelowPrizeMinimum marks a row with fewer correct answers than the campaign's
	// min_correct_for_prize: ranked, but never a winner. Set by the API, not stored.
	BelowPrizeMinimum bool `json:"below_prize_minimum"`
	// RosterUnconfirmed: the account, as it stands now, is not on its agency's roster and
	// not confirmed, so it counts for no agency and a ranking gives it no prize.
	RosterUnconfirmed bool `json:"roster_unconfirmed"`
}

// SaveRanking replaces a round's ranking in one transaction (a re-rank after the committee
// sent it back overwrites the previous one). The round's workflow marks it ranked once it
// is ready for the committee's decision.
func (s *Store) SaveRanking(ctx context.Context, roundID int64, perfectCount int, rows []RankingRow) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM round_rankings WHERE round_id = $1`, roundID); err != nil {
			return fmt.Errorf("clear ranking: %w", err)
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"round_rankings"},
			[]string{"round_id", "participant_id", "attempt_id", "rank", "correct_count", "prediction",
				"prediction_distance", "time_used_ms", "finished_at", "prize", "unresolved_tie"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				var prize *string
				if r.Prize != "" {
					prize = &r.Prize
				}
				return []any{roundID, r.ParticipantID, r.AttemptID, r.Rank, r.CorrectCount, r.Prediction,
					r.PredictionDistance, r.TimeUsedMS, r.FinishedAt, prize, r.UnresolvedTie}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy ranking: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE rounds SET perfect_count = $2, ranked_at = now() WHERE id = $1`, roundID, perfectCount); err != nil {
			return fmt.Errorf("record round %d ranking time: %w", roundID, err)
		}
		return nil
	})
}

// RoundRankingView is a round's ranking as the committee reviews it.
type RoundRankingView struct {
	RoundID      int64  `json:"round_id"`
	Number       int    `json:"number"`
	State        string `json:"state"`
	PerfectCount *int   `json:"perfect_count"`
	Participants int    `json:"participants"` // in the stored ranking: 0 until the round is ranked
	// Ranked says whether a ranking exists; before it, Submitted (the participants with a
	// result now, counted live) is what the committee reads, never a ranking of 0.
	Ranked    bool         `json:"ranked"`
	Submitted int          `json:"submitted"`
	Rows      []RankingRow `json:"rows"`
}

// RoundRanking returns the top of a round's ranking with names, plus every row in an
// unresolved tie (so the committee sees each one even below the limit).
func (s *Store) RoundRanking(ctx context.Context, campaignID int64, number, limit int) (RoundRankingView, error) {
	var v RoundRankingView
	err := s.pool.QueryRow(ctx, `
		SELECT r.id, r.number, r.state, r.perfect_count, (SELECT count(*) FROM round_rankings WHERE round_id = r.id),
		       r.ranked_at IS NOT NULL, (SELECT count(DISTINCT participant_id) FROM results WHERE round_id = r.id)
		FROM rounds r WHERE r.campaign_id = $1 AND r.number = $2`, campaignID, number).
		Scan(&v.RoundID, &v.Number, &v.State, &v.PerfectCount, &v.Participants, &v.Ranked, &v.Submitted)
	if err == pgx.ErrNoRows {
		return v, contest.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("load round %d: %w", number, err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT rr.participant_id, rr.attempt_id, rr.rank, rr.correct_count, rr.prediction, rr.prediction_distance,
		       rr.time_used_ms, rr.finished_at, coalesce(rr.prize, ''), rr.unresolved_tie, u.full_name, coalesce(a.name, ''),
		       NOT u.counts_for_agency
		FROM round_rankings rr JOIN users u ON u.id = rr.participant_id LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE rr.round_id = $1 AND (rr.rank <= $2 OR rr.unresolved_tie)
		ORDER BY rr.rank, rr.participant_id`, v.RoundID, limit)
	if err != nil {
		return v, fmt.Errorf("load ranking: %w", err)
	}
	v.Rows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RankingRow, error) {
		var x RankingRow
		err := r.Scan(&x.ParticipantID, &x.AttemptID, &x.Rank, &x.CorrectCount, &x.Prediction, &x.PredictionDistance,
			&x.TimeUsedMS, &x.FinishedAt, &x.Prize, &x.UnresolvedTie, &x.FullName, &x.AgencyName, &x.RosterUnconfirmed)
		return x, err
	})
	if err != nil {
		return v, fmt.Errorf("scan ranking: %w", err)
	}
	return v, nil
}
