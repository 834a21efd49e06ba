//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

// setCampaignSettings merges settings into the seeded campaign's (campaign data, read on
// every request).
func setCampaignSettings(t *testing.T, s *testenv.Stack, settings map[string]any) {
	t.Helper()
	raw, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(context.Background(),
		`UPDATE campaigns SET settings = settings || $2::jsonb WHERE code = $1`, s.Campaign.Code, raw); err != nil {
		t.Fatal(err)
	}
}

func setRound(t *testing.T, s *testenv.Stack, roundID int64, set string) {
	t.Helper()
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE rounds SET `+set+` WHERE id = $1`, roundID); err != nil {
		t.Fatal(err)
	}
}

type disclosedResult struct {
	Status          string     `json:"status"`
	CorrectCount    *int       `json:"correct_count"`
	ScoreReleased   bool       `json:"score_released"`
	ScoreExpectedAt *time.Time `json:"score_expected_at"`
}

type disclosedAttempt struct {
	Status     string           `json:"status"`
	ServerTime time.Time        `json:"server_time"`
	Deadline   time.Time        `json:"deadline"`
	Result     *disclosedResult `json:"result"`
	Review     []struct {
		No         int    `json:"no"`
		CorrectKey string `json:"correct_key"`
	} `json:"review"`
}

func getAttempt(t *testing.T, c *testenv.Client, id int64) (disclosedAttempt, []byte) {
	t.Helper()
	var a disclosedAttempt
	r := c.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", id), nil)
	r.JSON(t, &a)
	return a, r.Body
}

// TestReviewWaitsForTheLastAttempt: the round closes while one participant is still
// sitting (started just before the close). The one who submitted early sees no correct
// option until that last attempt's deadline plus the settle margin has passed on the
// database's clock; with the campaign's "after ranking" choice, not before the ranking.
func TestReviewWaitsForTheLastAttempt(t *testing.T) {
	const limit = 6 * time.Second
	const settle = time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit})
	setCampaignSettings(t, s, map[string]any{"score_shown": "at_submit", "review_release": "after_last_deadline",
		"review_settle_seconds": int(settle / time.Second)})
	early, late := s.Participant(t), s.Participant(t)
	_, e := startCurrent(t, early)
	keys := s.CorrectKeys(t, e.AttemptID)
	early.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", e.AttemptID), map[string]string{"choice": keys[1]})
	early.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", e.AttemptID), nil)
	r, l := startCurrent(t, late)
	setRound(t, s, r.ID, "closes_at = now()")

	// The round has closed; the late attempt still runs for its whole time limit.
	got, body := getAttempt(t, early, e.AttemptID)
	if got.Status != "submitted" || len(got.Review) != 0 || strings.Contains(string(body), "correct_key") {
		t.Fatalf("review shown after the close while an attempt is still open: %s", body)
	}
	if still, _ := getAttempt(t, late, l.AttemptID); still.Status != "in_progress" {
		t.Fatalf("the late attempt is %s, want still in progress: the test proves nothing", still.Status)
	}

	// The review opens, and only once the last deadline and the margin have passed.
	waitFor(t, limit+30*time.Second, "the review after the last deadline", func() bool {
		got, body = getAttempt(t, early, e.AttemptID)
		if len(got.Review) == 0 {
			return false
		}
		if got.ServerTime.Before(l.Deadline.Add(settle)) {
			t.Fatalf("review shown at %v, before the last attempt's deadline %v plus %v: %s", got.ServerTime, l.Deadline, settle, body)
		}
		return true
	})
	if len(got.Review) != 10 || got.Review[0].CorrectKey != keys[1] {
		t.Fatalf("review %+v", got.Review)
	}

	// The campaign may choose to release the review only with the ranking.
	setCampaignSettings(t, s, map[string]any{"review_release": "after_ranking"})
	if got, body = getAttempt(t, early, e.AttemptID); len(got.Review) != 0 {
		t.Fatalf("review shown before the ranking under the after-ranking choice: %s", body)
	}
	setRound(t, s, r.ID, "state = 'ranked'")
	if got, body = getAttempt(t, early, e.AttemptID); len(got.Review) != 10 {
		t.Fatalf("no review once the round is ranked: %s", body)
	}
}

// TestScoreHiddenUntilRanked: by default the correct count is shown only once the round is
// ranked; submit, the attempt and my-attempts carry none of it before (a score at submit
// lets throw-away accounts recover the keys). A campaign may choose "at submit".
func TestScoreHiddenUntilRanked(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	hidden, shown := s.Participant(t), s.Participant(t)
	r, a := startCurrent(t, hidden)
	keys := s.CorrectKeys(t, a.AttemptID)
	for no := 1; no <= 3; no++ {
		hidden.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]})
	}
	var res disclosedResult
	resp := hidden.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	resp.JSON(t, &res)
	assertScoreHidden(t, "submit", res, resp.Body)
	// A second submit answers the same withheld result.
	resp = hidden.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	resp.JSON(t, &res)
	assertScoreHidden(t, "second submit", res, resp.Body)
	got, body := getAttempt(t, hidden, a.AttemptID)
	if got.Result == nil {
		t.Fatalf("closed attempt without its result: %s", body)
	}
	assertScoreHidden(t, "the closed attempt", *got.Result, body)
	var mine struct {
		Attempts []struct {
			ID     int64            `json:"id"`
			Result *disclosedResult `json:"result"`
		} `json:"attempts"`
	}
	resp = hidden.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil)
	resp.JSON(t, &mine)
	if len(mine.Attempts) != 1 || mine.Attempts[0].Result == nil {
		t.Fatalf("my attempts %s", resp.Body)
	}
	assertScoreHidden(t, "my attempts", *mine.Attempts[0].Result, resp.Body)

	// A campaign that chose "at submit" shows it at once.
	setCampaignSettings(t, s, map[string]any{"score_shown": "at_submit"})
	_, b := startCurrent(t, shown)
	resp = shown.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", b.AttemptID), nil)
	resp.JSON(t, &res)
	if res.CorrectCount == nil || *res.CorrectCount != 0 || !res.ScoreReleased {
		t.Fatalf("score at submit under the at-submit choice: %s", resp.Body)
	}

	// Back to the default: hidden until the round is ranked, then shown everywhere.
	setCampaignSettings(t, s, map[string]any{"score_shown": "after_ranking"})
	if got, body = getAttempt(t, hidden, a.AttemptID); got.Result.CorrectCount != nil {
		t.Fatalf("score shown before the ranking: %s", body)
	}
	setRound(t, s, r.ID, "state = 'ranked'")
	if got, body = getAttempt(t, hidden, a.AttemptID); got.Result.CorrectCount == nil || *got.Result.CorrectCount != 3 || !got.Result.ScoreReleased {
		t.Fatalf("score after the ranking: %s", body)
	}
	hidden.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil).JSON(t, &mine)
	if c := mine.Attempts[0].Result.CorrectCount; c == nil || *c != 3 {
		t.Fatalf("my attempts after the ranking: %+v", mine.Attempts[0].Result)
	}
}

func assertScoreHidden(t *testing.T, where string, r disclosedResult, body []byte) {
	t.Helper()
	if r.CorrectCount != nil || r.ScoreReleased || r.ScoreExpectedAt == nil || r.Status == "" {
		t.Fatalf("%s reveals the score before the ranking (or says not when it comes): %s", where, body)
	}
	for _, leak := range []string{"is_correct", "correct_key", "review"} {
		if strings.Contains(string(body), leak) {
			t.Fatalf("%s carries %q before the ranking: %s", where, leak, body)
		}
	}
}
