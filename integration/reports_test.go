//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

const (
	xlsxType   = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	bulkWeek2  = 1200 // enough rows for the export's progress to move within a sheet
	week2Total = bulkWeek2 + 4
)

type jsonReport struct {
	Title  string `json:"title"`
	Sheets []struct {
		Name    string   `json:"name"`
		Title   string   `json:"title"`
		Headers []string `json:"headers"`
		Rows    [][]any  `json:"rows"`
	} `json:"sheets"`
}

func (r jsonReport) sheet(t *testing.T, name string) int {
	t.Helper()
	for i, s := range r.Sheets {
		if s.Name == name {
			return i
		}
	}
	t.Fatalf("report %q has no sheet %q", r.Title, name)
	return -1
}

// rankWeek2 gives week 2 four named participants and bulkWeek2 others, and ranks it: An
// (10 correct) first, Bình and Cường (9) second, then the best of the others third, and
// Dũng (0 correct) last.
func rankWeek2(t *testing.T, s *testenv.Stack) {
	t.Helper()
	ctx := context.Background()
	ag := agencyIDsByCode(t, s)
	round2 := roundIDByNumber(t, s, 2)
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m int) time.Time { return time.Date(2023, 10, 31, h, m, 0, 0, hcm) }
	for _, p := range []struct {
		name, agency string
		correct      int
		used         time.Duration
		finished     time.Time
	}{
		{"Trần Văn An", "so-tu-phap", 10, 30500 * time.Millisecond, at(9, 15)},
		{"Lê Thị Bình", "so-noi-vu", 9, 41 * time.Second, at(10, 0)},
		{"Phạm Văn Cường", "q-hong-bang", 9, 52 * time.Second, at(8, 5)},
		{"Hoàng Văn Dũng", "bhxh-tp", 0, 600 * time.Second, at(11, 30)},
	} {
		insertResult(t, s, round2, insertParticipant(t, s, ag[p.agency], p.name), ag[p.agency], p.correct, p.used, p.finished)
	}
	if _, err := s.Store.Pool().Exec(ctx, `
		WITH u AS (
			INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			SELECT 'Thí sinh số ' || g, '07' || lpad(g::text, 8, '0'), $2, 'not-a-hash', 'participant'
			FROM generate_series(1, $3::int) g RETURNING id),
		a AS (
			INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
			SELECT $1, id, 1, 'submitted', now() - interval '10 minutes', now() + interval '1 hour', now(), 1 FROM u
			RETURNING id, participant_id, finished_at)
		INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count,
		                     prediction, time_used_ms, finished_at, auto_submitted)
		SELECT a.id, $1, a.participant_id, $2, 1 + a.participant_id % 8, 10, 1, 100000 + a.participant_id, a.finished_at, false FROM a`,
		round2, ag["so-y-te"], bulkWeek2); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: round2, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Participants != week2Total || sum.PerfectCount != 1 || sum.Winners != 6 || sum.Ties != 0 {
		t.Fatalf("ranking of week 2: %+v", sum)
	}
}

