//go:build integration

package webtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// publishedWeek has a participant sit the current week through the API (8 right,
// question 2 wrong, question 3 unanswered), 59 others sit it with fewer right answers, and the week is
// ranked, approved and published as the workflow and the committee would. It returns the
// participant, the attempt and the correct keys.
func publishedWeek(t *testing.T, s *testenv.Stack) (*testenv.Client, int64, map[int]string) {
	t.Helper()
	ctx := context.Background()
	// The review opens with the ranking here, so the result page shows it at once.
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE campaigns SET settings = settings || '{"review_release":"after_ranking"}'::jsonb WHERE code = $1`,
		s.Campaign.Code); err != nil {
		t.Fatal(err)
	}
	p := s.Participant(t)
	roundID := s.CurrentRoundID(t)
	var started struct {
		AttemptID int64 `json:"attempt_id"`
	}
	p.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID), nil).JSON(t, &started)
	keys := s.CorrectKeys(t, started.AttemptID)
	wrong := "A"
	if keys[2] == "A" {
		wrong = "B"
	}
	for no := 1; no <= 10; no++ {
		choice := keys[no]
		switch no {
		case 2:
			choice = wrong
		case 3:
			continue // left unanswered
		}
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", started.AttemptID, no), map[string]string{"choice": choice})
	}
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", started.AttemptID), nil)
	// The others answered none right but one in five; each took a little longer than the last.
	if _, err := s.Store.Pool().Exec(ctx, `
		WITH u AS (
			INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			SELECT 'Người dự thi số ' || g, '07' || lpad(g::text, 8, '0'), (SELECT id FROM agencies ORDER BY id LIMIT 1), 'not-a-hash', 'participant'
			FROM generate_series(1, 59) g RETURNING id, agency_id),
		a AS (
			INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
			SELECT $1, id, 1, 'submitted', now() - interval '10 minutes', now() + interval '1 hour', now(), 1 FROM u
			RETURNING id, participant_id, finished_at)
		INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count,
		                     prediction, time_used_ms, finished_at, auto_submitted)
		SELECT a.id, $1, a.participant_id, u.agency_id, CASE WHEN a.participant_id % 5 = 0 THEN 1 ELSE 0 END, 10, 1,
		       200000 + a.participant_id * 100, a.finished_at, false
		FROM a JOIN u ON u.id = a.participant_id`, roundID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE rounds SET state = 'approved' WHERE id = $1`, roundID); err != nil {
		t.Fatal(err)
	}
	if err := s.RunPublishTaskAgain(ctx, roundID); err != nil {
		t.Fatal(err)
	}
	return p, started.AttemptID, keys
}

