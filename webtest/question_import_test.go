//go:build integration

package webtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// The secretariat checks a semicolon CSV first ("Kiểm tra trước"): the page shows the
// answer for every line, two refused with their column and reason, and nothing is
// written. It then imports an .xlsx that changes a question of week 1's approved set: the
// line is "Cập nhật" with the set's new revision, and week 1 shows revision 2 waiting for
// the committee, whose page offers it for approval although the campaign is in its rounds.
func TestSecretariatSeesTheImportAnswerLineByLine(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	secretariat := s.Staff(t, "secretariat")
	code := seed.DefaultCampaignCode
	var week1 []struct {
		Code           string    `json:"code"`
		SourceDocument string    `json:"source_document"`
		Text           string    `json:"text"`
		Options        [4]string `json:"options"`
		CorrectOption  int       `json:"correct_option"`
	}
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/questions", nil).JSON(t, &week1)
	before := getCampaign(t, secretariat, code)
	// The campaign's workflow runs, past its question bank stage, so that the committee's
	// approval of a revised set goes where it goes in production.
	if err := s.Campaigns.Start(context.Background(), before.ID, false); err != nil {
		t.Fatal(err)
	}
	terminateCampaign(t, s, before.ID)
	committee := s.Staff(t, "committee")
	waitForStage(t, committee, code, workflows.StageRounds)

	b := newBrowser(t, s.URL, 1024, 800)
	b.login(secretariat)
	b.open("/thu-ky?campaign=" + code)
	b.waitVisible("#set-1")

	dir := t.TempDir()
	check := filepath.Join(dir, "ngan-hang.csv")
	if err := os.WriteFile(check, []byte("\ufeffcode;round;source;text;option_a;option_b;option_c;option_d;correct\r\n"+
		"T2-MOI;2;Nghị định 61/2018/NĐ-CP;Câu hỏi mới?;Một;Hai;Ba;Bốn;B\r\n"+
		"T2-SAI;2;Luật;Câu hỏi?;Một;Hai;Ba;Bốn;E\r\n"+
		"T2-THIEU;2;Luật;;Một;Hai;Ba;Bốn;A\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{check}))
	b.click("#import-check")
	b.waitVisible("#import-lines-table")
	rows := importRows(b)
	want := []string{
		"2|T2-MOI|Tạo mới|bộ câu hỏi tuần 2 chuyển sang phiên bản 2 và chờ Ban Tổ chức phê duyệt lại",
		"3|T2-SAI|Bị từ chối|Cột correct: đáp án đúng “E” phải là A, B, C hoặc D",
		"4|T2-THIEU|Bị từ chối|Cột text: thiếu nội dung câu hỏi",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Fatalf("dry run shown as\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if got := b.text("#import-error"); got != "Kiểm tra trước (chưa lưu gì): 1 dòng tạo mới, 0 dòng cập nhật, 0 dòng không đổi, 2 dòng bị từ chối. Hãy sửa các dòng bị từ chối rồi nhập lại." {
		t.Fatalf("dry run message %q", got)
	}
	if after := getCampaign(t, secretariat, code); after.Rounds[1].QuestionSetSize != before.Rounds[1].QuestionSetSize {
		t.Fatalf("a dry run grew week 2's set: %d -> %d", before.Rounds[1].QuestionSetSize, after.Rounds[1].QuestionSetSize)
	}
	b.assertAccessible("/thu-ky (import answer)")

	q := week1[0]
	cells := []string{q.Code, "", q.SourceDocument, q.Text + " (đã sửa)", q.Options[0], q.Options[1], q.Options[2], q.Options[3], string(rune('A' + (q.CorrectOption+1)%4))}
	fix := filepath.Join(dir, "sua.xlsx")
	if err := os.WriteFile(fix, workbook(t, [][]string{{"code", "round", "source", "text", "option_a", "option_b", "option_c", "option_d", "correct"}, cells}), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{fix}))
	b.click("#import-submit")
	b.waitFor("the import's answer", `document.querySelector("#import-result") && !document.querySelector("#import-result").hidden`, step)
	rows = importRows(b)
	wantRow := fmt.Sprintf("2|%s|Cập nhật|tạo phiên bản 2 của câu hỏi; bài thi đã bắt đầu vẫn giữ phiên bản 1\n"+
		"bộ câu hỏi tuần 1 chuyển sang phiên bản 2 và chờ Ban Tổ chức phê duyệt lại; trong lúc chờ, người dự thi chưa thể bắt đầu bài thi mới của tuần này", q.Code)
	if len(rows) != 1 || rows[0] != wantRow {
		t.Fatalf("import shown as %q, want %q", rows, wantRow)
	}
	if got := b.text("#import-result"); !strings.HasPrefix(got, "Đã nhập: 0 dòng tạo mới, 1 dòng cập nhật") || !strings.Contains(got, "Bộ câu hỏi tuần 1 chuyển sang phiên bản 2") {
		t.Fatalf("import message %q", got)
	}
	b.waitFor("week 1 at revision 2, back with the committee", `document.querySelector("#set-1").textContent.includes("phiên bản 2") &&
		document.querySelector("#set-1").textContent.includes("Tổ Thư ký đã gửi lại")`, step)
	b.screenshot("secretariat-import-answer-1024")
	b.assertNoProblems()

	// The committee's page offers revision 2 for approval in the rounds stage.
	b.login(committee)
	b.open("/ban-to-chuc?campaign=" + code)
	b.waitVisible(`#set-1 button[data-kind="question_set"][data-outcome="approved"]`)
	if got := b.text("#set-1"); !strings.Contains(got, "phiên bản 2") {
		t.Fatalf("committee sees week 1 as %q", got)
	}
	b.click(`#set-1 button[data-kind="question_set"][data-outcome="approved"]`)
	b.waitFor("week 1 approved again", `!document.querySelector("#set-1 button[data-kind='question_set']")`, step)
	if r := getCampaign(t, committee, code).Rounds[0]; r.QuestionSetStatus != "approved" {
		t.Fatalf("week 1 after the committee's approval: %+v", r)
	}
	b.assertNoProblems()
}

func waitForStage(t *testing.T, c *testenv.Client, code, stage string) {
	t.Helper()
	deadline := time.Now().Add(step)
	for getCampaign(t, c, code).Stage != stage {
		if time.Now().After(deadline) {
			t.Fatalf("campaign %s never reached stage %s", code, stage)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// importRows reads the answer table: line|code|outcome|details (one detail per line).
func importRows(b *browser) []string {
	return eval[[]string](b, `[...document.querySelectorAll("#import-lines-table tbody tr")].map(tr => {
		const c = tr.querySelectorAll("td, th");
		const details = [...c[3].querySelectorAll("li")].map(li => li.textContent).join("\n");
		return [c[0].textContent, c[1].textContent, c[2].textContent, details].join("|");
	})`)
}

// workbook builds an .xlsx file with rows on its first sheet.
func workbook(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
