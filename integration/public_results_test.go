//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

type publicTop struct {
	RoundID      int64 `json:"round_id"`
	RoundNumber  int   `json:"round_number"`
	Participants int   `json:"participants"`
	Rows         []struct {
		Rank         int    `json:"rank"`
		FullName     string `json:"full_name"`
		AgencyName   string `json:"agency_name"`
		CorrectCount int    `json:"correct_count"`
		TimeUsedMS   int64  `json:"time_used_ms"`
		Prize        string `json:"prize"`
	} `json:"rows"`
}

type standingAttempt struct {
	Standing *struct {
		RoundNumber  int    `json:"round_number"`
		Rank         int    `json:"rank"`
		Participants int    `json:"participants"`
		Prize        string `json:"prize"`
	} `json:"standing"`
}

// rankAndPublish ranks a round under the default rules, approves it and runs the
// publication task, as the round's workflow and the committee's approval would.
func rankAndPublish(t *testing.T, s *testenv.Stack, roundID int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	setRound(t, s, roundID, "state = 'approved'")
	if err := s.RunPublishTaskAgain(ctx, roundID); err != nil {
		t.Fatal(err)
	}
}

// TestPublicTopOfPublishedRoundOnly: the public top list of a week (name, agency, correct
// answers, time used) exists only once the week is published, is 50 long, cacheable
// (public max-age, an ETag, 304 on a match) and carries no phone; the participant's own
// attempt then says their place. A rehearsal week's list is never public.
func TestPublicTopOfPublishedRoundOnly(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	p := s.Participant(t)
	r, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	for no := 1; no <= 10; no++ {
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]})
	}
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	var agencyID int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM agencies ORDER BY id LIMIT 1`).Scan(&agencyID); err != nil {
		t.Fatal(err)
	}
	// 59 others, all below the participant (fewer correct answers).
	for i := range 59 {
		id := insertParticipant(t, s, agencyID, fmt.Sprintf("Người dự thi %02d", i))
		insertResult(t, s, r.ID, id, agencyID, i%10, time.Duration(60+i)*time.Second, time.Now())
	}

	anonymous := s.NewClient(t)
	topPath := fmt.Sprintf("/api/v1/rounds/%d/top", r.ID)
	notPublished := func(when string) {
		t.Helper()
		res := anonymous.Do("GET", topPath, nil)
		if res.Status != http.StatusNotFound || res.ErrorCode() != "results_not_published" || !strings.Contains(string(res.Body), "chưa được công bố") {
			t.Fatalf("top list %s: %d %s, want 404 results_not_published", when, res.Status, res.Body)
		}
	}
	notPublished("before the ranking")
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: r.ID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	setRound(t, s, r.ID, "state = 'ranked'")
	notPublished("when ranked, before the committee approved")
	var mine standingAttempt
	p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &mine)
	if mine.Standing != nil {
		t.Fatalf("standing shown before publication: %+v", mine.Standing)
	}
	anonymous.Expect(http.StatusNotFound, "GET", "/api/v1/rounds/999999999/top", nil)

	rankAndPublish(t, s, r.ID)
	res := anonymous.Expect(http.StatusOK, "GET", topPath, nil)
	var top publicTop
	res.JSON(t, &top)
	if top.RoundID != r.ID || top.Participants != 60 || len(top.Rows) != rules.DefaultPublicTopSize {
		t.Fatalf("top list: round %d, %d participants, %d rows: %s", top.RoundID, top.Participants, len(top.Rows), res.Body)
	}
	first := top.Rows[0]
	if first.Rank != 1 || first.CorrectCount != 10 || first.Prize != "first" || first.FullName == "" || first.AgencyName == "" || first.TimeUsedMS <= 0 {
		t.Fatalf("first place %+v", first)
	}
	for i, row := range top.Rows {
		if i > 0 && row.Rank < top.Rows[i-1].Rank {
			t.Fatalf("top list out of order at %d: %+v", i, top.Rows)
		}
	}
	var phone string
	if err := s.Store.Pool().QueryRow(ctx, `SELECT phone FROM users WHERE full_name = $1`, first.FullName).Scan(&phone); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Body), phone) || strings.Contains(string(res.Body), "phone") {
		t.Fatalf("public top list carries a phone number: %s", res.Body)
	}
	etag := res.Header.Get("ETag")
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") || etag == "" {
		t.Fatalf("top list not cacheable: Cache-Control %q, ETag %q", cc, etag)
	}
	req, _ := http.NewRequest("GET", s.URL+topPath, nil)
	req.Header.Set("If-None-Match", etag)
	cached, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	cached.Body.Close()
	if cached.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current ETag: %d, want 304", cached.StatusCode)
	}
	if r := anonymous.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/rounds/%d/results", r.ID), nil); r.Header.Get("ETag") == "" {
		t.Fatal("published results without an ETag")
	}

	// The participant's own attempt now says the place and the prize.
	p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil).JSON(t, &mine)
	if mine.Standing == nil || mine.Standing.Rank != 1 || mine.Standing.Prize != "first" || mine.Standing.Participants != 60 || mine.Standing.RoundNumber != r.Number {
		t.Fatalf("standing after publication: %+v", mine.Standing)
	}

	// A rehearsal week, even ranked and published, has no public top list.
	_, rehearsalRound := openRehearsal(t, s)
	insertResult(t, s, rehearsalRound, insertParticipant(t, s, agencyID, "Đỗ Thị Diễn Tập"), agencyID, 10, 40*time.Second, time.Now())
	rankAndPublish(t, s, rehearsalRound)
	expectRehearsalOnly(t, anonymous.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/top", rehearsalRound), nil), "a rehearsal week's top list")
}
