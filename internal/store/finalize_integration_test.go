//go:build integration

package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/attempts"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
)

// The store's most dangerous writes against PostgreSQL: the finalization that closes an
// attempt exactly once, the deadline guard on answers, and the marks the exam dispatcher's
// recovery scan relies on. A fresh database per test, seeded with the demo campaign
// (round 1 open now).

type examDB struct {
	st      *store.Store
	roundID int64
}

func newExamDB(t *testing.T) examDB {
	t.Helper()
	ctx := context.Background()
	st := testenv.NewDatabase(t)
	if _, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	round, err := st.CurrentRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return examDB{st: st, roundID: round.ID}
}

// open starts an attempt of the open round for a new participant.
func (db examDB) open(t *testing.T) store.Attempt { return testenv.OpenAttempt(t, db.st, db.roundID) }

func (db examDB) expire(t *testing.T, attemptID int64) { testenv.ExpireAttempt(t, db.st, attemptID) }

func (db examDB) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.st.Pool().QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// correctChoice is the display position of question q's correct option.
func correctChoice(q store.AttemptQuestion) int {
	for i, o := range q.OptionOrder {
		if o == q.Correct {
			return i
		}
	}
	return -1
}

func submit(in store.ClosingInput) (store.Closing, error) {
	return attempts.DecideClosing(in, true), nil
}

func TestFinalizeAttemptClosesOnce(t *testing.T) {
	ctx := context.Background()
	db := newExamDB(t)

	t.Run("a second finalize decides nothing and returns the first result", func(t *testing.T) {
		a := db.open(t)
		if err := db.st.SaveAnswer(ctx, a.ID, a.ParticipantID, 1, correctChoice(a.Questions[0])); err != nil {
			t.Fatal(err)
		}
		first, err := db.st.FinalizeAttempt(ctx, a.ID, submit)
		if err != nil {
			t.Fatal(err)
		}
		if first.Status != contest.StatusSubmitted || first.CorrectCount != 1 || first.QuestionCount != len(a.Questions) {
			t.Fatalf("first result %+v, want submitted with 1 of %d correct (the acknowledged answer graded)", first, len(a.Questions))
		}
		second, err := db.st.FinalizeAttempt(ctx, a.ID, func(store.ClosingInput) (store.Closing, error) {
			t.Error("a closed attempt was decided again")
			return store.Closing{}, errors.New("decided twice")
		})
		if err != nil {
			t.Fatal(err)
		}
		if second.Status != first.Status || second.CorrectCount != first.CorrectCount || !second.FinishedAt.Equal(first.FinishedAt) ||
			second.TimeUsedMS != first.TimeUsedMS {
			t.Errorf("second result %+v, want the first %+v", second, first)
		}
		if n := db.count(t, `SELECT count(*) FROM results WHERE attempt_id = $1`, a.ID); n != 1 {
			t.Errorf("%d result rows, want 1", n)
		}
	})

	t.Run("racing finalizations decide once and all return one result", func(t *testing.T) {
		a := db.open(t)
		var decided atomic.Int32
		// Grading slowly holds the first racer inside its transaction, so that the others
		// arrive while the attempt is still open: only the row lock keeps them from deciding.
		decide := func(in store.ClosingInput) (store.Closing, error) {
			decided.Add(1)
			time.Sleep(200 * time.Millisecond)
			return submit(in)
		}
		const racers = 8
		results := make([]store.Result, racers)
		errs := make([]error, racers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				<-start
				results[i], errs[i] = db.st.FinalizeAttempt(ctx, a.ID, decide)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("racer %d: %v", i, err)
			}
			if !results[i].FinishedAt.Equal(results[0].FinishedAt) || results[i].Status != results[0].Status {
				t.Errorf("racer %d got %+v, racer 0 %+v", i, results[i], results[0])
			}
		}
		if n := decided.Load(); n != 1 {
			t.Errorf("decided %d times, want once", n)
		}
		if n := db.count(t, `SELECT count(*) FROM results WHERE attempt_id = $1`, a.ID); n != 1 {
			t.Errorf("%d result rows, want 1", n)
		}
	})

	t.Run("a refused close writes nothing", func(t *testing.T) {
		a := db.open(t)
		refusal := &store.DeadlineNotReachedError{AttemptID: a.ID, Remaining: time.Minute}
		_, err := db.st.FinalizeAttempt(ctx, a.ID, func(store.ClosingInput) (store.Closing, error) { return store.Closing{}, refusal })
		if !errors.Is(err, refusal) {
			t.Fatalf("error %v, want the refusal", err)
		}
		db.checkStillOpen(t, a.ID)
	})

	t.Run("grading that does not match the questions writes nothing", func(t *testing.T) {
		a := db.open(t)
		_, err := db.st.FinalizeAttempt(ctx, a.ID, func(in store.ClosingInput) (store.Closing, error) {
			c, _ := submit(in)
			c.Marks = c.Marks[1:]
			return c, nil
		})
		if err == nil {
			t.Fatal("closed with one mark missing")
		}
		db.checkStillOpen(t, a.ID)
	})

	t.Run("an attempt that does not exist is not found", func(t *testing.T) {
		if _, err := db.st.FinalizeAttempt(ctx, 1<<40, submit); !errors.Is(err, contest.ErrNotFound) {
			t.Errorf("error %v, want %v", err, contest.ErrNotFound)
		}
	})
}

