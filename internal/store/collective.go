package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// AgencyQuizStats is what the quiz says about one agency's own participants (children
// not included): how many sat, in which weeks one of them ended with 0 correct answers,
// and the sum and count of their best scores per week.
type AgencyQuizStats struct {
	AgencyID     int64
	Participants int
	ZeroWeeks    []int
	BestSum      int
	BestCount    int
}

// AgencyQuizStatsOf computes the quiz side of the collective prize for every agency of a
// campaign in one query.
func (s *Store) AgencyQuizStatsOf(ctx context.Context, campaignID int64) ([]AgencyQuizStats, error) {
	rows, err := s.pool.Query(ctx, `
		WITH best AS (
			SELECT ro.number, r.participant_id, u.agency_id, max(r.correct_count) AS best
			FROM results r JOIN rounds ro ON ro.id = r.round_id JOIN users u ON u.id = r.participant_id
			-- An unconfirmed account (not on its agency's roster) neither counts for the
			-- agency nor, with a blank attempt, disqualifies it.
			WHERE ro.campaign_id = $1 AND u.agency_id IS NOT NULL AND u.counts_for_agency
			GROUP BY ro.number, r.participant_id, u.agency_id
		)
		SELECT agency_id, count(DISTINCT participant_id)::int,
		       coalesce(array_agg(DISTINCT number) FILTER (WHERE best = 0), '{}')::int[],
		       sum(best)::int, count(*)::int
		FROM best GROUP BY agency_id ORDER BY agency_id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("agency quiz stats: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AgencyQuizStats])
	if err != nil {
		return nil, fmt.Errorf("scan agency quiz stats: %w", err)
	}
	return out, nil
}
