//go:build integration

package webtest

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// demoStaff is the seeded demo account with the given role.
func demoStaff(t *testing.T, role string) (name, phone, password string) {
	t.Helper()
	for _, s := range seed.DemoStaff {
		if s.Role == role {
			return s.Name, s.Phone, s.Password
		}
	}
	t.Fatalf("no demo staff account with role %s", role)
	return "", "", ""
}

// loginThroughPage logs in on /dang-nhap as a person would (next: the page that asked).
func (b *browser) loginThroughPage(next, phone, password string) {
	b.t.Helper()
	p := "/dang-nhap"
	if next != "" {
		p += "?next=" + url.QueryEscape(next)
	}
	b.open(p)
	b.waitVisible("#login-form")
	b.typeInto("#login-phone", phone)
	b.typeInto("#login-password", password)
	b.click("#login-submit")
}

type campaignView struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Stage      string `json:"stage"`
	StageLabel string `json:"stage_label"`
	Decisions  []struct {
		Kind        string `json:"kind"`
		RoundNumber *int   `json:"round_number"`
		Outcome     string `json:"outcome"`
		DecidedBy   string `json:"decided_by"`
		Comment     string `json:"comment"`
	} `json:"decisions"`
	Rounds []struct {
		ID                int64  `json:"id"`
		Number            int    `json:"number"`
		State             string `json:"state"`
		QuestionSetStatus string `json:"question_set_status"`
		QuestionSetSize   int    `json:"question_set_size"`
	} `json:"rounds"`
}

func getCampaign(t *testing.T, c *testenv.Client, code string) campaignView {
	t.Helper()
	var v campaignView
	c.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
	return v
}

// terminateCampaign stops a campaign's workflow (and its rounds') when the test ends.
func terminateCampaign(t *testing.T, s *testenv.Stack, id int64) {
	t.Cleanup(func() {
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, id), "", "test over")
	})
}