// checkWeeklyWorkbook opens a weekly results workbook and checks it cell by cell.
func checkWeeklyWorkbook(t *testing.T, data []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Tuần 1", "Tuần 2", "Tuần 3", "Tuần 4"}) {
		t.Fatalf("sheets %q", got)
	}
	value := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	raw := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if a1 := value("Tuần 1", "A1"); !strings.Contains(a1, "chưa xếp hạng") || value("Tuần 1", "A3") != "" {
		t.Fatalf("week 1 not ranked yet: A1 %q", a1)
	}
	if a1 := value("Tuần 2", "A1"); !strings.HasPrefix(a1, "Kết quả tuần thi thứ 2") || !strings.Contains(a1, fmt.Sprintf("%d người dự thi, 1 người trả lời đúng 10/10", week2Total)) {
		t.Fatalf("week 2 title %q", a1)
	}
	headers := []string{"Hạng", "Giải", "Họ và tên", "Cơ quan, đơn vị", "Số câu trả lời đúng", "Dự đoán", "Thời gian làm bài (giây)", "Thời điểm nộp bài"}
	cols := "ABCDEFGH"
	for i, h := range headers {
		cell := string(cols[i]) + "2"
		style, _ := f.GetCellStyle("Tuần 2", cell)
		st, err := f.GetStyle(style)
		if value("Tuần 2", cell) != h || err != nil || st.Font == nil || !st.Font.Bold {
			t.Fatalf("header %s = %q, want bold %q", cell, value("Tuần 2", cell), h)
		}
	}
	want := [][]string{
		{"1", "Giải Nhất", "Trần Văn An", "Sở Tư pháp", "10", "1", "30.5", "31/10/2023 09:15:00"},
		{"2", "Giải Nhì", "Lê Thị Bình", "Sở Nội vụ", "9", "1", "41", "31/10/2023 10:00:00"},
		{"3", "Giải Nhì", "Phạm Văn Cường", "UBND quận Hồng Bàng", "9", "1", "52", "31/10/2023 08:05:00"},
		{"4", "Giải Ba", "", "Sở Y tế", "8", "1", "", ""},
		{"5", "Giải Ba", "", "Sở Y tế", "8", "1", "", ""},
		{"6", "Giải Ba", "", "Sở Y tế", "8", "1", "", ""},
		{"7", "", "", "Sở Y tế", "8", "1", "", ""},
	}
	for r, row := range want {
		for c, v := range row {
			cell := fmt.Sprintf("%c%d", cols[c], r+3)
			if v != "" && value("Tuần 2", cell) != v {
				t.Errorf("Tuần 2 %s = %q, want %q", cell, value("Tuần 2", cell), v)
			}
		}
	}
	// Numbers are numbers: rank, correct answers, prediction, seconds and the time of submission.
	for _, cell := range []string{"A3", "E3", "F3", "G3", "H3", "A1206"} {
		ct, _ := f.GetCellType("Tuần 2", cell)
		if ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
			t.Errorf("%s is text (%q), want a number", cell, raw("Tuần 2", cell))
		}
	}
	if raw("Tuần 2", "H3") == value("Tuần 2", "H3") || !strings.HasPrefix(raw("Tuần 2", "H3"), "45230.385") {
		t.Errorf("H3 is not an Excel date: raw %q", raw("Tuần 2", "H3"))
	}
	// The last row is the one with no correct answer.
	last := week2Total + 2
	if raw("Tuần 2", fmt.Sprintf("A%d", last)) != fmt.Sprint(week2Total) || value("Tuần 2", fmt.Sprintf("C%d", last)) != "Hoàng Văn Dũng" ||
		value("Tuần 2", fmt.Sprintf("E%d", last)) != "0" || value("Tuần 2", fmt.Sprintf("A%d", last+1)) != "" {
		t.Errorf("last row %q %q", value("Tuần 2", fmt.Sprintf("A%d", last)), value("Tuần 2", fmt.Sprintf("C%d", last)))
	}
	if w, _ := f.GetColWidth("Tuần 2", "D"); w < float64(len([]rune("UBND quận Hồng Bàng"))) {
		t.Errorf("agency column %v wide", w)
	}
}

