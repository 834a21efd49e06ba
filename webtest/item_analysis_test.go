//go:build integration

package webtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/testenv"
)

// The secretariat opens /thu-ky on a week not ranked yet and reads why there is no item
// analysis; once the week is ranked the table shows every question (the crafted round of
// testenv.CraftItemRound), the miskeyed one highlighted with its flags in words, and the
// workbook downloads print-ready. At 1280 and 360 px.
func TestSecretariatItemAnalysisTable(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	round := s.CraftItemRound(t, false)
	secretariat := s.Staff(t, "secretariat")
	b := newBrowser(t, s.URL, 1280, 900)
	b.login(secretariat)
	b.open("/thu-ky?campaign=" + s.Campaign.Code)
	// The section answers for the first week once the page has loaded the campaign.
	b.waitFor("the first week's analysis", `document.querySelector("#items-message, #items-table") !== null`, step)
	eval[chromedp.Void](b, `document.querySelector("#items-round").value = `+js(fmt.Sprint(testenv.ItemRoundNumber)))
	b.click("#items-form button[type=submit]")
	b.waitFor("week 3's answer", `document.querySelector("#items-message") && document.querySelector("#items-message").textContent.includes("thứ 3")`, step)
	if got := b.text("#items-message"); !strings.HasPrefix(got, "Tuần thi thứ 3 chưa được xếp hạng") {
		t.Fatalf("before the ranking the page says %q", got)
	}

	s.RankItemRound(t, round)
	b.click("#items-form button[type=submit]")
	b.waitVisible("#items-table")
	if got := b.text("#items-summary"); got != "Tuần thi số 3: 10 bài thi đã xếp hạng, nhóm cao và nhóm thấp mỗi nhóm 3 bài; 3 câu hỏi, 1 câu cần xem lại." {
		t.Fatalf("summary %q", got)
	}
	flagged := eval[[]string](b, `[...document.querySelectorAll("#items-table tbody tr.is-flagged th")].map(th => th.textContent)`)
	if len(flagged) != 1 || !strings.HasPrefix(flagged[0], "IA-2") {
		t.Fatalf("highlighted rows %q", flagged)
	}
	row := eval[[]string](b, `[...document.querySelectorAll("#items-table tbody tr")[1].cells].map(c => c.textContent.trim())`)
	if got := strings.Join(row[1:], "|"); got != "B|10|70%|-1,00|"+row[5]+"|0%|70% ✓|0%|30%|0%|Độ phân biệt âmNhóm cao chọn phương án sai nhiều hơn đáp án" {
		t.Fatalf("IA-2 row %q", got)
	}
	bg := eval[string](b, `getComputedStyle(document.querySelector("#items-table tbody tr.is-flagged td")).backgroundColor`)
	plain := eval[string](b, `getComputedStyle(document.querySelector("#items-table tbody tr:not(.is-flagged) td")).backgroundColor`)
	if bg == plain {
		t.Fatalf("the flagged row is not highlighted (%s)", bg)
	}
	b.assertAccessible("/thu-ky (item analysis)")
	b.screenshot("secretariat-item-analysis-1280")
	eval[chromedp.Void](b, `document.querySelector("#items-section").scrollIntoView()`)
	b.screenshotViewport("secretariat-item-analysis-table-1280")

	b.click("#items-download")
	b.waitFor("item analysis downloaded", `document.querySelector("#items-download-status").textContent.startsWith("Đã tải về: ")`, time.Minute)
	name := strings.TrimPrefix(b.text("#items-download-status"), "Đã tải về: ")
	if problems, err := reports.PrintProblems(b.savedFile(name), s.Campaign.Name); err != nil || len(problems) != 0 {
		t.Fatalf("downloaded %s: %q (%v)", name, problems, err)
	}
	b.assertNoProblems()

	phone := newBrowser(t, s.URL, 360, 800)
	phone.login(secretariat)
	phone.open("/thu-ky?campaign=" + s.Campaign.Code)
	phone.waitVisible("#items-table")
	phone.screenshot("secretariat-item-analysis-360")
	eval[chromedp.Void](phone, `document.querySelector("#items-table").scrollIntoView()`)
	phone.screenshotViewport("secretariat-item-analysis-table-360")
	phone.assertNoProblems()
}
