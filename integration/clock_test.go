//go:build integration

package integration

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// A worker whose clock runs ahead fires the exam timer early and asks for an automatic
// close. The database's clock decides: the attempt stays open, the activity asks to be
// retried when the deadline is reached, and the participant's own submit still works.
func TestAutomaticCloseWaitsForTheDatabaseClock(t *testing.T) {
	ctx := context.Background()
	st := testenv.NewDatabase(t)
	if _, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	round, err := st.CurrentRound(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var uid int64
	if err := st.Pool().QueryRow(ctx, `
		INSERT INTO users (full_name, phone, agency_id, password_hash, role)
		VALUES ('Người thi đồng hồ', $1, (SELECT min(id) FROM agencies), 'x', 'participant') RETURNING id`,
		testenv.UniquePhone()).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	attempt, err := st.StartAttempt(ctx, round.ID, uid, benchDraw())
	if err != nil {
		t.Fatal(err)
	}
	acts := &activities.Activities{Store: st}

	_, err = acts.FinalizeAttempt(ctx, workflows.FinalizeRequest{AttemptID: attempt.ID})
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != workflows.DeadlineNotReachedErrorType {
		t.Fatalf("automatic close before the deadline: got %v, want a %s error", err, workflows.DeadlineNotReachedErrorType)
	}
	if appErr.NonRetryable() {
		t.Fatal("an early automatic close must be retried, not given up")
	}
	if d := appErr.NextRetryDelay(); d <= 0 || d > time.Until(attempt.Deadline)+time.Second {
		t.Errorf("next retry in %s, want about the time left to the deadline (%s)", d, time.Until(attempt.Deadline))
	}
	var status string
	if err := st.Pool().QueryRow(ctx, `SELECT status FROM attempts WHERE id = $1`, attempt.ID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != contest.StatusInProgress {
		t.Fatalf("attempt is %q after an early automatic close, want it still %q", status, contest.StatusInProgress)
	}

	res, err := acts.FinalizeAttempt(ctx, workflows.FinalizeRequest{AttemptID: attempt.ID, Manual: true})
	if err != nil {
		t.Fatalf("participant's submit: %v", err)
	}
	if res.Status != contest.StatusSubmitted {
		t.Fatalf("after the participant's submit: status %q, want %q", res.Status, contest.StatusSubmitted)
	}
}
