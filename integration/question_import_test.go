//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// importAnswer is the import's answer as the secretariat page reads it.
type importAnswer struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	DryRun       bool           `json:"dry_run"`
	Written      bool           `json:"written"`
	Format       string         `json:"format"`
	Message      string         `json:"message"`
	Summary      map[string]int `json:"summary"`
	FileProblems []struct {
		Message string `json:"message"`
	} `json:"file_problems"`
	Lines []struct {
		Line     int      `json:"line"`
		Code     string   `json:"code"`
		Outcome  string   `json:"outcome"`
		Revision int      `json:"revision"`
		Notes    []string `json:"notes"`
		Problems []struct {
			Column  string `json:"column"`
			Message string `json:"message"`
		} `json:"problems"`
	} `json:"lines"`
	SetsRevised []struct {
		Round          int    `json:"round"`
		Revision       int    `json:"revision"`
		PreviousStatus string `json:"previous_status"`
		Status         string `json:"status"`
	} `json:"sets_revised"`
}

type setQuestion struct {
	Code           string    `json:"code"`
	SourceDocument string    `json:"source_document"`
	Text           string    `json:"text"`
	Options        [4]string `json:"options"`
	CorrectOption  int       `json:"correct_option"`
	Revision       int       `json:"revision"`
}

type roundSet struct {
	Number              int    `json:"number"`
	QuestionSetStatus   string `json:"question_set_status"`
	QuestionSetRevision int    `json:"question_set_revision"`
	QuestionSetSize     int    `json:"question_set_size"`
}

func importFile(t *testing.T, c *testenv.Client, code, name string, body []byte, dryRun bool) (int, importAnswer) {
	t.Helper()
	path := "/api/v1/campaigns/" + code + "/questions/import"
	if dryRun {
		path += "?dry_run=true"
	}
	r := c.Multipart(path, nil, "file", name, body)
	var a importAnswer
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatalf("import answer %d %s: %v", r.Status, r.Body, err)
	}
	return r.Status, a
}

func roundSets(t *testing.T, c *testenv.Client, code string) map[int]roundSet {
	t.Helper()
	var v struct {
		Rounds []roundSet `json:"rounds"`
	}
	c.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
	out := map[int]roundSet{}
	for _, r := range v.Rounds {
		out[r.Number] = r
	}
	return out
}

