//go:build integration

package webtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// TestJuryCompletenessAndTheRefusedClose: two jurors, two clips, one sheet. The jury's page
// and the committee's show 1 of 4 sheets, which juror has not scored which clip; the
// committee's page holds the video and collective results back; its close is refused with
// the API's message counting the 3 missing sheets; an override without a reason is stopped
// on the page; with a reason it closes, and the results appear labelled provisional.
// Before this change neither page showed completeness and the close went through.
func TestJuryCompletenessAndTheRefusedClose(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	const code = seed.DefaultCampaignCode
	committee, secretariat, jury := s.Staff(t, "committee"), s.Staff(t, "secretariat"), s.Staff(t, "jury")
	newJuror(t, s, "Giám khảo Đặng Thu Hà")
	_, byCode := listAgencies(t, s)
	s.PastVideoDeadline(t, time.Hour)
	yesterday := time.Now().AddDate(0, 0, -1).In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	first := recordClip(t, secretariat, code, byCode["so-tu-phap"].ID, "Một cửa thân thiện", yesterday)
	recordClip(t, secretariat, code, byCode["so-noi-vu"].ID, "Dịch vụ công trực tuyến", yesterday)
	scoreClip(t, jury, code, first, sheet(95))
	s.ToJuryScoring(t, committee)
	b := newBrowser(t, s.URL, 1280, 900)

	// ---- the jury's page
	b.login(jury)
	b.open("/giam-khao")
	firstLine := fmt.Sprintf("#clip-sheets-%d", first)
	b.waitVisible(firstLine)
	b.waitVisible("#jury-progress-jurors")
	if got := b.text("#jury-progress-summary"); got != "Đã nhận 1/4 phiếu chấm; còn thiếu 3 phiếu." {
		t.Fatalf("jury page summary %q", got)
	}
	if got := b.text(firstLine); got != "Phiếu chấm đã nhận: 1/2; chưa chấm: Giám khảo Đặng Thu Hà." {
		t.Fatalf("first clip's sheets %q", got)
	}
	if got := b.rowWith("#jury-progress-jurors", "Giám khảo Đặng Thu Hà"); got != "Giám khảo Đặng Thu Hà0/2Một cửa thân thiện, Dịch vụ công trực tuyến" {
		t.Fatalf("second juror's row %q", got)
	}
	b.assertAccessible("/giam-khao (completeness)")
	b.screenshot("jury-completeness")

	// ---- the committee's page: completeness, results held back, the close refused
	b.login(committee)
	b.open("/ban-to-chuc")
	b.waitVisible("#close-jury button")
	b.waitVisible("#jury-progress-clips")
	if got := b.text("#jury-progress-summary"); got != "Đã nhận 1/4 phiếu chấm; còn thiếu 3 phiếu." {
		t.Fatalf("committee page summary %q", got)
	}
	for _, sel := range []string{"#video-status", "#collective-status"} {
		b.waitVisible(sel)
		if got := b.text(sel); got != "Kết quả thi video clip và giải tập thể chỉ hiển thị sau khi kết thúc việc chấm." {
			t.Fatalf("%s says %q before the close", sel, got)
		}
	}
	b.click("#close-jury button")
	b.waitVisible("#decision-error")
	if got := b.text("#decision-error"); !strings.HasPrefix(got, "Chưa thể kết thúc việc chấm: còn thiếu 3 phiếu chấm (đã nhận 1/4 phiếu).") {
		t.Fatalf("refused close shown as %q", got)
	}
	var closes int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM decisions WHERE kind = 'close_jury'`).Scan(&closes); err != nil || closes != 0 {
		t.Fatalf("%d close decisions recorded after the refusal (%v)", closes, err)
	}
	b.screenshot("committee-close-refused")

	// An override needs a reason, on the page already.
	b.click("#close-jury-override")
	b.click("#close-jury button")
	b.waitFor("the reason asked for", `document.querySelector("#decision-error").textContent === "Vui lòng ghi lý do kết thúc việc chấm khi còn thiếu phiếu chấm."`, step)
	b.typeInto("#decision-comment", "Giám khảo Đặng Thu Hà ốm dài ngày.")
	b.click("#close-jury button")
	b.waitVisible("#decision-result")
	b.waitFor("results shown as provisional", `!!document.querySelector("#video-status") && document.querySelector("#video-status").textContent.includes("tạm thời") &&
		!!document.querySelector("#collective-status") && document.querySelector("#collective-status").textContent.includes("tạm thời")`, step)
	if got := b.rowWith("#video-table", "Một cửa thân thiện"); !strings.Contains(got, "thiếu 1 phiếu") {
		t.Fatalf("first clip's result row %q", got)
	}
	b.assertAccessible("/ban-to-chuc (jury closed by override)")
	b.screenshot("committee-provisional-results")
}

// TestSecretariatCorrectsAClipThroughThePage: the clerk opens a recorded clip's correction
// form from the list, a receipt date after today is refused with the API's message, then
// the corrected title and author are stored, listed, and audited with before and after.
func TestSecretariatCorrectsAClipThroughThePage(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	const code = seed.DefaultCampaignCode
	committee, secretariat := s.Staff(t, "committee"), s.Staff(t, "secretariat")
	_, byCode := listAgencies(t, s)
	ict := time.FixedZone("ICT", 7*3600)
	id := recordClip(t, secretariat, code, byCode["so-tu-phap"].ID, "Mot cua so", time.Now().AddDate(0, 0, -2).In(ict).Format(time.DateOnly))
	b := newBrowser(t, s.URL, 360, 740)
	b.login(secretariat)
	b.open("/thu-ky")
	b.click(fmt.Sprintf("#correct-video-%d", id))
	b.waitVisible("#correct-form")
	b.clearField("#correct-title")
	b.typeInto("#correct-title", "Một cửa số")
	b.typeInto("#correct-author", "Tổ truyền thông")
	tomorrow := time.Now().AddDate(0, 0, 1).In(ict)
	b.typeDate("#correct-received", tomorrow.Year(), int(tomorrow.Month()), tomorrow.Day())
	b.click("#correct-submit")
	b.waitVisible("#correct-error")
	if got := b.text("#correct-error"); !strings.Contains(got, "chưa đến") {
		t.Fatalf("future receipt date shown as %q", got)
	}
	yesterday := time.Now().AddDate(0, 0, -1).In(ict)
	b.typeDate("#correct-received", yesterday.Year(), int(yesterday.Month()), yesterday.Day())
	b.click("#correct-submit")
	b.waitVisible("#correct-result")
	b.waitFor("the list corrected", `document.querySelector("#videos-table").textContent.includes("Một cửa số") && document.querySelector("#videos-table").textContent.includes("Tổ truyền thông")`, step)
	var rows []struct {
		Details struct {
			Action string `json:"action"`
			Before struct {
				Title string `json:"title"`
			} `json:"before"`
			After struct {
				Title  string `json:"title"`
				Author string `json:"author"`
			} `json:"after"`
		} `json:"details"`
		UserName string `json:"user_name"`
	}
	committee.Expect(200, "GET", "/api/v1/audit", nil).JSON(t, &rows)
	found := false
	for _, r := range rows {
		if r.Details.Action == "correct_video_entry" {
			found = r.Details.Before.Title == "Mot cua so" && r.Details.After.Title == "Một cửa số" && r.Details.After.Author == "Tổ truyền thông" && r.UserName == "Tổ Thư ký (demo)"
			break
		}
	}
	if !found {
		t.Fatalf("no audit entry of the correction with before and after: %+v", rows)
	}
	b.assertAccessible("/thu-ky (correction)")
	b.screenshot("secretariat-correction-360")
}
