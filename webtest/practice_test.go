//go:build integration

package webtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestPracticeAttemptOnAPhone: at 360 px a participant finds "Thi thử" on the landing page,
// sits a practice attempt (labelled as such, with the timer), submits and reads the score
// and the review in words at once, then starts another: practice is unlimited. /thi offers
// practice too; on another device the open practice attempt resumes.
func TestPracticeAttemptOnAPhone(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	b := newBrowser(t, s.URL, 360, 740)
	b.login(p)

	b.open("/")
	b.waitVisible("#cta-practice")
	if got := b.text("#cta-practice"); !strings.Contains(got, "THI THỬ") || !strings.Contains(got, "không tính điểm") {
		t.Fatalf("landing practice link reads %q", got)
	}
	b.click("#cta-practice")
	b.waitPath("/thi-thu")
	b.waitVisible("#practice-start-button")
	if got := b.text("#practice-notice"); !strings.Contains(got, "không xếp hạng") || !strings.Contains(got, "không tính vào số người tham gia") {
		t.Fatalf("practice notice reads %q", got)
	}
	if got := b.text("#practice-info"); !strings.Contains(got, "10 câu hỏi") || !strings.Contains(got, "20 câu hỏi thi thử") {
		t.Fatalf("practice start reads %q", got)
	}
	b.screenshot("practice-360-start")
	b.click("#practice-start-button")
	b.waitFor("practice questions", `!document.querySelector("#practice-quiz").hidden && document.querySelectorAll("#practice-questions fieldset.question").length === 10`, step)
	id := eval[int64](b, `JSON.parse(localStorage.getItem("contest.practice_attempt"))`)
	keys := s.CorrectKeys(t, id)
	for no := 1; no <= 10; no++ {
		key := keys[no]
		if no > 7 {
			key = wrongKey(key)
		}
		b.click(fmt.Sprintf(`label[for="p%d-%s"]`, no, key))
		b.waitFor(fmt.Sprintf("practice answer %d saved", no), fmt.Sprintf(`document.querySelector("#p%d-state").textContent === "Đã lưu"`, no), step)
	}
	if got := b.text("#practice-progress"); got != "Đã trả lời 10/10 câu" {
		t.Fatalf("progress reads %q", got)
	}
	b.screenshot("practice-360-quiz")
	b.click("#practice-submit")
	b.waitFor("practice review", `!document.querySelector("#practice-done").hidden && document.querySelectorAll("#practice-review li").length === 10`, step)
	if got := b.text("#practice-score"); got != "Bạn trả lời đúng 7/10 câu." {
		t.Fatalf("practice score reads %q", got)
	}
	if got := b.text("#practice-review-8"); !strings.Contains(got, "Sai") || !strings.Contains(got, "Đáp án đúng") || !strings.Contains(got, "Nguồn") {
		t.Fatalf("review of a wrong answer reads %q", got)
	}
	b.screenshot("practice-360-review")

	b.click("#practice-again")
	b.waitVisible("#practice-start-button")
	b.click("#practice-start-button")
	b.waitFor("a second practice attempt", `!document.querySelector("#practice-quiz").hidden && JSON.parse(localStorage.getItem("contest.practice_attempt")) !== `+fmt.Sprint(id), step)
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT count(*) FROM attempts a JOIN rounds r ON r.id = a.round_id JOIN campaigns c ON c.id = r.campaign_id
		WHERE c.practice_of IS NOT NULL AND a.participant_id = (SELECT participant_id FROM attempts WHERE id = $1)`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d practice attempts stored, want 2", n)
	}

	b.open("/thi")
	b.waitVisible("#practice-offer-link")
	b.assertNoProblems()

	// On a desktop browser that remembers nothing, the open practice attempt resumes.
	wide := newBrowser(t, s.URL, 1280, 800)
	wide.login(p)
	wide.open("/thi-thu")
	wide.waitFor("the practice attempt resumed", `!document.querySelector("#practice-quiz").hidden && JSON.parse(localStorage.getItem("contest.practice_attempt")) === null && document.querySelectorAll("#practice-questions fieldset.question").length === 10`, step)
	wide.screenshot("practice-1280-resumed")
	wide.assertNoProblems()
}
