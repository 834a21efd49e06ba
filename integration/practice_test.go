//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

type practiceInfo struct {
	RoundID       int64  `json:"round_id"`
	Label         string `json:"label"`
	CampaignCode  string `json:"campaign_code"`
	Status        string `json:"status"`
	QuestionCount int    `json:"question_count"`
	BankSize      int    `json:"bank_size"`
	Unlimited     bool   `json:"unlimited"`
	Ranked        bool   `json:"ranked"`
}

type practiceAttempt struct {
	attempt
	Practice bool `json:"practice"`
}

func expectPracticeNotRanked(t *testing.T, r testenv.Response, what string) {
	t.Helper()
	if r.Status != http.StatusNotFound || r.ErrorCode() != "practice_not_ranked" {
		t.Fatalf("%s: %d %s, want 404 practice_not_ranked", what, r.Status, r.Body)
	}
}

// sitPractice starts a practice attempt, answers question 1 and submits: the result comes
// with its score and the attempt with its review, at once.
func sitPractice(t *testing.T, p *testenv.Client, roundID int64) int64 {
	t.Helper()
	var a struct {
		started
		Practice bool `json:"practice"`
	}
	p.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID), nil).JSON(t, &a)
	if !a.Practice || len(a.Questions) != 10 {
		t.Fatalf("practice start: practice %v, %d questions", a.Practice, len(a.Questions))
	}
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	p.Expect(http.StatusOK, "PUT", path+"/answers/1", map[string]string{"choice": "A"})
	var res struct {
		CorrectCount  *int `json:"correct_count"`
		ScoreReleased bool `json:"score_released"`
	}
	p.Expect(http.StatusOK, "POST", path+"/submit", nil).JSON(t, &res)
	if res.CorrectCount == nil || !res.ScoreReleased {
		t.Fatalf("practice submit shows no score: %+v", res)
	}
	var got practiceAttempt
	p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
	if !got.Practice || got.Status != "submitted" || len(got.Review) != 10 {
		t.Fatalf("practice attempt after submit: practice %v, status %s, %d review items", got.Practice, got.Status, len(got.Review))
	}
	return a.AttemptID
}

func participantsCounted(t *testing.T, committee *testenv.Client, code string) int {
	t.Helper()
	n := 0
	for _, r := range getParticipation(t, committee, code, "").Rows {
		n += r.Participants
	}
	return n
}

// TestPracticeIsUnlimitedNeverRankedNorCounted: the practice round (thi thử) of the default
// campaign is offered to everyone, labelled; a participant sits it again and again (one
// open attempt at a time), sees the score and the review at once, and none of it touches
// the contest: the real round's one attempt is still there, participation stays at zero,
// the ranking and the published results hold only the real attempt, and the practice
// round has no results, no top list and no feed.
func TestPracticeIsUnlimitedNeverRankedNorCounted(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	anonymous := s.NewClient(t)
	var info practiceInfo
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/practice", nil).JSON(t, &info)
	if info.Label != "Thi thử" || info.Status != "open" || !info.Unlimited || info.Ranked || info.BankSize != 20 || info.QuestionCount != 10 {
		t.Fatalf("practice round: %+v", info)
	}
	if info.RoundID == s.CurrentRoundID(t) {
		t.Fatal("the practice round is the contest's current round")
	}

	p := s.Participant(t)
	committee := s.Staff(t, "committee")
	start := fmt.Sprintf("/api/v1/rounds/%d/attempts", info.RoundID)
	var first started
	p.Expect(http.StatusCreated, "POST", start, nil).JSON(t, &first)
	if r := p.Do("POST", start, nil); r.Status != http.StatusConflict || r.ErrorCode() != "attempt_in_progress" {
		t.Fatalf("second practice attempt while one is open: %d %s", r.Status, r.Body)
	}
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", first.AttemptID), nil)
	for range 3 {
		sitPractice(t, p, info.RoundID)
	}
	if n := participantsCounted(t, committee, s.Campaign.Code); n != 0 {
		t.Fatalf("four practice attempts counted %d participants", n)
	}

	// The contest's own attempt is untouched by practice, and still only one.
	r, a := startCurrent(t, p)
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	if res := p.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID), nil); res.ErrorCode() != "attempt_limit_reached" {
		t.Fatalf("second real attempt: %d %s", res.Status, res.Body)
	}
	if n := participantsCounted(t, committee, s.Campaign.Code); n == 0 {
		t.Fatal("the real attempt is not counted")
	}
	// Practice stays available after a real attempt.
	sitPractice(t, p, info.RoundID)

	rankAndPublish(t, s, r.ID)
	var ranking rankingAnswer
	committee.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/campaigns/%s/rounds/1/ranking", s.Campaign.Code), nil).JSON(t, &ranking)
	if rows := ranking.Ranking.Rows; len(rows) != 1 || rows[0].ParticipantID != myID(t, p) {
		t.Fatalf("ranking holds %d rows, want only the participant's real attempt: %+v", len(rows), rows)
	}
	var top publicTop
	anonymous.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/rounds/%d/top", r.ID), nil).JSON(t, &top)
	if top.Participants != 1 || len(top.Rows) != 1 {
		t.Fatalf("published top: %+v, want the one real participant", top)
	}
	var feed struct {
		Rounds []struct {
			RoundID int64 `json:"round_id"`
		} `json:"rounds"`
	}
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/feed/results.json", nil).JSON(t, &feed)
	for _, fr := range feed.Rounds {
		if fr.RoundID == info.RoundID {
			t.Fatal("the feed lists the practice round")
		}
	}
	expectPracticeNotRanked(t, anonymous.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/results", info.RoundID), nil), "practice results")
	expectPracticeNotRanked(t, anonymous.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/top", info.RoundID), nil), "practice top list")
	expectPracticeNotRanked(t, anonymous.Do("GET", "/api/v1/feed/results.json?campaign="+info.CampaignCode, nil), "practice feed")
	var ranked int
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM round_rankings WHERE round_id = $1`, info.RoundID).Scan(&ranked); err != nil {
		t.Fatal(err)
	}
	if ranked != 0 {
		t.Fatalf("%d practice attempts ranked", ranked)
	}
}