func (db examDB) checkStillOpen(t *testing.T, attemptID int64) {
	t.Helper()
	if n := db.count(t, `SELECT count(*) FROM attempts WHERE id = $1 AND status = 'in_progress' AND finished_at IS NULL`, attemptID); n != 1 {
		t.Error("the attempt was closed")
	}
	if n := db.count(t, `SELECT count(*) FROM results WHERE attempt_id = $1`, attemptID); n != 0 {
		t.Errorf("%d result rows, want none", n)
	}
	if n := db.count(t, `SELECT count(*) FROM attempt_questions WHERE attempt_id = $1 AND is_correct IS NOT NULL`, attemptID); n != 0 {
		t.Errorf("%d questions marked, want none", n)
	}
}

func TestAnswerGuard(t *testing.T) {
	ctx := context.Background()
	db := newExamDB(t)
	choiceOf := func(t *testing.T, attemptID int64, no int) *int {
		t.Helper()
		var c *int
		if err := db.st.Pool().QueryRow(ctx, `SELECT choice FROM attempt_questions WHERE attempt_id = $1 AND no = $2`,
			attemptID, no).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("a late answer after the deadline is refused and changes nothing", func(t *testing.T) {
		a := db.open(t)
		if err := db.st.SaveAnswer(ctx, a.ID, a.ParticipantID, 2, 1); err != nil {
			t.Fatal(err)
		}
		db.expire(t, a.ID)
		if err := db.st.SaveAnswer(ctx, a.ID, a.ParticipantID, 2, 3); !errors.Is(err, contest.ErrAttemptClosed) {
			t.Errorf("late answer: %v, want %v", err, contest.ErrAttemptClosed)
		}
		if err := db.st.SavePrediction(ctx, a.ID, a.ParticipantID, 40); !errors.Is(err, contest.ErrAttemptClosed) {
			t.Errorf("late prediction: %v, want %v", err, contest.ErrAttemptClosed)
		}
		if c := choiceOf(t, a.ID, 2); c == nil || *c != 1 {
			t.Errorf("choice %v after the late answer, want the one saved in time (1)", c)
		}
		if n := db.count(t, `SELECT count(*) FROM attempts WHERE id = $1 AND prediction IS NULL`, a.ID); n != 1 {
			t.Error("the late prediction was stored")
		}
	})

	t.Run("an answer after the close is refused", func(t *testing.T) {
		a := db.open(t)
		if _, err := db.st.FinalizeAttempt(ctx, a.ID, submit); err != nil {
			t.Fatal(err)
		}
		if err := db.st.SaveAnswer(ctx, a.ID, a.ParticipantID, 1, 0); !errors.Is(err, contest.ErrAttemptClosed) {
			t.Errorf("answer after the close: %v, want %v", err, contest.ErrAttemptClosed)
		}
		if c := choiceOf(t, a.ID, 1); c != nil {
			t.Errorf("choice %d stored after the close", *c)
		}
	})

	t.Run("someone else's attempt is not found, a question outside it is out of range", func(t *testing.T) {
		a, other := db.open(t), db.open(t)
		if err := db.st.SaveAnswer(ctx, a.ID, other.ParticipantID, 1, 0); !errors.Is(err, contest.ErrNotFound) {
			t.Errorf("answer to another's attempt: %v, want %v", err, contest.ErrNotFound)
		}
		if c := choiceOf(t, a.ID, 1); c != nil {
			t.Errorf("another participant's answer was stored (%d)", *c)
		}
		if err := db.st.SaveAnswer(ctx, a.ID, a.ParticipantID, len(a.Questions)+1, 0); !errors.Is(err, contest.ErrQuestionOutOfRange) {
			t.Errorf("answer to question %d: %v, want %v", len(a.Questions)+1, err, contest.ErrQuestionOutOfRange)
		}
	})
}

// The recovery scan starts the workflow of every open attempt not confirmed started: a
// confirmed attempt must drop out of it, a closed one must never enter it.
func TestExamsAwaitingWorkflow(t *testing.T) {
	ctx := context.Background()
	db := newExamDB(t)
	confirmed, unconfirmed, closed := db.open(t), db.open(t), db.open(t)
	if _, err := db.st.FinalizeAttempt(ctx, closed.ID, submit); err != nil {
		t.Fatal(err)
	}
	if err := db.st.MarkExamWorkflowsStarted(ctx, []int64{confirmed.ID, closed.ID}); err != nil {
		t.Fatal(err)
	}
	awaiting := func(olderThan time.Duration) map[int64]bool {
		t.Helper()
		pending, err := db.st.ExamsAwaitingWorkflow(ctx, olderThan, 100)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[int64]bool{}
		for _, p := range pending {
			ids[p.AttemptID] = true
		}
		return ids
	}
	if got := awaiting(time.Hour); len(got) != 0 {
		t.Errorf("attempts younger than the grace listed: %v", got)
	}
	// Started "long ago" from the scan's point of view: a negative age takes every attempt.
	got := awaiting(-time.Hour)
	if !got[unconfirmed.ID] || got[confirmed.ID] || got[closed.ID] || len(got) != 1 {
		t.Errorf("awaiting %v, want only the unconfirmed attempt %d", got, unconfirmed.ID)
	}
	if n := db.count(t, `SELECT count(*) FROM attempts WHERE id = $1 AND workflow_started_at IS NULL`, closed.ID); n != 1 {
		t.Error("a closed attempt's row was rewritten by the confirmation")
	}
}
