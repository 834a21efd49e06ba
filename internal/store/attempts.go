package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
)

// Attempt statuses, kept for callers written before the domain package.
const ()

// DrawFunc chooses an attempt's questions from a round's set: ids[i] is question no i+1,
// shown with its options in orders[i].
type DrawFunc func(pool []int64, n int) (ids []int64, orders [][4]int, err error)

// AttemptQuestion is one question of an attempt in display order. Correct and IsCorrect
// are for grading and for review after the round; the API decides what leaves the server.
type AttemptQuestion struct {
	No             int
	QuestionID     int64
	SourceDocument string
	Text           string
	Options        [4]string // original order; OptionOrder maps display keys onto it
	OptionOrder    [4]int
	Choice         *int // display position of the chosen option
	Correct        int  // original index of the correct option
	IsCorrect      *bool
}

// Attempt is an attempt with its questions, answers and, once closed, its result.
type Attempt struct {
	ID                 int64
	RoundID            int64
	RoundClosesAt      time.Time
	ParticipantID      int64
	Status             string
	StartedAt          time.Time
	Deadline           time.Time
	FinishedAt         *time.Time
	Prediction         *int
	PredictionQuestion string
	Now                time.Time
	Questions          []AttemptQuestion
	Result             *Result
	// Rehearsal is true for an attempt in a rehearsal round.
	Rehearsal bool
	// Practice is true for an attempt in a practice round (thi thử): never ranked, never
	// counted, its review shown as soon as it closes.
	Practice bool
	// What decides whether the score and the review may be shown (rules.Disclose):
	// the round's state, the campaign's time limit and settings, and the latest
	// deadline of any attempt of the round.
	RoundState     string
	TimeLimit      time.Duration
	LatestDeadline time.Time
	Settings       json.RawMessage
}

// RoundRanked says whether a round state comes after its ranking.
func RoundRanked(state string) bool {
	return state == "ranked" || state == "approved" || state == "published"
}

// Result is the domain's result of an attempt; the store reads and writes it.
type Result = contest.Result

// StartAttempt opens a new attempt for a participant in an open round. The checks and the
// insert share one transaction; unique indexes settle races between devices.
func (s *Store) StartAttempt(ctx context.Context, roundID, participantID int64, draw DrawFunc) (Attempt, error) {
	var a Attempt
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var role string
		var tester bool
		if err := tx.QueryRow(ctx, `SELECT role, is_tester FROM users WHERE id = $1`, participantID).Scan(&role, &tester); err != nil {
			return fmt.Errorf("load participant: %w", err)
		}
		var (
			open, rehearsal, practice bool
			perAttempt, allowed       int
			limitSeconds              int
		)
		// A practice round opens on its calendar alone: its set is never sent to the
		// committee (it decides nothing), and its campaign is live from creation.
		err := tx.QueryRow(ctx, `
			SELECT now() >= r.opens_at AND now() < r.closes_at AND c.live_at IS NOT NULL
			       AND (r.question_set_status = 'approved' OR c.practice_of IS NOT NULL), c.questions_per_attempt,
			       c.attempts_per_round, c.time_limit_seconds, c.prediction_question, r.closes_at,
			       c.rehearsal_of IS NOT NULL, c.practice_of IS NOT NULL
			FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1`, roundID).
			Scan(&open, &perAttempt, &allowed, &limitSeconds, &a.PredictionQuestion, &a.RoundClosesAt, &rehearsal, &practice)
		switch {
		case errors.Is(err, pgx.ErrNoRows) && role != contest.RoleParticipant:
			return contest.ErrNotParticipant
		case errors.Is(err, pgx.ErrNoRows):
			return contest.ErrNotFound
		case err != nil:
			return fmt.Errorf("load round: %w", err)
		}
		// A rehearsal runs on the real sets: only staff and marked testers sit it. A real
		// round is for participants only (plan II.1).
		if rehearsal && !MayRehearse(role, tester) {
			return contest.ErrRehearsalOnly
		}
		if !rehearsal && role != contest.RoleParticipant {
			return contest.ErrNotParticipant
		}
		// Practice shows no real set, so a tester may practise like anyone else.
		if !rehearsal && !practice && tester {
			return contest.ErrTesterAccount
		}
		a.Rehearsal, a.Practice = rehearsal, practice
		if !open {
			return contest.ErrRoundNotOpen
		}
		var taken int
		var hasOpen bool
		if err := tx.QueryRow(ctx, `
			SELECT count(*) FILTER (WHERE round_id = $1), coalesce(bool_or(status = 'in_progress'), false)
			FROM attempts WHERE participant_id = $2`, roundID, participantID).Scan(&taken, &hasOpen); err != nil {
			return fmt.Errorf("count attempts: %w", err)
		}
		if hasOpen {
			return contest.ErrAttemptInProgress
		}
		extraAttempts, extraMinutes, err := accommodationOf(ctx, tx, roundID, participantID)
		if err != nil {
			return err
		}
		// Practice is unlimited; a real round allows the campaign's attempts plus any the
		// committee granted this participant in this round.
		if !practice && taken >= allowed+extraAttempts {
			return contest.ErrAttemptLimit
		}
		limitSeconds += extraMinutes * 60
		pool, err := questionSet(ctx, tx, roundID)
		if err != nil {
			return err
		}
		ids, orders, err := draw(pool, perAttempt)
		if err != nil {
			return fmt.Errorf("draw questions: %w", err)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO attempts (round_id, participant_id, seq, started_at, deadline)
			VALUES ($1, $2, $3, now(), now() + make_interval(secs => $4))
			RETURNING id, started_at, deadline, now()`,
			roundID, participantID, taken+1, limitSeconds).Scan(&a.ID, &a.StartedAt, &a.Deadline, &a.Now)
		if isUniqueViolation(err, "") {
			return contest.ErrAttemptInProgress
		}
		if err != nil {
			return fmt.Errorf("insert attempt: %w", err)
		}
		nos := make([]int16, len(ids))
		flatOrders := make([]string, len(ids))
		for i := range ids {
			nos[i] = int16(i + 1)
			o := orders[i]
			flatOrders[i] = fmt.Sprintf("{%d,%d,%d,%d}", o[0], o[1], o[2], o[3])
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO attempt_questions (attempt_id, no, question_id, option_order)
			SELECT $1, n, q, o::smallint[] FROM unnest($2::smallint[], $3::bigint[], $4::text[]) AS t(n, q, o)`,
			a.ID, nos, ids, flatOrders); err != nil {
			return fmt.Errorf("insert attempt questions: %w", err)
		}
		a.Questions, err = attemptQuestions(ctx, tx, a.ID)
		return err
	})
	if err != nil {
		return Attempt{}, err
	}
	a.RoundID, a.ParticipantID, a.Status = roundID, participantID, contest.StatusInProgress
	return a, nil
}

