//go:build integration

package webtest

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hpcontest/contest/internal/testenv"
)

func wrongKey(right string) string {
	if right == "A" {
		return "B"
	}
	return "A"
}

// storedChoice is the key saved in the database for one question, "" when unanswered.
func storedChoice(t *testing.T, s *testenv.Stack, attemptID int64, no int) string {
	t.Helper()
	var choice *int
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT choice FROM attempt_questions WHERE attempt_id = $1 AND no = $2`, attemptID, no).Scan(&choice); err != nil {
		t.Fatal(err)
	}
	if choice == nil {
		return ""
	}
	return string(rune('A' + *choice))
}

func mmss(d time.Duration) string {
	s := int(d / time.Second)
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}

// A participant registers through the page (picking the agency with the search box), logs
// in, starts, answers; the network drops; an answer picked offline shows "chưa lưu được"
// and is saved when the network comes back; the time runs out and the page shows the
// automatic submission with the result the database holds.
func TestRegisterAnswerOfflineAndAutoSubmit(t *testing.T) {
	// Long enough for the steps below on a busy machine, short enough to stay under the
	// minute at which the page warns, so the warning shows the whole time.
	const limit = 50 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit, ScoreAtSubmit: true})
	b := newBrowser(t, s.URL, 360, 740)

	registerAndLogIn(t, s, b)

	// Start and answer three questions: 1 and 3 right, 2 wrong.
	b.waitVisible("#start-button")
	if got := b.text("#start-info"); !strings.Contains(got, "10 câu hỏi") || !strings.Contains(got, "50 giây") {
		t.Fatalf("start panel says %q", got)
	}
	if got := b.text("#start-attempts"); !strings.Contains(got, "chỉ được thi 1 lần trong mỗi tuần thi") {
		t.Fatalf("start panel says of the attempts %q", got)
	}
	b.click("#start-button")
	b.waitFor("questions", `document.querySelectorAll("#questions fieldset.question").length === 10`, step)
	attemptID := b.attemptID()
	// Record what the countdown tells screen readers, to check it speaks only at thresholds.
	eval[any](b, `(() => { window.__spoken = []; const live = document.querySelector("#timer-live");
		new MutationObserver(() => { if (live.textContent) window.__spoken.push(live.textContent); })
			.observe(live, {childList: true, characterData: true, subtree: true}); return true; })()`)

	keys := s.CorrectKeys(t, attemptID)
	for no, key := range map[int]string{1: keys[1], 2: wrongKey(keys[2]), 3: keys[3]} {
		b.answer(no, key)
		b.waitSaveState(no, "saved")
		if got := b.text(fmt.Sprintf("#q%d-state", no)); got != "Đã lưu" {
			t.Fatalf("question %d state %q, want Đã lưu", no, got)
		}
	}

	// The network drops: the answer to question 4 cannot be saved.
	b.setOffline(true)
	b.answer(4, keys[4])
	b.waitSaveState(4, "failed")
	if got := b.text("#q4-state"); !strings.Contains(got, "Chưa lưu được") {
		t.Fatalf("offline answer state %q, want Chưa lưu được", got)
	}
	b.waitVisible("#offline-banner")
	b.waitVisible("#timer-warning") // under a minute left the whole time
	b.screenshotViewport("quiz-warning-offline-360")
	if got := storedChoice(t, s, attemptID, 4); got != "" {
		t.Fatalf("question 4 stored as %q while offline", got)
	}

	// The network comes back: the queued answer is saved, and the database has it.
	b.setOffline(false)
	b.waitSaveState(4, "saved")
	if got := storedChoice(t, s, attemptID, 4); got != keys[4] {
		t.Fatalf("question 4 stored as %q, want %q", got, keys[4])
	}
	if got := b.text("#q4-state"); got != "Đã lưu" {
		t.Fatalf("question 4 state %q after reconnecting", got)
	}

	// The time runs out: the page says the attempt was submitted automatically and shows
	// the result, which matches the database.
	b.waitFor("automatic submission", `!document.querySelector("#done").hidden && !!document.querySelector("#done #result")`, limit+90*time.Second)
	if got := b.text("#done-message"); !strings.Contains(got, "nộp tự động") {
		t.Fatalf("done message %q", got)
	}
	b.screenshot("quiz-auto-submitted-360")
	var (
		correct, total int
		auto           bool
		usedMS         int64
	)
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT correct_count, question_count, auto_submitted, time_used_ms FROM results WHERE attempt_id = $1`, attemptID).
		Scan(&correct, &total, &auto, &usedMS); err != nil {
		t.Fatalf("result row: %v", err)
	}
	if correct != 3 || total != 10 || !auto {
		t.Fatalf("database result: %d/%d auto=%v, want 3/10 auto-submitted", correct, total, auto)
	}
	want := fmt.Sprintf("%d/%d câu đúng", correct, total)
	if got := b.text("#done .result-score dd"); got != want {
		t.Fatalf("page shows %q, database %q", got, want)
	}
	if got, want := b.text("#done .result-time dd"), mmss(time.Duration(usedMS)*time.Millisecond); got != want {
		t.Fatalf("page shows time used %q, database %q", got, want)
	}
	if got := b.text("#done .result-status dd"); got != "Tự động nộp khi hết giờ" {
		t.Fatalf("page shows status %q", got)
	}
	if spoken := eval[[]string](b, `window.__spoken`); len(spoken) != 3 || spoken[0] != "Còn 30 giây." || spoken[1] != "Còn 10 giây." || !strings.HasPrefix(spoken[2], "Hết giờ") {
		t.Fatalf("screen readers heard %q, want only the 30-second, 10-second and zero announcements", spoken)
	}

	// The results page shows the same result.
	b.open("/ket-qua")
	b.waitVisible("#my-result .result-score")
	if got := b.text("#my-result .result-score dd"); got != want {
		t.Fatalf("results page shows %q, want %q", got, want)
	}
	if got := b.text("#my-result .result-status dd"); got != "Tự động nộp khi hết giờ" {
		t.Fatalf("results page status %q", got)
	}
	if got := b.text("#weekly p"); !strings.Contains(got, "sau khi Ban Tổ chức phê duyệt") {
		t.Fatalf("weekly section says %q", got)
	}
	b.assertNoProblems()
}