func csvLine(sep string, cells ...string) string {
	for i, c := range cells {
		if strings.ContainsAny(c, sep+"\"\n") {
			cells[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
	}
	return strings.Join(cells, sep) + "\n"
}

func questionCells(q setQuestion, round string) []string {
	return []string{q.Code, round, q.SourceDocument, q.Text, q.Options[0], q.Options[1], q.Options[2], q.Options[3], string(rune('A' + q.CorrectOption))}
}

var importHeader = []string{"code", "round", "source", "text", "option_a", "option_b", "option_c", "option_d", "correct"}

// TestChangeToAnApprovedSetMakesARevisionTheCommitteeMustApprove reproduces issue 12,
// path 4: lines with an empty round column change a question of week 1's approved set that
// a participant has drawn (text and correct option) and one of week 2's that nobody has. The answer says the line
// updated the question into revision 2 and put week 1's set, now revision 2, back before
// the committee; the attempt keeps what it drew; nobody can start week 1 until the
// committee approves again, through the campaign workflow, which is past its question
// bank stage; the change is audited with before, after and who. Re-importing it changes
// nothing.
func TestChangeToAnApprovedSetMakesARevisionTheCommitteeMustApprove(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	code := s.Campaign.Code
	committee, secretariat := s.Staff(t, "committee"), s.Staff(t, "secretariat")
	var camp struct {
		ID    int64  `json:"id"`
		Stage string `json:"stage"`
	}
	if err := s.Campaigns.Start(ctx, mustCampaignID(t, committee, code), false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the campaign workflow in its rounds stage", func() bool {
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &camp)
		return camp.Stage == workflows.StageRounds
	})
	// Cleanups run last first: the workflow is terminated, then its history recorded.
	t.Cleanup(func() {
		s.RecordHistory(t, workflows.CampaignWorkflowID(s.Installation, camp.ID), "campaign_set_revised_in_rounds")
	})
	t.Cleanup(func() {
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, camp.ID), "", "test over")
	})

	sitter := s.Participant(t)
	_, attempt := startCurrent(t, sitter)
	var drawn setQuestion
	var options []string
	if err := s.Store.Pool().QueryRow(ctx, `
		SELECT q.code, q.source_document, q.text, q.options, q.correct_option FROM attempt_questions aq
		JOIN questions q ON q.id = aq.question_id WHERE aq.attempt_id = $1 AND aq.no = 1`, attempt.AttemptID).
		Scan(&drawn.Code, &drawn.SourceDocument, &drawn.Text, &options, &drawn.CorrectOption); err != nil {
		t.Fatal(err)
	}
	copy(drawn.Options[:], options)
	changed := drawn
	changed.Text = drawn.Text + " (đã sửa)"
	changed.CorrectOption = (drawn.CorrectOption + 1) % 4
	// And a question of week 2's approved set that nobody has drawn: the case that was
	// overwritten silently.
	var week2 []setQuestion
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/2/questions", nil).JSON(t, &week2)
	undrawn := week2[0]
	undrawn.Options[0], undrawn.Options[3] = undrawn.Options[3], undrawn.Options[0]
	file := []byte(csvLine(",", importHeader...) + csvLine(",", questionCells(changed, "")...) + csvLine(",", questionCells(undrawn, "")...))
	importRevision(t, secretariat, committee, code, file, drawn, changed, undrawn)

	// The attempt keeps the question it drew, and is graded on it.
	var got started
	sitter.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", attempt.AttemptID), nil).JSON(t, &got)
	if got.Questions[0].Text != drawn.Text {
		t.Fatalf("the attempt's question 1 changed to %q", got.Questions[0].Text)
	}
	var keptCorrect int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT q.correct_option FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id
		WHERE aq.attempt_id = $1 AND aq.no = 1`, attempt.AttemptID).Scan(&keptCorrect); err != nil || keptCorrect != drawn.CorrectOption {
		t.Fatalf("the attempt's correct option is %d (%v), want %d", keptCorrect, err, drawn.CorrectOption)
	}

	// Until the committee approves revision 2, week 1 cannot be started.
	late := s.Participant(t)
	var current round
	late.Expect(http.StatusOK, "GET", "/api/v1/rounds/current", nil).JSON(t, &current)
	if r := late.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", current.ID), nil); r.Status != http.StatusConflict {
		t.Fatalf("start on an unapproved revision: %d %s", r.Status, r.Body)
	}
	checkRevisionAudited(t, s, committee, code, drawn, changed)

	// Whatever code path asks, the database refuses to edit a frozen question in place.
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE questions SET correct_option = (correct_option + 1) % 4 WHERE code = $1 AND campaign_id = $2`,
		drawn.Code, camp.ID); err == nil || !strings.Contains(err.Error(), "make a new revision") {
		t.Fatalf("in-place update of a question in a ready set: %v", err)
	}

	// The same file again changes nothing.
	status, a := importFile(t, secretariat, code, "sua-cau-hoi.csv", file, false)
	if status != http.StatusOK || a.Lines[0].Outcome != "unchanged" || a.Lines[1].Outcome != "unchanged" || len(a.SetsRevised) != 0 || roundSets(t, committee, code)[1].QuestionSetRevision != 2 {
		t.Fatalf("re-import: %d %+v", status, a)
	}

	// A decision taken on revision 1, which the committee may still have on screen, is
	// refused; revision 2 is approved through the workflow, and week 1 can be sat again.
	stale := committee.Do("POST", "/api/v1/campaigns/"+code+"/decisions",
		map[string]any{"kind": "question_set", "round": 1, "outcome": "approved", "question_set_revision": 1})
	if stale.Status != http.StatusConflict || stale.ErrorCode() != "question_set_revised" || roundSets(t, committee, code)[1].QuestionSetStatus != "ready" {
		t.Fatalf("approval of revision 1: %d %s", stale.Status, stale.Body)
	}
	if r := committee.Do("POST", "/api/v1/campaigns/"+code+"/decisions",
		map[string]any{"kind": "question_set", "round": 1, "outcome": "approved", "question_set_revision": 2}); r.Status != http.StatusOK {
		t.Fatalf("approve revision 2: %d %s", r.Status, r.Body)
	}
	if r := roundSets(t, committee, code)[1]; r.QuestionSetStatus != "approved" || r.QuestionSetRevision != 2 {
		t.Fatalf("week 1 set after approval: %+v", r)
	}
	if r := decide(committee, code, "question_set", 1, "approved"); r.Status != http.StatusConflict {
		t.Fatalf("second approval of revision 2: %d %s", r.Status, r.Body)
	}
	late.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", current.ID), nil)
}

