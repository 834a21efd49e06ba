//go:build integration

package webtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestQuizPageFollowsExtraTimeGrantedDuringTheExam: while a participant sits the quiz,
// the committee grants a minute. When the page's countdown reaches the old deadline it
// asks the server, finds the new deadline, says so and keeps counting down; an answer
// picked after the old deadline is saved. At 360 and 1280 px.
func TestQuizPageFollowsExtraTimeGrantedDuringTheExam(t *testing.T) {
	// Long enough for the page to start and the grant to land before the old deadline.
	const limit = 12 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit})
	committee := s.Staff(t, "committee")
	roundID := s.CurrentRoundID(t)
	for _, size := range []struct{ w, h int64 }{{360, 740}, {1280, 900}} {
		t.Run(fmt.Sprint(size.w), func(t *testing.T) {
			p := s.Participant(t)
			var me struct{ ID int64 }
			p.Expect(200, "GET", "/api/v1/me", nil).JSON(t, &me)
			var phone string
			if err := s.Store.Pool().QueryRow(context.Background(), `SELECT phone FROM users WHERE id = $1`, me.ID).Scan(&phone); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, s.URL, size.w, size.h)
			b.login(p)
			attemptID := b.startQuiz()
			var oldDeadline time.Time
			if err := s.Store.Pool().QueryRow(context.Background(), `SELECT deadline FROM attempts WHERE id = $1`, attemptID).Scan(&oldDeadline); err != nil {
				t.Fatal(err)
			}
			committee.Expect(201, "POST", fmt.Sprintf("/api/v1/rounds/%d/accommodations", roundID), map[string]any{
				"phone": phone, "extra_minutes": 1, "reason": "Mất điện tại điểm thi trong lúc làm bài.",
			})

			// The page learns of the minute at its old deadline at the latest.
			b.waitFor("the extra time shown", `!document.querySelector("#timer-extended").hidden`, limit+step)
			if got := b.text("#timer-extended"); !strings.Contains(got, "cộng thêm thời gian") {
				t.Fatalf("notice %q", got)
			}
			if time.Now().Before(oldDeadline) {
				// Shown early by a re-read: wait past the old deadline for the rest.
				time.Sleep(time.Until(oldDeadline.Add(time.Second)))
			}
			if left := parseClock(t, b.text("#timer")); left < 30 || left > 60 {
				t.Fatalf("countdown shows %s after the old deadline, want the extra minute", b.text("#timer"))
			}
			if !eval[bool](b, `document.querySelector("#done").hidden && !document.querySelector("#quiz").hidden`) {
				t.Fatal("the quiz ended at the old deadline")
			}
			keys := s.CorrectKeys(t, attemptID)
			b.answer(1, keys[1])
			b.waitSaveState(1, "saved")
			if got := storedChoice(t, s, attemptID, 1); got != keys[1] {
				t.Fatalf("answer after the old deadline stored as %q, want %q", got, keys[1])
			}
			b.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
			b.screenshotViewport(fmt.Sprintf("quiz-%d-extra-time-during-exam", size.w))
			b.assertNoProblems()
		})
	}
}