// registerAndLogIn goes from the landing page through registration (the agency search,
// a wrong email refused at its field) to the quiz page, logged in with a cookie session,
// and checks what the database stored.
func registerAndLogIn(t *testing.T, s *testenv.Stack, b *browser) {
	// Landing → register.
	b.open("/")
	b.waitVisible("#round .round-name")
	if got := b.text("#round .badge"); got != "Đang mở" {
		t.Fatalf("current round status %q, want Đang mở", got)
	}
	if got := b.text("#rule-time"); !strings.Contains(got, "50 giây") {
		t.Fatalf("rules do not take the time limit from the API: %q", got)
	}
	b.click("#cta-register")
	b.waitPath("/dang-ky")
	b.waitVisible("#agency-list input[type=radio]")

	phone := testenv.UniquePhone()
	b.typeInto("#full_name", "Trần Thị Kiểm Thử")
	// Typed as digits, shown as dd/mm/yyyy (the API gets ISO).
	b.typeInto("#date_of_birth", "17051988")
	if got := eval[string](b, `document.querySelector("#date_of_birth").value`); got != "17/05/1988" {
		t.Fatalf("date of birth typed as %q", got)
	}
	b.typeInto("#phone", phone)
	b.typeInto("#position", "Chuyên viên")
	b.typeInto("#password", "mat-khau-thu-nghiem")

	// The search box ignores case and diacritics and keeps communes under their district.
	b.typeInto("#agency-search", "minh khai")
	b.waitFor("agency filtered", `[...document.querySelectorAll("#agency-list label")].filter(l => l.offsetParent !== null).length === 2`, step)
	visible := eval[[]string](b, `[...document.querySelectorAll("#agency-list label")].filter(l => l.offsetParent !== null).map(l => l.textContent)`)
	if len(visible) != 2 || visible[0] != "UBND quận Hồng Bàng" || visible[1] != "UBND quận Hồng Bàng › UBND phường Minh Khai" {
		t.Fatalf("search for 'minh khai' shows %q, want the ward under its district, with its path", visible)
	}
	agencyID := eval[string](b, `[...document.querySelectorAll("#agency-list label")].find(l => l.textContent.endsWith("UBND phường Minh Khai")).htmlFor`)
	b.click(`label[for="` + agencyID + `"]`)
	if got := b.text("#agency-selected"); !strings.Contains(got, "UBND phường Minh Khai") {
		t.Fatalf("selected agency shows %q", got)
	}

	// A wrong email is shown in Vietnamese at its field; then it succeeds.
	b.typeInto("#email", "khong-phai-email")
	b.click("#register-submit")
	b.waitVisible("#email-error")
	if got := b.text("#email-error"); !strings.Contains(got, "Email không hợp lệ") {
		t.Fatalf("email error shown as %q", got)
	}
	b.clearField("#email")
	b.click("#register-submit")

	b.waitPath("/dang-nhap")
	b.waitVisible("#login-notice")
	if got := eval[string](b, `document.querySelector("#login-phone").value`); got != phone {
		t.Fatalf("login phone prefilled with %q, want %q", got, phone)
	}
	var agencyName string
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT a.name FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.phone = $1`, phone).Scan(&agencyName); err != nil {
		t.Fatalf("registered user: %v", err)
	}
	if agencyName != "UBND phường Minh Khai" {
		t.Fatalf("registered with agency %q", agencyName)
	}
	var dob string
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT date_of_birth::text FROM users WHERE phone = $1`, phone).Scan(&dob); err != nil || dob != "1988-05-17" {
		t.Fatalf("date of birth stored as %q (%v), want 1988-05-17", dob, err)
	}
	b.typeInto("#login-password", "mat-khau-thu-nghiem")
	b.click("#login-submit")
	b.waitPath("/thi")
	b.assertCookieSession(time.Hour) // testenv's session lifetime
}