// importRevision imports the changed week 1 question and the reordered week 2 one, and
// checks that both approved sets move to revision 2, ready for the committee again.
func importRevision(t *testing.T, secretariat, committee *testenv.Client, code string, file []byte, drawn, changed, undrawn setQuestion) {
	status, a := importFile(t, secretariat, code, "sua-cau-hoi.csv", file, false)
	if status != http.StatusOK || !a.Written || len(a.Lines) != 2 {
		t.Fatalf("import: %d %+v", status, a)
	}
	if l := a.Lines[1]; l.Code != undrawn.Code || l.Outcome != "updated" || l.Revision != 2 || len(l.Notes) != 2 ||
		!strings.Contains(l.Notes[1], "bộ câu hỏi tuần 2 chuyển sang phiên bản 2") {
		t.Fatalf("week 2 line answer %+v", l)
	}
	l := a.Lines[0]
	if l.Line != 2 || l.Code != drawn.Code || l.Outcome != "updated" || l.Revision != 2 || len(l.Notes) != 2 ||
		!strings.Contains(l.Notes[0], "phiên bản 2 của câu hỏi") || !strings.Contains(l.Notes[1], "bộ câu hỏi tuần 1 chuyển sang phiên bản 2") {
		t.Fatalf("line answer %+v", l)
	}
	if len(a.SetsRevised) != 2 || a.SetsRevised[0].Round != 1 || a.SetsRevised[0].Revision != 2 ||
		a.SetsRevised[0].PreviousStatus != "approved" || a.SetsRevised[0].Status != "ready" || a.SetsRevised[1].Round != 2 {
		t.Fatalf("sets revised %+v", a.SetsRevised)
	}
	if strings.Contains(a.Message, "Đã nhập 1 câu hỏi") || !strings.Contains(a.Message, "chờ Ban Tổ chức phê duyệt lại") {
		t.Fatalf("message %q", a.Message)
	}
	for _, n := range []int{1, 2} {
		if r := roundSets(t, committee, code)[n]; r.QuestionSetStatus != "ready" || r.QuestionSetRevision != 2 {
			t.Fatalf("week %d set after the change: %+v", n, r)
		}
	}
	var set []setQuestion
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/questions", nil).JSON(t, &set)
	found := false
	for _, q := range set {
		if q.Code == drawn.Code {
			found = q.Text == changed.Text && q.CorrectOption == changed.CorrectOption && q.Revision == 2
		}
	}
	if !found {
		t.Fatalf("week 1 set does not hold revision 2 of %s: %+v", drawn.Code, set)
	}
}

