package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

// ItemRound is a round as the item analysis needs it.
type ItemRound struct {
	ID       int64
	Number   int
	State    string
	Ranked   bool
	Attempts int // in the ranking
}

// ItemAnalysisRound finds a round of a campaign by number and says whether it is ranked.
func (s *Store) ItemAnalysisRound(ctx context.Context, campaignID int64, number int) (ItemRound, error) {
	var r ItemRound
	err := s.pool.QueryRow(ctx, `
		SELECT r.id, r.number, r.state, r.ranked_at IS NOT NULL, (SELECT count(*) FROM round_rankings WHERE round_id = r.id)
		FROM rounds r WHERE r.campaign_id = $1 AND r.number = $2`, campaignID, number).
		Scan(&r.ID, &r.Number, &r.State, &r.Ranked, &r.Attempts)
	if err == pgx.ErrNoRows {
		return r, contest.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("load round %d: %w", number, err)
	}
	r.Ranked = r.Ranked && RoundRanked(r.State)
	return r, nil
}

// ItemAnalysisQuestions lists what the item analysis of a round reports on: the round's
// set, plus the questions in drawn (the ids the answer aggregates name: an earlier revision
// of a question that attempts drew before it was revised is its own question, with its own
// key), ordered by code. Taking the drawn ids from the aggregates spares a second pass
// over the answers.
func (s *Store) ItemAnalysisQuestions(ctx context.Context, roundID int64, drawn []int64) ([]rules.ItemQuestion, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT q.id, q.code, q.text, q.correct_option FROM questions q
		WHERE q.id IN (SELECT question_id FROM round_questions WHERE round_id = $1) OR q.id = ANY($2)
		ORDER BY q.code, q.id`, roundID, drawn)
	if err != nil {
		return nil, fmt.Errorf("load item analysis questions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (rules.ItemQuestion, error) {
		var q rules.ItemQuestion
		var key int16
		err := r.Scan(&q.ID, &q.Code, &q.Text, &key)
		q.CorrectOption = int(key)
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan item analysis questions: %w", err)
	}
	return out, nil
}

// ItemAnalysisCells aggregates a ranked round's answers: each ranked attempt is placed in
// the upper or lower group (rules.ItemGroupSize of them each, by ranking order, ties on
// the score broken as the ranking broke them, then by attempt) or in the middle, then its
// answers are counted per question, group and option, the option mapped back through
// the attempt's shuffle (option_order) to its place in the bank. A few rows per question
// come back, however many attempts there are. The groups are given by the two attempts
// at their boundaries, found on the ranking's index, so the aggregate is one plain join
// (no window over the ranking) that PostgreSQL may run in parallel. Everything reads one
// snapshot, so a ranking rewritten in between cannot skew the groups.
func (s *Store) ItemAnalysisCells(ctx context.Context, roundID int64) ([]rules.ItemCell, error) {
	var out []rules.ItemCell
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM round_rankings WHERE round_id = $1`, roundID).Scan(&n); err != nil {
			return fmt.Errorf("count ranked attempts: %w", err)
		}
		// Without groups (fewer than two attempts) the bounds sit outside every ranking.
		upperRank, upperAttempt, lowerRank, lowerAttempt := int64(-1), int64(-1), int64(1<<62), int64(1<<62)
		if g := rules.ItemGroupSize(n); g > 0 {
			at := func(offset int, rank, attempt *int64) error {
				return tx.QueryRow(ctx, `SELECT rank, attempt_id FROM round_rankings WHERE round_id = $1
					ORDER BY rank, attempt_id OFFSET $2 LIMIT 1`, roundID, offset).Scan(rank, attempt)
			}
			if err := at(g-1, &upperRank, &upperAttempt); err != nil {
				return fmt.Errorf("find the upper group's last attempt: %w", err)
			}
			if err := at(n-g, &lowerRank, &lowerAttempt); err != nil {
				return fmt.Errorf("find the lower group's first attempt: %w", err)
			}
		}
		// The planner cannot estimate the groups of the CASE and the option expression (it
		// guesses about one per answer, against a few hundred in fact), so it sorts the million
		// answers to disk to group them. Hashing them takes a few hundred kilobytes: say so for
		// this read-only transaction only.
		if _, err := tx.Exec(ctx, `SET LOCAL enable_sort = off`); err != nil {
			return fmt.Errorf("prefer hashing: %w", err)
		}
		rows, err := tx.Query(ctx, `
			SELECT aq.question_id,
			       CASE WHEN (rr.rank, rr.attempt_id) <= ($2::bigint, $3::bigint) THEN 1
			            WHEN (rr.rank, rr.attempt_id) >= ($4::bigint, $5::bigint) THEN -1 ELSE 0 END,
			       coalesce(aq.option_order[aq.choice + 1], -1)::int,
			       count(*), sum(rr.correct_count)::bigint, sum(rr.correct_count::bigint * rr.correct_count)::bigint
			FROM round_rankings rr JOIN attempt_questions aq ON aq.attempt_id = rr.attempt_id
			WHERE rr.round_id = $1
			GROUP BY 1, 2, 3`, roundID, upperRank, upperAttempt, lowerRank, lowerAttempt)
		if err != nil {
			return fmt.Errorf("aggregate answers: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (rules.ItemCell, error) {
			var c rules.ItemCell
			var count int64
			err := r.Scan(&c.QuestionID, &c.Group, &c.Option, &count, &c.SumTotal, &c.SumTotalSq)
			c.Count = int(count)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("scan answer aggregates: %w", err)
		}
		return nil
	})
	return out, err
}