// rehearsal copies the seeded campaign with a week of a day and round 1 an hour away, so
// that nothing moves on its own during a test, and waits for its question bank stage.
func rehearsal(t *testing.T, s *testenv.Stack, committee *testenv.Client) campaignView {
	t.Helper()
	code, err := s.Campaigns.Rehearse(context.Background(), seed.DefaultCampaignCode, campaigns.RehearsalOptions{
		Week: 24 * time.Hour, Lead: time.Hour, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	v := getCampaign(t, committee, code)
	terminateCampaign(t, s, v.ID)
	deadline := time.Now().Add(15 * time.Second)
	for v.Stage != workflows.StageQuestionBank {
		if time.Now().After(deadline) {
			t.Fatalf("rehearsal %s stays in stage %q", code, v.Stage)
		}
		time.Sleep(200 * time.Millisecond)
		v = getCampaign(t, committee, code)
	}
	return v
}

func decide(c *testenv.Client, code, kind string, round int, outcome, comment string) testenv.Response {
	return c.Do("POST", "/api/v1/campaigns/"+code+"/decisions",
		map[string]any{"kind": kind, "round": round, "outcome": outcome, "comment": comment})
}

// waitStage waits until the committee page shows the given stage.
func (b *browser) waitStage(stage string) {
	b.t.Helper()
	b.waitFor("stage "+stage, `(() => { const e = document.querySelector("#stage-label"); return !!e && e.dataset.stage === `+js(stage)+`; })()`, 20*time.Second)
}

// The committee logs in through /dang-nhap and lands on its page; opens a rehearsal;
// approves the question sets by clicking (one approved meanwhile elsewhere shows the API's
// stage_conflict message), sends one back with a comment, which the secretariat resubmits
// on its page; approves it and going live; the page follows the stages, and the API has
// every decision with who took it.
func TestCommitteeStepsARehearsalThroughThePage(t *testing.T) {
	started := time.Now()
	s := testenv.New(t, testenv.Options{})
	committee := s.Staff(t, "committee")
	camp := rehearsal(t, s, committee)
	code := camp.Code
	committeeName, committeePhone, committeePassword := demoStaff(t, "committee")
	secretariatName, secretariatPhone, secretariatPassword := demoStaff(t, "secretariat")
	b := newBrowser(t, s.URL, 360, 740)

	// Login sends the committee to its page, for the default campaign; the header shows it.
	b.loginThroughPage("", committeePhone, committeePassword)
	b.waitPath("/ban-to-chuc")
	b.waitVisible("#campaign-summary .campaign-name")
	if got := b.text("#nav-hello"); !strings.Contains(got, committeeName) || !strings.Contains(got, "Ban Tổ chức") {
		t.Fatalf("header says %q", got)
	}
	if got := b.text("#campaign-summary .code"); got != seed.DefaultCampaignCode {
		t.Fatalf("default campaign shown: %q", got)
	}

	// Open the rehearsal with the campaign switcher.
	b.click("#campaign-switch summary")
	b.clearField("#campaign-code")
	b.typeInto("#campaign-code", code)
	b.key(kb.Enter)
	b.waitFor("rehearsal opened", `location.search === `+js("?campaign="+code), step)
	b.waitStage(workflows.StageQuestionBank)
	if got := b.text("#stage-label"); got != "Xây dựng và phê duyệt bộ câu hỏi" {
		t.Fatalf("stage shown as %q", got)
	}
	if got := b.text("#waiting-label"); !strings.Contains(got, "phê duyệt bộ câu hỏi") {
		t.Fatalf("waiting for %q", got)
	}
	b.waitVisible(`#set-1 button[data-outcome="approved"]`)
	b.assertAccessible("/ban-to-chuc (question bank)")

	// Someone else approves week 1 meanwhile: the click gets the API's 409, naming the stage.
	if r := decide(committee, code, "question_set", 1, "approved", ""); r.Status != http.StatusOK {
		t.Fatalf("approve set 1 through the API: %d %s", r.Status, r.Body)
	}
	b.click(`#set-1 button[data-outcome="approved"]`)
	b.waitVisible("#decision-error")
	if got := b.text("#decision-error"); !strings.Contains(got, "không được phép ở giai đoạn hiện tại (Xây dựng và phê duyệt bộ câu hỏi)") {
		t.Fatalf("conflict shown as %q", got)
	}
	b.waitFor("set 1 shown approved", `!document.querySelector("#set-1 button") && document.querySelector("#set-1").textContent.includes("Đã phê duyệt")`, step)

	// A send-back needs a reason; with one it is recorded.
	b.click(`#set-2 button[data-outcome="sent_back"]`)
	b.waitFor("reason asked", `document.querySelector("#decision-error").textContent.includes("lý do") && document.activeElement.id === "decision-comment"`, step)
	b.typeInto("#decision-comment", "Câu 3 có hai phương án đúng.")
	b.click(`#set-2 button[data-outcome="sent_back"]`)
	b.waitVisible("#decision-result")
	if got := b.text("#decision-result"); !strings.Contains(got, "Bộ câu hỏi tuần 2 – Trả lại") || !strings.Contains(got, committeeName) {
		t.Fatalf("send-back confirmed as %q", got)
	}
	b.waitFor("set 2 sent back", `!document.querySelector("#set-2 button") && document.querySelector("#set-2").textContent.includes("Đã trả lại")`, step)

	// Week 3 with the keyboard: the comment box, then Tab to the first button, Enter.
	b.do(chromedp.Focus(chromedp.CSS("#decision-comment")))
	b.do(chromedp.KeyEvent("Đạt yêu cầu."))
	b.key(kb.Tab)
	if got := eval[string](b, `document.activeElement.textContent`); got != "Phê duyệt bộ câu hỏi tuần 3" {
		t.Fatalf("Tab from the comment went to %q", got)
	}
	b.assertFocusVisible("document.activeElement")
	b.key(kb.Enter)
	b.waitFor("set 3 approved", `document.querySelector("#decision-result").textContent.includes("Bộ câu hỏi tuần 3 – Phê duyệt") &&
		!document.querySelector("#set-3 button") && document.querySelector("#decision-comment").value === ""`, step)
	b.screenshot("committee-question-bank-360")

	// The secretariat logs out the committee's session, logs in, sees the reason and resubmits.
	b.click("#nav-logout")
	b.waitPath("/")
	b.loginThroughPage("/thu-ky?campaign="+code, secretariatPhone, secretariatPassword)
	b.waitPath("/thu-ky")
	b.waitVisible("#resubmit-2")
	if got := b.text("#set-2 .send-back-note"); !strings.Contains(got, "Câu 3 có hai phương án đúng.") || !strings.Contains(got, committeeName) {
		t.Fatalf("send-back note %q", got)
	}
	b.assertAccessible("/thu-ky (sent back)")
	b.typeInto("#resubmit-comment-2", "Đã sửa câu 3.")
	b.click("#resubmit-2")
	b.waitVisible("#set-result")
	b.waitFor("set 2 resubmitted", `!document.querySelector("#resubmit-2") && document.querySelector("#set-2").textContent.includes("Tổ Thư ký đã gửi lại")`, step)
	b.screenshot("secretariat-resubmitted-360")

	// Back to the committee: approve weeks 2 and 4, then going live.
	b.loginThroughPage("/ban-to-chuc?campaign="+code, committeePhone, committeePassword)
	b.waitPath("/ban-to-chuc")
	b.waitStage(workflows.StageQuestionBank)
	for _, n := range []string{"2", "4"} {
		b.waitVisible(`#set-` + n + ` button[data-outcome="approved"]`)
		b.click(`#set-` + n + ` button[data-outcome="approved"]`)
		b.waitFor("set "+n+" approved", `!document.querySelector("#set-`+n+` button")`, step)
	}
	b.waitStage(workflows.StageTrialRun)
	if got := b.text("#stage-label"); got != "Vận hành thử phần mềm" {
		t.Fatalf("stage after the sets %q", got)
	}
	b.waitVisible(`#actions button[data-kind="go_live"][data-outcome="approved"]`)
	b.screenshot("committee-trial-run-360")
	b.click(`#actions button[data-kind="go_live"][data-outcome="approved"]`)
	b.waitStage(workflows.StageRounds)
	if got := b.text("#stage-label"); got != "Thi trắc nghiệm hằng tuần" {
		t.Fatalf("stage after going live %q", got)
	}
	b.waitFor("no week waiting", `document.querySelector("#actions-note") && document.querySelector("#actions-note").textContent.includes("không có tuần thi nào chờ")`, step)
	if got := b.text("#decisions-table tbody tr:first-child"); !strings.Contains(got, "Đưa phần mềm vào vận hành chính thức") || !strings.Contains(got, committeeName) {
		t.Fatalf("latest decision row %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll("#history li").length`); n != 3 {
		t.Fatalf("stage history has %d entries, want 3", n)
	}
	b.assertAccessible("/ban-to-chuc (rounds)")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.screenshot("committee-rounds-stage-1280")

	checkRecordedDecisions(t, s, committee, code, committeeName, secretariatName)
	b.assertNoProblems()
	t.Logf("committee flow took %v", time.Since(started).Round(time.Millisecond))
}

// checkRecordedDecisions checks that the API has each decision with who took it and the
// comments typed on the pages, and that the database records them by account.
func checkRecordedDecisions(t *testing.T, s *testenv.Stack, committee *testenv.Client, code, committeeName, secretariatName string) {
	v := getCampaign(t, committee, code)
	if v.Stage != workflows.StageRounds {
		t.Fatalf("stage %s", v.Stage)
	}
	type rec struct{ kind, outcome, by, comment string }
	var got []rec
	for _, d := range v.Decisions {
		got = append(got, rec{d.Kind, d.Outcome, d.DecidedBy, d.Comment})
	}
	want := []rec{
		{"question_set", "approved", committeeName, ""},
		{"question_set", "sent_back", committeeName, "Câu 3 có hai phương án đúng."},
		{"question_set", "approved", committeeName, "Đạt yêu cầu."},
		{"question_set_ready", "done", secretariatName, "Đã sửa câu 3."},
		{"question_set", "approved", committeeName, ""},
		{"question_set", "approved", committeeName, ""},
		{"go_live", "approved", committeeName, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("decisions %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("decision %d is %+v, want %+v (all: %+v)", i, got[i], want[i], got)
		}
	}
	// And the database says who, by account.
	var byCommittee int
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT count(*) FROM decisions d JOIN users u ON u.id = d.decided_by
		WHERE d.campaign_id = $1 AND u.role = 'committee' AND u.full_name = $2`, v.ID, committeeName).Scan(&byCommittee); err != nil {
		t.Fatal(err)
	}
	if byCommittee != 6 {
		t.Fatalf("%d decisions recorded for the committee's account, want 6", byCommittee)
	}
}

// Staff pages refuse accounts of other roles and ask anonymous visitors to log in; the
// API refuses them too.
func TestStaffPagesRefuseOtherRoles(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	b := newBrowser(t, s.URL, 360, 740)

	b.open("/giam-khao")
	b.waitVisible("#gate-message")
	if got := b.text("#gate-message"); !strings.Contains(got, "cần đăng nhập") {
		t.Fatalf("anonymous visitor told %q", got)
	}
	if href := eval[string](b, `document.querySelector("#gate-link").getAttribute("href")`); href != "/dang-nhap?next=%2Fgiam-khao" {
		t.Fatalf("login link %q", href)
	}

	b.login(p)
	for _, page := range []string{"/ban-to-chuc", "/thu-ky", "/giam-khao", "/don-vi"} {
		b.open(page)
		b.waitVisible("#gate-message")
		if got := b.text("#gate-message"); !strings.Contains(got, "không có quyền xem trang này") {
			t.Fatalf("%s tells a participant %q", page, got)
		}
		if !eval[bool](b, `document.querySelector("#staff-content").hidden`) {
			t.Fatalf("%s shows its content to a participant", page)
		}
		if href := eval[string](b, `document.querySelector("#gate-link").getAttribute("href")`); href != "/thi" {
			t.Fatalf("%s sends the participant to %q", page, href)
		}
	}
	b.open("/ban-to-chuc")
	b.waitVisible("#gate-message")
	b.assertAccessible("/ban-to-chuc (forbidden)")
	b.screenshot("committee-forbidden-360")
	if r := p.Do("GET", "/api/v1/campaigns/"+seed.DefaultCampaignCode, nil); r.Status != http.StatusForbidden {
		t.Fatalf("participant reading the campaign: %d %s", r.Status, r.Body)
	}

	// The jury may not open the committee's page either.
	_, phone, password := demoStaff(t, "jury")
	b.loginThroughPage("/ban-to-chuc", phone, password)
	b.waitPath("/ban-to-chuc")
	b.waitVisible("#gate-message")
	if got := b.text("#gate-message"); !strings.Contains(got, "dành cho Ban Tổ chức") {
		t.Fatalf("jury told %q", got)
	}
	if href := eval[string](b, `document.querySelector("#gate-link").getAttribute("href")`); href != "/giam-khao" {
		t.Fatalf("jury sent to %q", href)
	}
	b.assertNoProblems()
}

// Against the real video endpoints: the secretariat records a clip through its page (one
// over the length limit is refused with the API's message), the jury scores it through
// theirs, the score is stored with its weighted total, and the form stays read-only.
func TestSecretariatRecordsAndJuryScoresAClip(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	b := newBrowser(t, s.URL, 360, 740)
	_, secPhone, secPassword := demoStaff(t, "secretariat")
	b.loginThroughPage("", secPhone, secPassword)
	b.waitPath("/thu-ky")
	b.waitVisible("#video-agency-list input[type=radio]")
	b.waitFor("video list settled", `document.querySelector("#videos").getAttribute("aria-busy") !== "true"`, step)

	b.typeInto("#video-agency-search", "tu phap")
	b.waitFor("agency filtered", `[...document.querySelectorAll("#video-agency-list label")].filter(l => l.offsetParent !== null).length === 1`, step)
	b.click(`label[for="` + eval[string](b, `[...document.querySelectorAll("#video-agency-list label")].find(l => l.offsetParent !== null).htmlFor`) + `"]`)
	b.typeInto("#video-title-input", "Chứng thực điện tử một ngày")
	b.choose("#video-format", "report")
	b.typeInto("#video-duration", "7:30")
	now := time.Now().In(time.FixedZone("ICT", 7*3600))
	b.typeDate("#video-received", now.Year(), int(now.Month()), now.Day())
	b.click("#video-submit")
	b.waitVisible("#video-error")
	if got := b.text("#video-error"); !strings.Contains(got, "dài quá") {
		t.Fatalf("a 7:30 clip: %q", got)
	}
	b.clearField("#video-duration")
	b.typeInto("#video-duration", "6:45")
	b.click("#video-submit")
	b.waitVisible("#video-result")
	b.waitFor("entry listed", `!!document.querySelector("#videos-table") && document.querySelector("#videos-table").textContent.includes("Chứng thực điện tử một ngày")`, step)
	if got := b.text("#videos-table tbody tr:last-child"); !strings.Contains(got, "Sở Tư pháp") || !strings.Contains(got, "Phóng sự") || !strings.Contains(got, "6:45") {
		t.Fatalf("recorded entry %q", got)
	}
	var entryID int64
	var seconds int
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT id, duration_seconds FROM video_entries WHERE title = 'Chứng thực điện tử một ngày'`).Scan(&entryID, &seconds); err != nil {
		t.Fatalf("video entry row: %v", err)
	}
	if seconds != 405 {
		t.Fatalf("duration stored as %d s, want 405", seconds)
	}

	// The jury scores it; the total shown is the weighted sum of the campaign's criteria.
	b.click("#nav-logout")
	b.waitPath("/")
	_, juryPhone, juryPassword := demoStaff(t, "jury")
	b.loginThroughPage("", juryPhone, juryPassword)
	b.waitPath("/giam-khao")
	form := fmt.Sprintf("#clip-%d form", entryID)
	b.waitVisible(form)
	codes := eval[[]string](b, `[...document.querySelectorAll(`+js(form+" input[data-code]")+`)].map(i => i.dataset.code)`)
	if len(codes) == 0 {
		t.Fatal("no criteria on the score form")
	}
	want := 0.0
	for i, c := range codes {
		max := eval[float64](b, `Number(document.querySelector(`+js(fmt.Sprintf("#score-%d-%s", entryID, c))+`).max)`)
		weight := eval[float64](b, `(() => { const h = document.querySelector(`+js(fmt.Sprintf("#score-%d-%s-hint", entryID, c))+`).textContent; return Number(h.split("hệ số ")[1].replace(",", ".")); })()`)
		v := max - float64(i+1)
		b.typeInto(fmt.Sprintf("#score-%d-%s", entryID, c), fmt.Sprint(v))
		want += v * weight
	}
	b.assertAccessible("/giam-khao (a clip to score)")
	b.click(fmt.Sprintf("#score-submit-%d", entryID))
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", entryID))
	var total float64
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT total::float8 FROM jury_scores WHERE entry_id = $1`, entryID).Scan(&total); err != nil {
		t.Fatalf("score row: %v", err)
	}
	if math.Abs(total-want) > 1e-6 {
		t.Fatalf("stored total %v, want %v", total, want)
	}
	if !eval[bool](b, `[...document.querySelectorAll(`+js(form+" input")+`)].every(i => i.disabled)`) {
		t.Fatal("the sent score sheet is still editable")
	}
	// A second sheet is refused by the API, and after a reload the page shows the score.
	jury := s.Staff(t, "jury")
	again := map[string]float64{}
	for _, c := range codes {
		again[c] = 1
	}
	if r := jury.Do("POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", seed.DefaultCampaignCode, entryID),
		map[string]any{"points": again}); r.Status != http.StatusConflict || r.ErrorCode() != "already_scored" {
		t.Fatalf("second score sheet: %d %s", r.Status, r.Body)
	}
	b.do(chromedp.Reload())
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", entryID))
	b.screenshot("jury-scored-360")
	b.assertNoProblems()
}