func questionSet(ctx context.Context, tx pgx.Tx, roundID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT question_id FROM round_questions WHERE round_id = $1 ORDER BY question_id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("load question set: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("scan question set: %w", err)
	}
	return ids, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func attemptQuestions(ctx context.Context, q querier, attemptID int64) ([]AttemptQuestion, error) {
	rows, err := q.Query(ctx, `
		SELECT aq.no, q.id, q.source_document, q.text, q.options, aq.option_order, aq.choice,
		       q.correct_option, aq.is_correct
		FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id
		WHERE aq.attempt_id = $1 ORDER BY aq.no`, attemptID)
	if err != nil {
		return nil, fmt.Errorf("load attempt questions: %w", err)
	}
	questions, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AttemptQuestion, error) {
		var (
			q       AttemptQuestion
			options []string
			order   []int16
			choice  *int16
			correct int16
		)
		if err := r.Scan(&q.No, &q.QuestionID, &q.SourceDocument, &q.Text, &options, &order, &choice, &correct, &q.IsCorrect); err != nil {
			return q, err
		}
		copy(q.Options[:], options)
		for i, o := range order {
			q.OptionOrder[i] = int(o)
		}
		if choice != nil {
			c := int(*choice)
			q.Choice = &c
		}
		q.Correct = int(correct)
		return q, nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan attempt questions: %w", err)
	}
	return questions, nil
}