// parseClock reads the countdown (mm:ss) in seconds.
func parseClock(t *testing.T, s string) float64 {
	t.Helper()
	m, sec, ok := strings.Cut(s, ":")
	mi, err1 := strconv.Atoi(m)
	si, err2 := strconv.Atoi(sec)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("countdown %q is not mm:ss", s)
	}
	return float64(mi*60 + si)
}

// A reload in the middle of the quiz resumes with the saved answers, and the countdown
// follows the server's clock, even on a device whose clock is 7 minutes slow.
func TestReloadResumesWithServerTime(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	b := newBrowser(t, s.URL, 360, 740)
	b.do(skewDeviceClock(-7 * time.Minute))
	b.login(p)
	attemptID := b.startQuiz()
	keys := s.CorrectKeys(t, attemptID)
	if skew := eval[float64](b, `Date.now() - new Date().getTime()`); math.Abs(skew+7*60*1000) > 5000 {
		t.Fatalf("device clock skewed by %.0f ms, want -7 min", skew)
	}

	b.answer(2, keys[2])
	b.waitSaveState(2, "saved")
	b.answer(5, wrongKey(keys[5]))
	b.waitSaveState(5, "saved")
	b.answer(5, keys[5]) // changing an answer saves the new choice
	b.waitFor("question 5 saved again", `document.querySelector("#q5-state").dataset.state === "saved" && document.querySelector("#q5-`+keys[5]+`").checked`, step)
	b.typeInto("#prediction", "42")
	b.key(kb.Tab) // the prediction is saved when the field is left
	b.waitFor("prediction saved", `document.querySelector("#prediction-state").dataset.state === "saved"`, step)

	b.do(chromedp.Reload())
	b.waitFor("quiz resumed", `document.querySelectorAll("#questions fieldset.question").length === 10 && !document.querySelector("#quiz").hidden`, step)
	checked := eval[[]string](b, `[...document.querySelectorAll("#questions input:checked")].map(i => i.id)`)
	if want := []string{"q2-" + keys[2], "q5-" + keys[5]}; strings.Join(checked, ",") != strings.Join(want, ",") {
		t.Fatalf("after reload checked %v, want %v", checked, want)
	}
	if got := eval[string](b, `document.querySelector("#prediction").value`); got != "42" {
		t.Fatalf("prediction after reload %q", got)
	}
	if got := b.text("#q2-state"); got != "Đã lưu" {
		t.Fatalf("question 2 state after reload %q", got)
	}
	if got := b.text("#progress"); got != "Đã trả lời 2/10 câu" {
		t.Fatalf("progress after reload %q", got)
	}

	shown := parseClock(t, b.text("#timer"))
	var remaining float64
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT extract(epoch FROM deadline - now()) FROM attempts WHERE id = $1`, attemptID).Scan(&remaining); err != nil {
		t.Fatal(err)
	}
	if math.Abs(shown-remaining) > 2 {
		t.Fatalf("countdown shows %.0f s, the server has %.1f s left", shown, remaining)
	}
	if shown > 630 || shown < 560 {
		t.Fatalf("countdown %v s is not what a fresh 10 min 30 s attempt has", shown)
	}
	b.assertNoProblems()
}