// TestReportsAsWorkbooksAndJSON builds the weekly results, participation and final summary
// reports in the request, as Excel workbooks and JSON, and checks their cells.
func TestReportsAsWorkbooksAndJSON(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	code := s.Campaign.Code
	committee := s.Staff(t, "committee")
	rankWeek2(t, s)
	// The final summary takes the sheets of the kinds other parts register (skipping missing ones).
	if _, ok := reports.Lookup("it_extra_results"); !ok {
		reports.Register("it_extra_results", func(context.Context, *store.Store, int64) (reports.Report, error) {
			return reports.Report{Sheets: []reports.Sheet{{Name: "Phần bổ sung", Title: "Kết quả bổ sung", Headers: []string{"A"}, Rows: [][]any{{1}}}}}, nil
		})
	}
	saved := reports.SummaryExtras
	reports.SummaryExtras = []string{"it_not_registered", "it_extra_results"} // whatever else is registered
	t.Cleanup(func() { reports.SummaryExtras = saved })

	r := committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/weekly_results.xlsx", nil)
	checkWeeklyWorkbook(t, r.Body)

	var weekly jsonReport
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/weekly_results.json", nil).JSON(t, &weekly)
	w2 := weekly.Sheets[weekly.sheet(t, "Tuần 2")]
	if len(w2.Rows) != week2Total || len(weekly.Sheets[0].Rows) != 0 {
		t.Fatalf("weekly JSON: %d rows in week 2", len(w2.Rows))
	}
	if row := w2.Rows[0]; row[0] != float64(1) || row[1] != "Giải Nhất" || row[2] != "Trần Văn An" || row[4] != float64(10) ||
		row[6] != 30.5 || row[7] != "2023-10-31T09:15:00+07:00" {
		t.Fatalf("weekly JSON first row %v", row)
	}

	// Participation as a workbook: rates are numbers with a percentage format.
	r = committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/participation.xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Toàn Hội thi", "Tuần 1", "Tuần 2", "Tuần 3", "Tuần 4"}) {
		t.Fatalf("participation sheets %q", got)
	}
	rows, err := f.GetRows("Tuần 2")
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][7] != "Tỷ lệ tham gia" || rows[1][9] != "Kết quả" || len(rows[1]) < 13 || rows[1][12] != "Vượt biên chế" {
		t.Fatalf("participation headers %q", rows[1])
	}
	found := false
	for i, row := range rows[2:] {
		if len(row) > 2 && row[1] == "so-y-te" {
			found = true
			// 1200 of the seeded sample headcount 120: capped at 100 % and flagged with the
			// uncapped 1000 %, a sample figure.
			cell := fmt.Sprintf("H%d", i+3)
			rawRate, _ := f.GetCellValue("Tuần 2", cell, excelize.Options{RawCellValue: true})
			if len(row) < 13 || row[5] != "1,200" || row[6] != "120" || row[7] != "100.0%" || rawRate != "1" || row[9] != "Đạt" ||
				row[11] != "Có" || row[12] != "Có (1000,0 %)" {
				t.Fatalf("Sở Y tế row %q (raw rate %q)", row, rawRate)
			}
		}
	}
	if !found {
		t.Fatal("no Sở Y tế row")
	}

	var summary jsonReport
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/final_summary.json", nil).JSON(t, &summary)
	var names []string
	for _, s := range summary.Sheets {
		names = append(names, s.Name)
	}
	if want := []string{"Tổng quan", "Các giai đoạn", "Quyết định", "Các tuần thi", "Người đạt giải", "Tham gia theo loại", "Tham gia theo đơn vị", "Phần bổ sung"}; !slices.Equal(names, want) {
		t.Fatalf("summary sheets %q, want %q", names, want)
	}
	perRound := summary.Sheets[summary.sheet(t, "Các tuần thi")].Rows
	if len(perRound) != 4 || perRound[1][0] != float64(2) || perRound[1][3] != float64(week2Total) || perRound[1][4] != float64(week2Total) ||
		perRound[1][5] != float64(1) || perRound[1][6] != float64(1) || perRound[1][7] != float64(6) || perRound[0][3] != float64(0) {
		t.Fatalf("summary per round %v", perRound)
	}
	winners := summary.Sheets[summary.sheet(t, "Người đạt giải")].Rows
	if len(winners) != 6 || winners[0][1] != "Giải Nhất" || winners[0][3] != "Trần Văn An" || winners[5][1] != "Giải Ba" {
		t.Fatalf("summary winners %v", winners)
	}
	decisions := summary.Sheets[summary.sheet(t, "Quyết định")].Rows
	if len(decisions) != 5 || decisions[4][1] != "Đưa phần mềm vào vận hành chính thức" || decisions[4][3] != "Phê duyệt" {
		t.Fatalf("summary decisions %v", decisions)
	}
	overview := summary.Sheets[0].Rows
	if overview[7][0] != "Số người đã dự thi (ít nhất một tuần)" || overview[7][1] != float64(week2Total) {
		t.Fatalf("summary overview %v", overview)
	}
	// The final summary renders as a workbook too.
	r = committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/final_summary.xlsx", nil)
	if ct := r.Body[:2]; string(ct) != "PK" {
		t.Fatalf("final summary workbook starts with %q", ct)
	}

	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/api/v1/campaigns/" + code + "/reports/khong_co.xlsx", "report_not_found", 404},
		{"/api/v1/campaigns/" + code + "/reports/weekly_results.pdf", "report_not_found", 404},
		{"/api/v1/campaigns/" + code + "/reports/weekly_results", "report_not_found", 404},
		{"/api/v1/campaigns/khong-co/reports/weekly_results.xlsx", "campaign_not_found", 404},
	} {
		if r := committee.Do("GET", c.path, nil); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.path, r.Status, r.Body, c.status, c.code)
		}
	}
}

