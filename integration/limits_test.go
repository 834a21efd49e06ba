//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

func TestAnswerSavesAreRateLimitedPerParticipant(t *testing.T) {
	limits := api.DefaultLimits
	limits.AnswersPerUser = api.Limit{Max: 5, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	path := fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID)
	for i := 0; i < 5; i++ {
		p.Expect(http.StatusOK, "PUT", path, map[string]string{"choice": "A"})
	}
	req := p.Do("PUT", path, map[string]string{"choice": "B"})
	if req.Status != http.StatusTooManyRequests || req.ErrorCode() != "rate_limited" {
		t.Fatalf("sixth save: %d %s", req.Status, req.Body)
	}
	var got attempt
	p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &got)
	if got.Answers["1"] != "A" {
		t.Fatalf("a refused save changed the answer: %v", got.Answers)
	}
}

// With Redis unreachable the limits are not enforced, and the quiz goes on.
func TestQuizGoesOnWhenTheRateLimiterCannotReachRedis(t *testing.T) {
	s := testenv.New(t, testenv.Options{LimiterRedis: "127.0.0.1:1"})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	for no := 1; no <= 10; no++ {
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": "C"})
	}
	var res result
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	if res.Status != "submitted" {
		t.Fatalf("result %+v", res)
	}
	// Readiness reports Redis but stays ready: every replica shares Redis, and failing
	// them all would stop a quiz that works.
	var ready map[string]any
	r := s.NewClient(t).Get("/readyz")
	r.JSON(t, &ready)
	if r.Status != http.StatusOK || ready["degraded"] != true || ready["redis"] == "ok" || ready["postgres"] != "ok" || ready["temporal"] != "ok" {
		t.Fatalf("readyz without Redis: %d %s", r.Status, r.Body)
	}
}
