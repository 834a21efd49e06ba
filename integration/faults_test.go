//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

func resultRows(t *testing.T, s *testenv.Stack, attemptID int64) int {
	t.Helper()
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM results WHERE attempt_id = $1`, attemptID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The worker dies mid-exam and comes back after the deadline: the exam is finalized at
// its deadline by the timer Temporal kept, exactly once, with the answers saved before.
func TestWorkerKilledMidExamStillFinalizes(t *testing.T) {
	s := testenv.New(t, testenv.Options{TimeLimit: 3 * time.Second, ScoreAtSubmit: true})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID), map[string]string{"choice": keys[1]})
	s.StopWorker()
	time.Sleep(time.Until(a.Deadline.Add(time.Second)))
	var got attempt
	p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &got)
	if got.Status != "in_progress" {
		t.Fatalf("finalized with no worker running: %+v", got)
	}
	s.RestartWorker(t)
	waitFor(t, 20*time.Second, "the restarted worker to finalize the exam", func() bool {
		p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &got)
		return got.Status != "in_progress"
	})
	if got.Status != "auto_submitted" || got.Result == nil || got.Result.CorrectCount != 1 || got.Result.TimeUsedMS != 3000 {
		t.Fatalf("after the worker came back: %+v", got)
	}
	if n := resultRows(t, s, a.AttemptID); n != 1 {
		t.Fatalf("%d results", n)
	}
}

// The client goes away in the middle of a submit (the API's request context is cancelled):
// the attempt still ends in exactly one final state.
func TestSubmitAbandonedMidRequestEndsInOneFinalState(t *testing.T) {
	s := testenv.New(t, testenv.Options{TimeLimit: 4 * time.Second})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", fmt.Sprintf("%s/api/v1/attempts/%d/submit", s.URL, a.AttemptID), nil)
	req.Header.Set("Authorization", "Bearer "+p.Token)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	var got attempt
	waitFor(t, 20*time.Second, "a final state", func() bool {
		p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &got)
		return got.Status != "in_progress"
	})
	// Whatever ended it, a later submit agrees and no second result appears.
	var res result
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	time.Sleep(time.Until(a.Deadline.Add(2 * time.Second))) // let the timer fire if it is still armed
	if n := resultRows(t, s, a.AttemptID); n != 1 || res.Status != got.Status {
		t.Fatalf("%d results; submit says %q, attempt says %q", n, res.Status, got.Status)
	}
}
