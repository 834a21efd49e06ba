package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// Closing is what the grading rules decide about an attempt being closed.
type Closing struct {
	FinishedAt   time.Time
	Auto         bool
	TimeUsed     time.Duration
	Marks        []bool // per question, in question order
	CorrectCount int
}

// ClosingInput is the state an attempt is closed from, read under the row lock.
type ClosingInput struct {
	StartedAt time.Time
	Deadline  time.Time
	Now       time.Time // the database's clock, the one the answer guard uses
	Questions []AttemptQuestion
}

// DeadlineNotReachedError refuses an automatic close that the database's clock says is
// early: the host that asked for it (a Temporal worker, the sweeper) runs ahead.
type DeadlineNotReachedError struct {
	AttemptID int64
	Remaining time.Duration
}

func (e *DeadlineNotReachedError) Error() string {
	return fmt.Sprintf("attempt %d: deadline not reached on the database clock (%s left)", e.AttemptID, e.Remaining)
}

// FinalizeAttempt closes an attempt exactly once. The first caller grades it and writes the
// result; every later caller, whoever it is (submit, timer, sweeper, a retried activity),
// gets that same result back.
//
// decide may refuse to close (for example, an automatic close before the database's clock
// has reached the deadline); its error is returned and nothing is written.
func (s *Store) FinalizeAttempt(ctx context.Context, id int64, decide func(ClosingInput) (Closing, error)) (Result, error) {
	// Most calls come after the attempt was closed (the exam workflow after a submission,
	// the sweeper, a retried activity). A result row is written in the same transaction as
	// the close and never removed, so when one exists it is the answer, without a
	// transaction and a row lock.
	res, err := resultOf(ctx, s.pool, id)
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return res, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var (
			in            ClosingInput
			status        string
			roundID       int64
			participantID int64
			agencyID      *int64
			prediction    *int
		)
		err := tx.QueryRow(ctx, `
			SELECT a.status, a.started_at, a.deadline, now(), a.round_id, a.participant_id, u.agency_id, a.prediction
			FROM attempts a JOIN users u ON u.id = a.participant_id
			WHERE a.id = $1 FOR UPDATE OF a`, id).
			Scan(&status, &in.StartedAt, &in.Deadline, &in.Now, &roundID, &participantID, &agencyID, &prediction)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock attempt %d: %w", id, err)
		}
		if status != contest.StatusInProgress {
			res, err = resultOf(ctx, tx, id)
			return err
		}
		if in.Questions, err = attemptQuestions(ctx, tx, id); err != nil {
			return err
		}
		c, err := decide(in)
		if err != nil {
			return err
		}
		if len(c.Marks) != len(in.Questions) {
			return fmt.Errorf("grading returned %d marks for %d questions", len(c.Marks), len(in.Questions))
		}
		nos := make([]int16, len(in.Questions))
		for i, q := range in.Questions {
			nos[i] = int16(q.No)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE attempt_questions aq SET is_correct = m.correct
			FROM unnest($2::smallint[], $3::bool[]) AS m(no, correct)
			WHERE aq.attempt_id = $1 AND aq.no = m.no`, id, nos, c.Marks); err != nil {
			return fmt.Errorf("mark answers: %w", err)
		}
		newStatus := contest.StatusSubmitted
		if c.Auto {
			newStatus = contest.StatusAutoSubmitted
		}
		if _, err := tx.Exec(ctx, `UPDATE attempts SET status = $2, finished_at = $3 WHERE id = $1`,
			id, newStatus, c.FinishedAt); err != nil {
			return fmt.Errorf("close attempt: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count,
			                     question_count, prediction, time_used_ms, finished_at, auto_submitted)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, roundID, participantID, agencyID, c.CorrectCount, len(in.Questions), prediction,
			c.TimeUsed.Milliseconds(), c.FinishedAt, c.Auto); err != nil {
			return fmt.Errorf("insert result: %w", err)
		}
		res = Result{AttemptID: id, Status: newStatus, CorrectCount: c.CorrectCount,
			QuestionCount: len(in.Questions), TimeUsedMS: c.TimeUsed.Milliseconds(), FinishedAt: c.FinishedAt}
		return nil
	})
	return res, err
}

func resultOf(ctx context.Context, q querier, attemptID int64) (Result, error) {
	var (
		r    Result
		auto bool
	)
	err := q.QueryRow(ctx, `
		SELECT attempt_id, correct_count, question_count, time_used_ms, finished_at, auto_submitted
		FROM results WHERE attempt_id = $1`, attemptID).
		Scan(&r.AttemptID, &r.CorrectCount, &r.QuestionCount, &r.TimeUsedMS, &r.FinishedAt, &auto)
	if err != nil {
		return r, fmt.Errorf("load result of attempt %d: %w", attemptID, err)
	}
	r.Status = contest.StatusSubmitted
	if auto {
		r.Status = contest.StatusAutoSubmitted
	}
	return r, nil
}