// TestWeeklyResultsPage: once a week is published, /ket-qua-tuan lists its prize winners
// and its top 50 at a phone's width and a desktop's, without scrolling sideways; the
// landing page links to it; the participant's own result page says their place and prize
// and links the week, and its review shows the texts of the chosen and correct options
// and the question's source, not bare keys.
func TestWeeklyResultsPage(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p, attemptID, keys := publishedWeek(t, s)
	var me struct {
		ID       int64  `json:"id"`
		FullName string `json:"full_name"`
	}
	p.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)

	b := newBrowser(t, s.URL, 360, 740)
	for _, w := range []int64{360, 1280} {
		b.do(chromedp.EmulateViewport(w, 900))
		b.open("/")
		b.waitVisible("#cta-weekly")
		if href := eval[string](b, `document.querySelector("#cta-weekly").getAttribute("href")`); href != "/ket-qua-tuan" {
			t.Fatalf("landing links the weekly results as %q", href)
		}
		b.click("#cta-weekly")
		b.waitPath("/ket-qua-tuan")
		b.waitFor("the top 50", `document.querySelectorAll("#top tbody tr").length === 50`, step)
		b.waitFor("the prize list", `document.querySelectorAll("#prizes tbody tr").length === 6`, step)
		first := b.text("#prizes tbody tr:first-child")
		if !strings.Contains(first, "Giải Nhất") || !strings.Contains(first, me.FullName) {
			t.Fatalf("first prize row at %d px: %q, want Giải Nhất to %s", w, first, me.FullName)
		}
		if got := b.text("#top tbody tr:first-child"); !strings.Contains(got, me.FullName) || !strings.Contains(got, "1") {
			t.Fatalf("first place at %d px: %q", w, got)
		}
		if got := b.text("#week-list a[aria-current=page]"); got != "Tuần thi số 1" {
			t.Fatalf("chosen week %q", got)
		}
		if strings.Contains(b.bodyText(), phoneOf(t, s, me.ID)) {
			t.Fatalf("the public page shows a phone number")
		}
		if over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
			t.Errorf("weekly results at %d px are %v px wider than the screen", w, over)
		}
		b.assertAccessible(fmt.Sprintf("/ket-qua-tuan at %d px", w))
		b.screenshot(fmt.Sprintf("weekly-results-%d", w))
		b.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
		b.screenshotViewport(fmt.Sprintf("weekly-results-%d-top", w)) // the full page is 50 rows long
		b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#top-section").scrollIntoView()`))
		b.screenshotViewport(fmt.Sprintf("weekly-results-%d-ranking", w))
	}
	b.open("/ket-qua-tuan?tuan=3")
	b.waitFor("unpublished week", `document.querySelector("#week-status").textContent.includes("chưa được công bố")`, step)
	b.assertAccessible("/ket-qua-tuan")

	// The participant's own result page, after publication, on a browser that never saw
	// the quiz: the page finds the attempt through the account.
	b.login(p)
	if eval[bool](b, `localStorage.getItem("contest.attempt") !== null`) {
		t.Fatal("the browser remembers an attempt: the test would not show the page finds it")
	}
	var att struct {
		Questions []struct {
			No      int    `json:"no"`
			Text    string `json:"text"`
			Options []struct{ Key, Text string }
		} `json:"questions"`
	}
	p.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", attemptID), nil).JSON(t, &att)
	optionText := func(no int, key string) string {
		for _, o := range att.Questions[no-1].Options {
			if o.Key == key {
				return o.Text
			}
		}
		t.Fatalf("question %d has no option %s", no, key)
		return ""
	}
	for _, w := range []int64{360, 1280} {
		b.do(chromedp.EmulateViewport(w, 900))
		b.open("/ket-qua")
		b.waitVisible("#weekly .standing")
		if got := b.text("#weekly .standing"); !strings.HasPrefix(got, "Bạn xếp hạng 1/60 trong tuần thi số 1") {
			t.Fatalf("standing %q", got)
		}
		if got := b.text("#weekly .standing-prize"); !strings.Contains(got, "Giải Nhất") {
			t.Fatalf("prize line %q", got)
		}
		if strings.Contains(b.text("#weekly"), "sẽ hiện ở đây") {
			t.Fatal("the published week still says its results are to come")
		}
		if href := eval[string](b, `document.querySelector("#weekly-link").getAttribute("href")`); href != "/ket-qua-tuan?tuan=1" {
			t.Fatalf("result page links the week as %q", href)
		}
		b.waitVisible("#review-2")
		q2 := b.text("#review-2")
		if !strings.Contains(q2, att.Questions[1].Text) || !strings.Contains(q2, "Đáp án đúng: "+keys[2]+". "+optionText(2, keys[2])) ||
			!strings.Contains(q2, "Nguồn: ") || !strings.Contains(q2, "Bạn chọn: ") || strings.Contains(q2, "Bạn chọn "+keys[2]+".") {
			t.Fatalf("review of question 2: %q", q2)
		}
		if q3 := b.text("#review-3"); !strings.Contains(q3, "Bạn chưa trả lời câu này.") {
			t.Fatalf("review of unanswered question 3: %q", q3)
		}
		if over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
			t.Errorf("result page at %d px is %v px wider than the screen", w, over)
		}
		b.screenshot(fmt.Sprintf("result-published-%d", w))
	}
	b.assertAccessible("/ket-qua (published)")
	b.assertNoProblems()
}

func phoneOf(t *testing.T, s *testenv.Stack, userID int64) string {
	t.Helper()
	var phone string
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT phone FROM users WHERE id = $1`, userID).Scan(&phone); err != nil {
		t.Fatal(err)
	}
	return phone
}