// GetAttempt loads an attempt with its questions and, once closed, its result.
func (s *Store) GetAttempt(ctx context.Context, id int64) (Attempt, error) {
	var a Attempt
	var limitSeconds int
	err := s.pool.QueryRow(ctx, `
		SELECT a.id, a.round_id, r.closes_at, a.participant_id, a.status, a.started_at, a.deadline,
		       a.finished_at, a.prediction, c.prediction_question, now(),
		       c.rehearsal_of IS NOT NULL, c.practice_of IS NOT NULL, r.state, c.time_limit_seconds, c.settings,
		       -- Practice discloses without it, and its one round gathers every practice attempt.
		       CASE WHEN c.practice_of IS NULL THEN (SELECT max(o.deadline) FROM attempts o WHERE o.round_id = a.round_id)
		            ELSE a.deadline END
		FROM attempts a JOIN rounds r ON r.id = a.round_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE a.id = $1`, id).
		Scan(&a.ID, &a.RoundID, &a.RoundClosesAt, &a.ParticipantID, &a.Status, &a.StartedAt, &a.Deadline,
			&a.FinishedAt, &a.Prediction, &a.PredictionQuestion, &a.Now,
			&a.Rehearsal, &a.Practice, &a.RoundState, &limitSeconds, &a.Settings, &a.LatestDeadline)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, contest.ErrNotFound
	}
	if err != nil {
		return a, fmt.Errorf("load attempt %d: %w", id, err)
	}
	a.TimeLimit = time.Duration(limitSeconds) * time.Second
	if a.Questions, err = attemptQuestions(ctx, s.pool, id); err != nil {
		return a, err
	}
	if a.Status != contest.StatusInProgress {
		r, err := resultOf(ctx, s.pool, id)
		if err != nil {
			return a, err
		}
		a.Result = &r
	}
	return a, nil
}

// mayWriteRehearsal is the guard, on a row of attempts, that keeps an account which may
// not sit rehearsals (a tester unmarked since the start) from writing to a rehearsal attempt.
const mayWriteRehearsal = `NOT EXISTS (
	SELECT 1 FROM rounds r JOIN campaigns c ON c.id = r.campaign_id JOIN users u ON u.id = attempts.participant_id
	WHERE r.id = attempts.round_id AND c.rehearsal_of IS NOT NULL AND u.role = 'participant' AND NOT u.is_tester)`

// SaveAnswer records a choice in one statement guarded by the deadline. The attempt row is
// share-locked so that finalization, which locks it exclusively, either sees this answer or
// makes this statement find the attempt closed: an acknowledged answer is always graded.
func (s *Store) SaveAnswer(ctx context.Context, attemptID, participantID int64, no, choice int) error {
	tag, err := s.pool.Exec(ctx, `
		WITH open_attempt AS (
			SELECT id FROM attempts
			WHERE id = $1 AND participant_id = $2 AND status = 'in_progress' AND now() < deadline
			  AND `+mayWriteRehearsal+`
			FOR SHARE
		)
		UPDATE attempt_questions aq SET choice = $4, answered_at = now()
		FROM open_attempt WHERE aq.attempt_id = open_attempt.id AND aq.no = $3`,
		attemptID, participantID, no, choice)
	if err != nil {
		return fmt.Errorf("save answer: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return s.explainRefusal(ctx, attemptID, participantID, no)
}

// SavePrediction records the answer to the prediction question, with the same guard.
func (s *Store) SavePrediction(ctx context.Context, attemptID, participantID int64, count int) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE attempts SET prediction = $3
		WHERE id = $1 AND participant_id = $2 AND status = 'in_progress' AND now() < deadline
		  AND `+mayWriteRehearsal,
		attemptID, participantID, count)
	if err != nil {
		return fmt.Errorf("save prediction: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return s.explainRefusal(ctx, attemptID, participantID, 1)
}

// explainRefusal runs only on the unhappy path, to tell the caller why a guarded write did nothing.
func (s *Store) explainRefusal(ctx context.Context, attemptID, participantID int64, no int) error {
	var (
		owner     int64
		writable  bool
		allowed   bool
		questions int
	)
	err := s.pool.QueryRow(ctx, `
		SELECT participant_id, status = 'in_progress' AND now() < deadline, `+mayWriteRehearsal+`,
		       (SELECT count(*) FROM attempt_questions WHERE attempt_id = $1)
		FROM attempts WHERE id = $1`, attemptID).Scan(&owner, &writable, &allowed, &questions)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != participantID):
		return contest.ErrNotFound
	case err != nil:
		return fmt.Errorf("explain refused write: %w", err)
	case !allowed:
		return contest.ErrRehearsalOnly
	case !writable:
		return contest.ErrAttemptClosed
	case no < 1 || no > questions:
		return contest.ErrQuestionOutOfRange
	default:
		return fmt.Errorf("answer to attempt %d question %d was not saved for an unknown reason", attemptID, no)
	}
}

// OverdueAttempts lists attempts still open more than grace after their deadline: the
// safety net for an exam whose workflow was lost.
func (s *Store) OverdueAttempts(ctx context.Context, grace time.Duration, limit int) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id FROM attempts
		WHERE status = 'in_progress' AND deadline < now() - make_interval(secs => $1)
		ORDER BY deadline LIMIT $2`, grace.Seconds(), limit)
	if err != nil {
		return nil, fmt.Errorf("list overdue attempts: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("scan overdue attempts: %w", err)
	}
	return ids, nil
}