type exportStatus struct {
	ID          int64  `json:"id"`
	Status      string `json:"status"`
	Progress    int    `json:"progress"`
	Error       string `json:"error"`
	DownloadURL string `json:"download_url"`
	FileName    string `json:"file_name"`
	Size        int    `json:"size"`
	StatusURL   string `json:"status_url"`
}

func waitForExport(t *testing.T, c *testenv.Client, id int64, want string) exportStatus {
	t.Helper()
	var e exportStatus
	waitFor(t, 60*time.Second, fmt.Sprintf("export %d to be %s", id, want), func() bool {
		c.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/exports/%d", id), nil).JSON(t, &e)
		if e.Status == "failed" && want != "failed" {
			t.Fatalf("export failed: %+v", e)
		}
		return e.Status == want
	})
	return e
}

// TestExportRunsThroughAsynqWithProgress exports the weekly results in the background: the
// stack's asynq server runs the task, the progress moves (recorded by a trigger) up to 100,
// and the downloaded workbook is checked cell by cell.
func TestExportRunsThroughAsynqWithProgress(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	code := s.Campaign.Code
	committee := s.Staff(t, "committee")
	rankWeek2(t, s)
	if _, err := s.Store.Pool().Exec(ctx, `
		CREATE TABLE it_export_progress (seq BIGSERIAL, export_id BIGINT, status TEXT, progress INT);
		CREATE FUNCTION it_log_export_progress() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			INSERT INTO it_export_progress (export_id, status, progress) VALUES (NEW.id, NEW.status, NEW.progress);
			RETURN NEW;
		END $$;
		CREATE TRIGGER it_log_export_progress AFTER UPDATE ON exports FOR EACH ROW EXECUTE FUNCTION it_log_export_progress();`); err != nil {
		t.Fatal(err)
	}

	var queued exportStatus
	r := committee.Expect(http.StatusAccepted, "POST", "/api/v1/campaigns/"+code+"/exports", map[string]string{"kind": "weekly_results", "format": "xlsx"})
	r.JSON(t, &queued)
	if queued.ID == 0 || queued.Status != "queued" || queued.Progress != 0 || queued.DownloadURL != "" || queued.StatusURL != fmt.Sprintf("/api/v1/exports/%d", queued.ID) {
		t.Fatalf("queued export %s", r.Body)
	}
	done := waitForExport(t, committee, queued.ID, "done")
	if done.Progress != 100 || done.DownloadURL != fmt.Sprintf("/api/v1/exports/%d/file", queued.ID) ||
		!strings.HasPrefix(done.FileName, "weekly_results-"+code+"-") || !strings.HasSuffix(done.FileName, ".xlsx") || done.Size == 0 {
		t.Fatalf("finished export %+v", done)
	}

	checkExportProgress(t, s, queued.ID)

	checkWeeklyWorkbook(t, committee.Expect(http.StatusOK, "GET", done.DownloadURL, nil).Body)
	queuedXLSX := queued.ID

	// A JSON export of the final summary.
	committee.Expect(http.StatusAccepted, "POST", "/api/v1/campaigns/"+code+"/exports", map[string]string{"kind": "final_summary", "format": "json"}).JSON(t, &queued)
	done = waitForExport(t, committee, queued.ID, "done")
	var summary jsonReport
	committee.Expect(http.StatusOK, "GET", done.DownloadURL, nil).JSON(t, &summary)
	if !strings.HasPrefix(summary.Title, "Báo cáo tổng kết") || summary.Sheets[0].Name != "Tổng quan" {
		t.Fatalf("final summary export %+v", summary.Title)
	}

	// A task for an export whose kind no longer exists fails for good, once, and says why.
	var campaignID int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM campaigns WHERE code = $1`, code).Scan(&campaignID); err != nil {
		t.Fatal(err)
	}
	gone, err := s.Store.CreateExport(ctx, campaignID, "it_removed_kind", "xlsx", 1)
	if err != nil {
		t.Fatal(err)
	}
	tasks := jobs.NewQueue(testenv.RedisAddr(), s.Installation)
	defer tasks.Close()
	if err := tasks.EnqueueExport(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if err := tasks.EnqueueExport(ctx, gone); err != nil { // a duplicate enqueue is a no-op
		t.Fatal(err)
	}
	failed := waitForExport(t, committee, gone, "failed")
	if !strings.Contains(failed.Error, "it_removed_kind") || failed.DownloadURL != "" {
		t.Fatalf("failed export %+v", failed)
	}
	if r := committee.Do("GET", fmt.Sprintf("/api/v1/exports/%d/file", gone), nil); r.Status != http.StatusConflict || r.ErrorCode() != "export_failed" {
		t.Fatalf("file of a failed export: %d %s", r.Status, r.Body)
	}
	// An export nobody has run yet has no file.
	waiting, err := s.Store.CreateExport(ctx, campaignID, "participation", "json", 1)
	if err != nil {
		t.Fatal(err)
	}
	if r := committee.Do("GET", fmt.Sprintf("/api/v1/exports/%d/file", waiting), nil); r.Status != http.StatusConflict || r.ErrorCode() != "export_not_ready" {
		t.Fatalf("file of a queued export: %d %s", r.Status, r.Body)
	}

	// Bad requests: a clear 4xx, and no export recorded.
	var before int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM exports`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, body string
		status     int
		code       string
	}{
		{"/api/v1/campaigns/" + code + "/exports", `{"kind":"khong_co","format":"xlsx"}`, 422, "unknown_report_kind"},
		{"/api/v1/campaigns/" + code + "/exports", `{"kind":"weekly_results","format":"pdf"}`, 400, "invalid_field"},
		{"/api/v1/campaigns/" + code + "/exports", `{"kind":"weekly_results"}`, 400, "invalid_field"},
		{"/api/v1/campaigns/" + code + "/exports", `{"kind":"weekly_results","format":"xlsx","x":1}`, 400, "unknown_field"},
		{"/api/v1/campaigns/" + code + "/exports", ``, 400, "invalid_json"},
		{"/api/v1/campaigns/khong-co/exports", `{"kind":"weekly_results","format":"xlsx"}`, 404, "campaign_not_found"},
	} {
		if r := committee.Raw("POST", c.path, c.body); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("POST %s %s: %d %s, want %d %s", c.path, c.body, r.Status, r.Body, c.status, c.code)
		}
	}
	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/api/v1/exports/999999", "export_not_found", 404},
		{"/api/v1/exports/999999/file", "export_not_found", 404},
		{"/api/v1/exports/abc", "invalid_path", 400},
	} {
		if r := committee.Do("GET", c.path, nil); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("GET %s: %d %s, want %d %s", c.path, r.Status, r.Body, c.status, c.code)
		}
	}
	var after int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM exports`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("bad requests recorded %d exports", after-before)
	}
	// The files are served as attachments of the right type.
	for _, d := range []struct{ url, contentType, name string }{
		{done.DownloadURL, "application/json", "final_summary-" + code},
		{fmt.Sprintf("/api/v1/exports/%d/file", queuedXLSX), xlsxType, "weekly_results-" + code},
	} {
		req, _ := http.NewRequest("GET", s.URL+d.url, nil)
		req.Header.Set("Authorization", "Bearer "+committee.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), d.contentType) ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename="`+d.name) {
			t.Errorf("download headers of %s: %v", d.url, resp.Header)
		}
	}
}

// checkExportProgress reads the progress the trigger logged: claimed at 0, 5 once
// started, 30 once the data was read, then while the rows were written, 95 once
// rendered, and 100 with the file; never backwards.
func checkExportProgress(t *testing.T, s *testenv.Stack, exportID int64) {
	ctx := context.Background()
	rows, err := s.Store.Pool().Query(ctx, `SELECT status, progress FROM it_export_progress WHERE export_id = $1 ORDER BY seq`, exportID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	var progress []int
	for rows.Next() {
		var st string
		var p int
		if err := rows.Scan(&st, &p); err != nil {
			t.Fatal(err)
		}
		steps, progress = append(steps, fmt.Sprintf("%s:%d", st, p)), append(progress, p)
	}
	rows.Close()
	between := 0
	for i, p := range progress {
		if i > 0 && p < progress[i-1] {
			t.Fatalf("progress went back: %v", steps)
		}
		if p > 30 && p < 95 {
			between++
		}
	}
	if len(steps) < 6 || steps[0] != "running:0" || !slices.Contains(progress, 5) || !slices.Contains(progress, 30) ||
		!slices.Contains(progress, 95) || between < 2 || steps[len(steps)-1] != "done:100" {
		t.Fatalf("progress steps %v", steps)
	}
}
