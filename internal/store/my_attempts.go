package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
)

// AttemptSummary is one line of a participant's own history: enough to find an attempt
// left open on another device and to list past results, without questions or answers.
type AttemptSummary struct {
	ID          int64
	RoundID     int64
	RoundNumber int
	Status      string
	StartedAt   time.Time
	Deadline    time.Time
	Result      *Result
	// What decides whether the score may be shown (see Attempt).
	Now            time.Time
	RoundClosesAt  time.Time
	RoundState     string
	TimeLimit      time.Duration
	LatestDeadline time.Time
	Settings       json.RawMessage
	// Practice marks an attempt of thi thử: the quiz and result pages of the contest skip it.
	Practice bool
}

// ParticipantAttempts lists a participant's attempts, newest first, at most limit of them;
// attempts in rehearsal rounds only when withRehearsals (the caller may sit rehearsals).
func (s *Store) ParticipantAttempts(ctx context.Context, participantID int64, limit int, withRehearsals bool) ([]AttemptSummary, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.round_id, r.number, a.status, a.started_at, a.deadline,
		       res.correct_count, res.question_count, res.time_used_ms, res.finished_at, res.auto_submitted,
		       now(), r.closes_at, r.state, c.time_limit_seconds, c.settings,
		       CASE WHEN c.practice_of IS NULL THEN (SELECT max(o.deadline) FROM attempts o WHERE o.round_id = a.round_id)
		            ELSE a.deadline END,
		       c.practice_of IS NOT NULL
		FROM attempts a
		JOIN rounds r ON r.id = a.round_id
		JOIN campaigns c ON c.id = r.campaign_id
		LEFT JOIN results res ON res.attempt_id = a.id
		WHERE a.participant_id = $1 AND ($3 OR c.rehearsal_of IS NULL)
		ORDER BY a.started_at DESC, a.id DESC
		LIMIT $2`, participantID, limit, withRehearsals)
	if err != nil {
		return nil, fmt.Errorf("list attempts of participant %d: %w", participantID, err)
	}
	defer rows.Close()
	var out []AttemptSummary
	for rows.Next() {
		var (
			a         AttemptSummary
			correct   *int
			questions *int
			usedMS    *int64
			finished  *time.Time
			auto      *bool
			seconds   int
		)
		if err := rows.Scan(&a.ID, &a.RoundID, &a.RoundNumber, &a.Status, &a.StartedAt, &a.Deadline,
			&correct, &questions, &usedMS, &finished, &auto,
			&a.Now, &a.RoundClosesAt, &a.RoundState, &seconds, &a.Settings, &a.LatestDeadline, &a.Practice); err != nil {
			return nil, fmt.Errorf("scan attempt of participant %d: %w", participantID, err)
		}
		a.TimeLimit = time.Duration(seconds) * time.Second
		if correct != nil {
			a.Result = &Result{AttemptID: a.ID, Status: contest.StatusSubmitted, CorrectCount: *correct,
				QuestionCount: *questions, TimeUsedMS: *usedMS, FinishedAt: *finished}
			if *auto {
				a.Result.Status = contest.StatusAutoSubmitted
			}
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list attempts of participant %d: %w", participantID, err)
	}
	return out, nil
}
