package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// Errors of accommodation grants.
var (
	// ErrExtraAttemptGranted refuses a second extra attempt for the same participant and round.
	ErrExtraAttemptGranted = errors.New("an extra attempt was already granted in this round")
	// ErrPracticeRound refuses what only a real round has: accommodations, results, a ranking.
	ErrPracticeRound = errors.New("practice rounds are never ranked nor accommodated")
)

// Accommodation is one grant of the committee to one participant in one round.
type Accommodation struct {
	ID               int64     `json:"id"`
	RoundID          int64     `json:"round_id"`
	ParticipantID    int64     `json:"participant_id"`
	ParticipantName  string    `json:"participant_name"`
	ParticipantPhone string    `json:"participant_phone"`
	ExtraMinutes     int       `json:"extra_minutes"`
	ExtraAttempt     bool      `json:"extra_attempt"`
	Reason           string    `json:"reason"`
	GrantedBy        int64     `json:"granted_by"`
	GrantedByName    string    `json:"granted_by_name"`
	GrantedAt        time.Time `json:"granted_at"`
	// Moved lists the participant's running attempts whose deadline this grant moved; only
	// the answer to the grant carries it.
	Moved []MovedDeadline `json:"moved_attempts,omitempty"`
}

// MovedDeadline is a running attempt's new deadline after a grant of extra time.
type MovedDeadline struct {
	AttemptID int64     `json:"attempt_id"`
	Deadline  time.Time `json:"deadline"`
}

// AccommodationGrant is what the committee asks for.
type AccommodationGrant struct {
	RoundID      int64
	Phone        string // the participant, by normalized phone
	ExtraMinutes int
	ExtraAttempt bool
	Reason       string
	GrantedBy    int64
}

// GrantAccommodation records a grant. Extra minutes apply to the attempts the participant
// starts in the round from now on and, in the same transaction, to an attempt of the round
// still running: the answer path and the automatic close both read the row's deadline, so
// the caller only has to tell the exam's timer (Moved).
func (s *Store) GrantAccommodation(ctx context.Context, g AccommodationGrant) (Accommodation, error) {
	var a Accommodation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var practice bool
		err := tx.QueryRow(ctx, `
			SELECT c.practice_of IS NOT NULL FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
			WHERE r.id = $1`, g.RoundID).Scan(&practice)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("load round: %w", err)
		}
		if practice {
			return ErrPracticeRound
		}
		err = tx.QueryRow(ctx, `SELECT id FROM users WHERE phone = $1 AND role = 'participant'`, g.Phone).Scan(&a.ParticipantID)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("find participant: %w", err)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO accommodations (round_id, participant_id, extra_minutes, extra_attempt, reason, granted_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			g.RoundID, a.ParticipantID, g.ExtraMinutes, g.ExtraAttempt, g.Reason, g.GrantedBy).Scan(&a.ID)
		if isUniqueViolation(err, "accommodations_one_extra_attempt") {
			return ErrExtraAttemptGranted
		}
		if err != nil {
			return fmt.Errorf("insert accommodation: %w", err)
		}
		a.Moved, err = moveRunningDeadlines(ctx, tx, g.RoundID, a.ParticipantID, g.ExtraMinutes)
		return err
	})
	if err != nil {
		return Accommodation{}, err
	}
	list, err := s.Accommodations(ctx, g.RoundID)
	if err != nil {
		return Accommodation{}, err
	}
	for _, x := range list {
		if x.ID == a.ID {
			x.Moved = a.Moved
			return x, nil
		}
	}
	return Accommodation{}, fmt.Errorf("accommodation %d vanished", a.ID)
}

// moveRunningDeadlines adds extra minutes to the participant's attempts of the round that
// the database's clock says are still running. One whose deadline has passed is closing
// already: extending it would reopen an exam its participant was told had ended.
func moveRunningDeadlines(ctx context.Context, tx pgx.Tx, roundID, participantID int64, minutes int) ([]MovedDeadline, error) {
	if minutes == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `
		UPDATE attempts SET deadline = deadline + make_interval(mins => $3)
		WHERE round_id = $1 AND participant_id = $2 AND status = 'in_progress' AND now() < deadline
		RETURNING id, deadline`, roundID, participantID, minutes)
	if err != nil {
		return nil, fmt.Errorf("move running deadlines: %w", err)
	}
	moved, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MovedDeadline, error) {
		var m MovedDeadline
		return m, r.Scan(&m.AttemptID, &m.Deadline)
	})
	if err != nil {
		return nil, fmt.Errorf("scan moved deadlines: %w", err)
	}
	return moved, nil
}

// Accommodations lists a round's grants, newest first.
func (s *Store) Accommodations(ctx context.Context, roundID int64) ([]Accommodation, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.round_id, a.participant_id, p.full_name, p.phone, a.extra_minutes, a.extra_attempt,
		       a.reason, a.granted_by, g.full_name, a.granted_at
		FROM accommodations a JOIN users p ON p.id = a.participant_id JOIN users g ON g.id = a.granted_by
		WHERE a.round_id = $1 ORDER BY a.granted_at DESC, a.id DESC`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list accommodations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Accommodation, error) {
		var a Accommodation
		err := r.Scan(&a.ID, &a.RoundID, &a.ParticipantID, &a.ParticipantName, &a.ParticipantPhone, &a.ExtraMinutes,
			&a.ExtraAttempt, &a.Reason, &a.GrantedBy, &a.GrantedByName, &a.GrantedAt)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan accommodations: %w", err)
	}
	return out, nil
}

// accommodationOf sums what the committee granted a participant in a round: extra
// attempts and extra minutes on each attempt's timer.
func accommodationOf(ctx context.Context, tx pgx.Tx, roundID, participantID int64) (attempts, minutes int, err error) {
	err = tx.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE extra_attempt), coalesce(sum(extra_minutes), 0)
		FROM accommodations WHERE round_id = $1 AND participant_id = $2`, roundID, participantID).Scan(&attempts, &minutes)
	if err != nil {
		return 0, 0, fmt.Errorf("load accommodations: %w", err)
	}
	return attempts, minutes, nil
}
