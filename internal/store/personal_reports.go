package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// ParticipantReportRow is one participant account of a campaign's registration list.
type ParticipantReportRow struct {
	ID           int64
	FullName     string
	DateOfBirth  *time.Time
	CCCD         string
	Phone        string
	AgencyID     int64
	AgencyName   string
	Position     string
	RosterStatus string
	Weeks        int // rounds of the campaign with a result
}

// ParticipantsForReport lists every participant account with an agency, with how many of
// the campaign's weeks each sat.
func (s *Store) ParticipantsForReport(ctx context.Context, campaignID int64) ([]ParticipantReportRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.full_name, u.date_of_birth, coalesce(u.cccd, ''), u.phone, u.agency_id, a.name, u.position,
		       u.roster_status,
		       (SELECT count(DISTINCT res.round_id)::int FROM results res JOIN rounds r ON r.id = res.round_id
		        WHERE res.participant_id = u.id AND r.campaign_id = $1)
		FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE u.role = 'participant'
		ORDER BY a.name, u.full_name, u.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("load participants: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ParticipantReportRow])
	return out, wrapErr("scan participants", err)
}

// PrizeWinnerRow is one weekly prize with what the committee needs to hand it out.
type PrizeWinnerRow struct {
	RoundNumber  int
	Rank         int
	Prize        string
	FullName     string
	DateOfBirth  *time.Time
	CCCD         string
	Phone        string
	AgencyName   string
	Position     string
	CorrectCount int
}

// PrizeWinners lists every weekly prize of a campaign's ranked rounds, in round and rank order.
func (s *Store) PrizeWinners(ctx context.Context, campaignID int64) ([]PrizeWinnerRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.number, rr.rank, rr.prize, u.full_name, u.date_of_birth, coalesce(u.cccd, ''), u.phone,
		       coalesce(a.name, ''), u.position, rr.correct_count
		FROM round_rankings rr JOIN rounds r ON r.id = rr.round_id
		JOIN users u ON u.id = rr.participant_id LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE r.campaign_id = $1 AND rr.prize IS NOT NULL
		ORDER BY r.number, rr.rank, rr.participant_id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("load prize winners: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[PrizeWinnerRow])
	return out, wrapErr("scan prize winners", err)
}