// checkRevisionAudited checks the audit row of the change (before, after, who) and the
// committee's view of it through the API.
func checkRevisionAudited(t *testing.T, s *testenv.Stack, committee *testenv.Client, code string, drawn, changed setQuestion) {
	ctx := context.Background()
	// The change is audited: before, after, who.
	type snapshot struct {
		Text          string `json:"text"`
		CorrectOption int    `json:"correct_option"`
		Revision      int    `json:"revision"`
	}
	var was, now snapshot
	var beforeJSON, afterJSON []byte
	var byRole, action string
	var setsRevised []int32
	if err := s.Store.Pool().QueryRow(ctx, `
		SELECT qr.action, qr.before, qr.after, qr.sets_revised, u.role FROM question_revisions qr JOIN users u ON u.id = qr.changed_by
		WHERE qr.code = $1 AND qr.source = 'import'`, drawn.Code).Scan(&action, &beforeJSON, &afterJSON, &setsRevised, &byRole); err != nil {
		t.Fatal(err)
	}
	_ = json.Unmarshal(beforeJSON, &was)
	_ = json.Unmarshal(afterJSON, &now)
	if action != "new_revision" || byRole != "secretariat" || len(setsRevised) != 1 || setsRevised[0] != 1 ||
		was.Text != drawn.Text || was.CorrectOption != drawn.CorrectOption || was.Revision != 1 ||
		now.Text != changed.Text || now.CorrectOption != changed.CorrectOption || now.Revision != 2 {
		t.Fatalf("audit: %s by %s, sets %v, before %s, after %s", action, byRole, setsRevised, beforeJSON, afterJSON)
	}

	// The committee reads the change that revised week 1's set through the API.
	var revs []struct {
		Code        string    `json:"code"`
		Action      string    `json:"action"`
		SetsRevised []int     `json:"sets_revised"`
		ChangedBy   string    `json:"changed_by"`
		Before      *snapshot `json:"before"`
		After       snapshot  `json:"after"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/question-revisions?round=1", nil).JSON(t, &revs)
	if len(revs) != 1 || revs[0].Code != drawn.Code || revs[0].Action != "new_revision" || revs[0].ChangedBy == "hệ thống" ||
		revs[0].Before == nil || revs[0].Before.Text != drawn.Text || revs[0].After.Text != changed.Text || revs[0].After.CorrectOption != changed.CorrectOption {
		t.Fatalf("revisions of week 1 through the API: %+v", revs)
	}
}

func mustCampaignID(t *testing.T, c *testenv.Client, code string) int64 {
	t.Helper()
	var v struct {
		ID int64 `json:"id"`
	}
	c.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
	return v.ID
}

func bankCounts(t *testing.T, s *testenv.Stack) [3]int {
	t.Helper()
	var n [3]int
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM questions), (SELECT count(*) FROM round_questions), (SELECT count(*) FROM question_revisions)`).
		Scan(&n[0], &n[1], &n[2]); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportAnswersEveryLineInVietnamese: an Excel semicolon CSV with a byte order mark
// whose lines are new, unchanged and wrong in several ways is answered line by line, every
// wrong line at once with its column, in Vietnamese, and nothing is written. A dry run of
// the good lines as .xlsx answers the same without writing; the real import writes them.
func TestImportAnswersEveryLineInVietnamese(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	code := s.Campaign.Code
	secretariat, committee := s.Staff(t, "secretariat"), s.Staff(t, "committee")
	var week2 []setQuestion
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/2/questions", nil).JSON(t, &week2)
	existing := week2[0]
	fresh := setQuestion{Code: "T2-MOI", SourceDocument: "Nghị định 61/2018/NĐ-CP", Text: "Câu hỏi mới; có dấu chấm phẩy?",
		Options: [4]string{"Một", "Hai", "Ba", "Bốn"}, CorrectOption: 2}
	good := [][]string{questionCells(fresh, "2"), questionCells(existing, "2")}
	bad := [][]string{
		{"T2-X1", "2", "Luật", "Câu hỏi?", "Một", "Hai", "Ba", "Bốn", "E"},
		{"T2-X2", "2", "Luật", "", "Một", "Một", "Ba", "Bốn", "A"},
		{"T2-X3", "9", "Luật", "Câu hỏi?", "Một", "Hai", "Ba", "Bốn", "A"},
	}
	semicolon := "\ufeff" + csvLine(";", importHeader...)
	for _, row := range append(append([][]string{}, good...), bad...) {
		semicolon += csvLine(";", row...)
	}
	before := bankCounts(t, s)
	status, a := importFile(t, secretariat, code, "ngan-hang.csv", []byte(strings.ReplaceAll(semicolon, "\n", "\r\n")), false)
	if status != http.StatusUnprocessableEntity || a.Error == nil || a.Error.Code != "question_import_refused" || a.Written || a.Format != "csv_semicolon" {
		t.Fatalf("import with bad lines: %d %+v", status, a)
	}
	want := []struct {
		outcome  string
		problems []string // column: message
	}{
		{"created", nil},
		{"unchanged", nil},
		{"refused", []string{"correct: đáp án đúng “E” phải là A, B, C hoặc D"}},
		{"refused", []string{"text: thiếu nội dung câu hỏi", "option_b: phương án B trùng với phương án A"}},
		{"refused", []string{"round: chiến dịch không có tuần 9"}},
	}
	if len(a.Lines) != len(want) {
		t.Fatalf("%d lines answered, want %d: %+v", len(a.Lines), len(want), a.Lines)
	}
	for i, w := range want {
		l := a.Lines[i]
		var got []string
		for _, p := range l.Problems {
			got = append(got, p.Column+": "+p.Message)
		}
		if l.Line != i+2 || l.Outcome != w.outcome || strings.Join(got, "|") != strings.Join(w.problems, "|") {
			t.Errorf("line %d: %+v, want %s %v", i+2, l, w.outcome, w.problems)
		}
	}
	if a.Summary["created"] != 1 || a.Summary["unchanged"] != 1 || a.Summary["refused"] != 3 ||
		a.Message != "Không nhập tệp này vì 3 dòng bị từ chối; chưa có gì được lưu (1 dòng tạo mới, 0 dòng cập nhật, 1 dòng không đổi, 3 dòng bị từ chối)." {
		t.Fatalf("summary %v, message %q", a.Summary, a.Message)
	}
	if after := bankCounts(t, s); after != before {
		t.Fatalf("a refused import wrote: questions, set entries, audit rows %v -> %v", before, after)
	}

	// The good lines as .xlsx: a dry run answers without writing, then the import writes.
	xlsx := workbook(t, append([][]string{importHeader}, good...))
	status, a = importFile(t, secretariat, code, "ngan-hang.xlsx", xlsx, true)
	if status != http.StatusOK || !a.DryRun || a.Written || a.Format != "xlsx" || a.Summary["created"] != 1 || a.Summary["unchanged"] != 1 ||
		len(a.SetsRevised) != 1 || a.SetsRevised[0].Round != 2 || !strings.HasPrefix(a.Message, "Kiểm tra trước (chưa lưu gì)") {
		t.Fatalf("dry run: %d %+v", status, a)
	}
	if after := bankCounts(t, s); after != before {
		t.Fatalf("a dry run wrote: %v -> %v", before, after)
	}
	if r := roundSets(t, committee, code)[2]; r.QuestionSetStatus != "approved" || r.QuestionSetRevision != 1 {
		t.Fatalf("week 2 set after a dry run: %+v", r)
	}
	status, a = importFile(t, secretariat, code, "ngan-hang.xlsx", xlsx, false)
	if status != http.StatusOK || !a.Written || a.Summary["created"] != 1 || a.Lines[0].Code != fresh.Code || a.Lines[0].Outcome != "created" {
		t.Fatalf("import: %d %+v", status, a)
	}
	if r := roundSets(t, committee, code)[2]; r.QuestionSetStatus != "ready" || r.QuestionSetRevision != 2 || r.QuestionSetSize != len(week2)+1 {
		t.Fatalf("week 2 set after a question joined it: %+v", r)
	}
}

// workbook builds an .xlsx file with rows on its first sheet, as a spreadsheet saves it.
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
