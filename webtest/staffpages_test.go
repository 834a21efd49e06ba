//go:build integration

package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// ---------------------------------------------------------------- data through the API

// approveSets approves every question set of a campaign through the API.
func approveSets(t *testing.T, committee *testenv.Client, camp campaignView) {
	t.Helper()
	for _, r := range camp.Rounds {
		if r := decide(committee, camp.Code, "question_set", r.Number, "approved", ""); r.Status != http.StatusOK {
			t.Fatalf("approve set: %d %s", r.Status, r.Body)
		}
	}
}

// goLive approves going live through the API once the workflow has reached the trial run
// (the sets approved), and waits for the rounds stage.
func goLive(t *testing.T, committee *testenv.Client, camp campaignView) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		r := decide(committee, camp.Code, "go_live", 0, "approved", "Vận hành thử đạt yêu cầu.")
		if r.Status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("go live: %d %s", r.Status, r.Body)
		}
		time.Sleep(100 * time.Millisecond) // the workflow is still entering the trial run
	}
	for getCampaign(t, committee, camp.Code).Stage != workflows.StageRounds {
		if time.Now().After(deadline) {
			t.Fatal("the rehearsal never reached the rounds stage")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// listAgencies reads the agency tree with the agencies' codes (GET /agencies has no codes).
func listAgencies(t *testing.T, s *testenv.Stack) (all []store.Agency, byCode map[string]store.Agency) {
	t.Helper()
	all, err := s.Store.ListAgencies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byCode = map[string]store.Agency{}
	for _, a := range all {
		byCode[a.Code] = a
	}
	return all, byCode
}

// sit registers a participant of an agency who then sits the open round of the default
// campaign through the API, answering `right` of its questions right.
func sit(t *testing.T, s *testenv.Stack, agencyID int64, name string, right int) {
	t.Helper()
	c := s.NewClient(t)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": name, "date_of_birth": "1984-03-09", "phone": phone,
		"agency_id": agencyID, "position": "Chuyên viên", "password": "mat-khau-thi",
	})
	c.Login(phone, "mat-khau-thi")
	var round struct{ ID int64 }
	c.Expect(http.StatusOK, "GET", "/api/v1/rounds/current", nil).JSON(t, &round)
	var a struct {
		AttemptID int64 `json:"attempt_id"`
	}
	c.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", round.ID), nil).JSON(t, &a)
	keys := s.CorrectKeys(t, a.AttemptID)
	for no := 1; no <= len(keys); no++ {
		choice := keys[no]
		if no > right {
			choice = wrongKey(choice)
		}
		c.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": choice})
	}
	c.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
}

// newJuror creates another jury account (staff accounts come from the command line) and
// logs it in.
func newJuror(t *testing.T, s *testenv.Stack, name string) *testenv.Client {
	t.Helper()
	hash, err := auth.HashPassword("giam-khao-khac")
	if err != nil {
		t.Fatal(err)
	}
	phone := testenv.UniquePhone()
	if _, err := s.Store.CreateStaff(context.Background(), name, phone, hash, contest.RoleJury); err != nil {
		t.Fatal(err)
	}
	c := s.NewClient(t)
	c.Login(phone, "giam-khao-khac")
	return c
}

// recordClip records a clip delivered on USB through the API and returns its id.
func recordClip(t *testing.T, c *testenv.Client, code string, agencyID int64, title, received string) int64 {
	t.Helper()
	r := c.Multipart("/api/v1/campaigns/"+code+"/videos", map[string]string{"agency_id": fmt.Sprint(agencyID), "title": title,
		"format": "report", "duration": "5:00", "received_on": received}, "", "", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("record %s: %d %s", title, r.Status, r.Body)
	}
	var created struct{ ID int64 }
	r.JSON(t, &created)
	return created.ID
}

// sheet is a score sheet of the default criteria adding up to total.
func sheet(total float64) map[string]any {
	return map[string]any{"points": map[string]float64{"noi_dung": total * 0.4, "sang_tao": total * 0.3, "ky_thuat": total * 0.2, "hinh_thuc": total * 0.1}}
}

func scoreClip(t *testing.T, juror *testenv.Client, code string, clip int64, points map[string]any) {
	t.Helper()
	juror.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, clip), points)
}

// postScore sends a juror's score sheet straight to the API (as another tab would).
func postScore(t *testing.T, juror *testenv.Client, code string, clip int64, points map[string]float64) int {
	t.Helper()
	return juror.Do("POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, clip), map[string]any{"points": points}).Status
}

func roundID(t *testing.T, s *testenv.Stack, code string, number int) int64 {
	t.Helper()
	var id int64
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT r.id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.code = $1 AND r.number = $2`, code, number).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// ---------------------------------------------------------------- states written to the database

// rankedWeekFixture writes a ranking for round 1, as the ranking activity would, with three
// participants tied across the last prize, and marks the round ranked (the round's own
// workflow sleeps until the round opens, an hour away, so nothing contradicts it). No
// real round can be made to end in such a tie on demand.
func rankedWeekFixture(t *testing.T, s *testenv.Stack, camp campaignView, agencyIDs []int64) {
	t.Helper()
	people := []struct {
		name             string
		rank, correct    int
		prediction, dist *int
		ms               int64
		prize            string
		tie              bool
	}{
		{"Lê Thị Hồng", 1, 10, ptr(4), ptr(1), 41230, "first", false},
		{"Trần Văn Minh", 2, 10, ptr(6), ptr(3), 39876, "second", false},
		{"Phạm Thu Trang", 3, 10, ptr(7), ptr(4), 45002, "second", false},
		{"Nguyễn Hoàng Nam", 4, 9, ptr(3), ptr(0), 52110, "third", false},
		{"Đỗ Văn Hải", 5, 9, ptr(5), ptr(2), 60000, "third", true},
		{"Vũ Thị Mai", 5, 9, ptr(1), ptr(2), 60000, "third", true},
		{"Bùi Quang Huy", 5, 9, ptr(5), ptr(2), 60000, "", true},
		{"Hoàng Văn Long", 8, 8, nil, nil, 71544, "", false},
	}
	ctx := context.Background()
	pool := s.Store.Pool()
	round := camp.Rounds[0].ID
	for i, p := range people {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			VALUES ($1, $2, $3, 'x', 'participant') RETURNING id`, p.name, testenv.UniquePhone(), agencyIDs[i%len(agencyIDs)]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		var prize *string
		if p.prize != "" {
			prize = &p.prize
		}
		if _, err := pool.Exec(ctx, `INSERT INTO round_rankings (round_id, participant_id, attempt_id, rank, correct_count, prediction,
			prediction_distance, time_used_ms, finished_at, prize, unresolved_tie) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10)`,
			round, id, 1000+i, p.rank, p.correct, p.prediction, p.dist, p.ms, prize, p.tie); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE rounds SET state = 'ranked', perfect_count = 3 WHERE id = $1`, round); err != nil {
		t.Fatal(err)
	}
}

func ptr(v int) *int { return &v }

// bulkRanking writes n ranked participants of an agency into a round, as the ranking
// activity would after that many sat it: more rows than a report built in the request
// may have (50 000), which no test can make people sit.
func bulkRanking(t *testing.T, s *testenv.Stack, roundID, agencyID int64, n int) {
	t.Helper()
	if _, err := s.Store.Pool().Exec(context.Background(), `
		WITH u AS (
			INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			SELECT 'Thí sinh số ' || g, '07' || lpad(g::text, 8, '0'), $2, 'x', 'participant' FROM generate_series(1, $3::int) g
			RETURNING id)
		INSERT INTO round_rankings (round_id, participant_id, attempt_id, rank, correct_count, prediction, prediction_distance,
		                            time_used_ms, finished_at)
		SELECT $1, id, id, (row_number() OVER (ORDER BY id))::int, 5, 1, 0, 100000 + id, now() FROM u`, roundID, agencyID, n); err != nil {
		t.Fatal(err)
	}
}

// agencyAccount creates a focal point account (accounts come from the command line) for an
// agency, or for none, and logs it in.
func agencyAccount(t *testing.T, s *testenv.Stack, agencyID *int64) *testenv.Client {
	t.Helper()
	hash, err := auth.HashPassword("dau-moi-thu")
	if err != nil {
		t.Fatal(err)
	}
	phone := testenv.UniquePhone()
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO users (full_name, phone, agency_id, password_hash, role)
		VALUES ('Đầu mối thử', $1, $2, $3, 'agency')`, phone, agencyID, hash); err != nil {
		t.Fatal(err)
	}
	c := s.NewClient(t)
	c.Login(phone, "dau-moi-thu")
	return c
}

// ---------------------------------------------------------------- page helpers

// shootWidths checks that the page fits the width and writes full-page screenshots at 360
// and 1280 px, coming back to 360. The charts redraw for a new width (after a debounce):
// each is awaited before the page is measured.
func (b *browser) shootWidths(name string) {
	b.t.Helper()
	for _, w := range []int64{360, 1280} {
		h := int64(740)
		if w > 800 {
			h = 900
		}
		b.do(chromedp.EmulateViewport(w, h))
		b.waitFor("charts drawn for the width", `[...document.querySelectorAll(".chart")].every(c => { const s = c.querySelector("svg");
			return !s || Math.abs(Number(s.getAttribute("width")) - Math.max(260, Math.floor(c.clientWidth))) <= 8; })`, step)
		if over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
			b.t.Errorf("%s at %d px is %v px wider than the screen", name, w, over)
		}
		b.screenshot(fmt.Sprintf("%s-%d", name, w))
	}
	b.do(chromedp.EmulateViewport(360, 740))
}

// choose picks an option of a select, as the keyboard or a finger would, and tells the page.
func (b *browser) choose(css, value string) {
	b.t.Helper()
	b.do(chromedp.Focus(chromedp.CSS(css)))
	eval[bool](b, `(() => { const s = document.querySelector(`+js(css)+`); s.value = `+js(value)+`;
		return s.value === `+js(value)+` && s.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

// rowWith is the text of the first row of a table with a cell that reads exactly text.
func (b *browser) rowWith(table, text string) string {
	b.t.Helper()
	return eval[string](b, `(() => { const r = [...document.querySelectorAll(`+js(table+" tbody tr")+`)]
		.find(tr => [...tr.cells].some(c => c.textContent.trim() === `+js(text)+`)); return r ? r.textContent : "<missing>"; })()`)
}

// cells are the texts of one column (1-based) of a table's body.
func (b *browser) cells(table string, column int) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll(`+js(table+" tbody tr")+`)].map(tr => tr.cells[`+fmt.Sprint(column-1)+`].textContent.trim())`)
}

// reportDone waits for a report button's download and returns the file the browser saved.
func (b *browser) reportDone(kind, ext string) (string, []byte) {
	b.t.Helper()
	status := "#report-status-" + kind
	b.click("#report-" + kind + "-" + ext)
	b.waitFor(kind+" downloaded", `document.querySelector(`+js(status)+`).textContent.startsWith("Đã tải về: ")`, time.Minute)
	name := strings.TrimPrefix(b.text(status), "Đã tải về: ")
	return name, b.savedFile(name)
}

func openWorkbook(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open downloaded workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// settled: the section has stopped loading.
func settled(sel string) string {
	return `(() => { const e = document.querySelector(` + js(sel) + `); return !!e && e.getAttribute("aria-busy") !== "true" && !e.textContent.includes("Đang tải…"); })()`
}

// ---------------------------------------------------------------- API answers the pages render

type videoResults struct {
	Jurors int `json:"jurors"`
	Clips  int `json:"clips"`
	Sheets int `json:"score_sheets"`
	Rows   []struct {
		AgencyName    string  `json:"agency_name"`
		Title         string  `json:"title"`
		Score         float64 `json:"score"`
		Rank          int     `json:"rank"`
		Prize         string  `json:"prize"`
		UnresolvedTie bool    `json:"unresolved_tie"`
	} `json:"rows"`
}

type collectiveResults struct {
	TopByVideo int `json:"top_by_video"`
	Rows       []struct {
		AgencyName         string   `json:"agency_name"`
		Eligible           bool     `json:"eligible"`
		Reasons            []string `json:"reasons"`
		Rank               int      `json:"rank"`
		Prize              string   `json:"prize"`
		CertificateOfMerit bool     `json:"certificate_of_merit"`
		UnresolvedTie      bool     `json:"unresolved_tie"`
	} `json:"rows"`
}

var prizeLabels = map[string]string{"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba"}

// The staff pages against the real API, each with data made through the API (the default
// campaign: participants sitting round 1, headcounts corrected, clips recorded and scored)
// or, where no real flow makes the state on demand, written to the database (a ranked week
// with a tie, 50 000 ranked participants, the accounts). A rehearsal: the secretariat
// reviews a set and imports questions (a bad file refused with the API's message); the
// committee reviews the ranked week with its tie and starts a rehearsal from the button.
// The default campaign: the secretariat records a clip with its file (refused over 7
// minutes first); the jury scores it (bounds, total, read-only after sending, 409
// already_scored); the committee reads participation (table and chart: filter, sort, per
// round), video and collective results (certificate, every ineligibility reason), and
// downloads a workbook and a report too large for the request (exported in the
// background); the agency's focal point reads its own participation and downloads it. The
// downloaded files are checked. Accessibility checks and screenshots on each page.
func TestStaffPagesAgainstTheRealAPI(t *testing.T) {
	started := time.Now()
	lap := func(what string) { t.Logf("%7.1fs %s", time.Since(started).Seconds(), what) }
	s := testenv.New(t, testenv.Options{})
	committee, secretariat, jury := s.Staff(t, "committee"), s.Staff(t, "secretariat"), s.Staff(t, "jury")
	agencies, byCode := listAgencies(t, s)
	rehearsalCamp := rehearsal(t, s, committee)
	b := newBrowser(t, s.URL, 360, 740)
	lap("stack, rehearsal and browser")
	sc := &staffScenario{t: t, s: s, b: b, lap: lap, committee: committee, secretariat: secretariat, jury: jury,
		agencies: agencies, tuPhap: byCode["so-tu-phap"], noiVu: byCode["so-noi-vu"], leChan: byCode["q-le-chan"],
		anBien: byCode["q-le-chan-p-an-bien"], yTe: byCode["so-y-te"], rehearsalCamp: rehearsalCamp, dir: t.TempDir()}
	sc.secretariatQuestionBank()
	sc.defaultCampaignData()
	sc.secretariatVideoEntry()
	sc.juryScoring()
	sc.committeeRehearsal()
	sc.committeeParticipation()
	sc.committeeVideoAndCollectiveResults()
	sc.committeeReports()
	sc.agencyFocalPoint()
}

// staffScenario is what TestStaffPagesAgainstTheRealAPI builds up phase by phase: one
// browser and one stack, each phase a method run in order on the state the earlier
// phases left.
type staffScenario struct {
	t                                  *testing.T
	s                                  *testenv.Stack
	b                                  *browser
	lap                                func(string)
	committee, secretariat, jury       *testenv.Client
	agencies                           []store.Agency
	tuPhap, noiVu, leChan, anBien, yTe store.Agency
	rehearsalCamp                      campaignView
	dir                                string          // files the pages upload
	juror2                             *testenv.Client // the second juror, who scores the twenty clips
	clips                              map[int64]int64 // agency → its clip
	outsider                           store.Agency    // the agency whose clip is outside the best 20
	leChanClip                         int64           // the clip recorded through the page
}

// secretariat, rehearsal in its question bank stage: a set as the API has it, an
// import refused with the API's message, then one that grows a set.
func (sc *staffScenario) secretariatQuestionBank() {
	t := sc.t
	b, lap, committee, secretariat, rehearsalCamp, dir := sc.b, sc.lap, sc.committee, sc.secretariat, sc.rehearsalCamp, sc.dir
	b.login(secretariat)
	b.open("/thu-ky?campaign=" + rehearsalCamp.Code)
	b.waitVisible("#questions .question-bank")
	var week1 []struct {
		Text          string    `json:"text"`
		Options       [4]string `json:"options"`
		CorrectOption int       `json:"correct_option"`
	}
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+rehearsalCamp.Code+"/rounds/1/questions", nil).JSON(t, &week1)
	if got := b.text("#questions .summary"); got != fmt.Sprintf("Tuần 1: %d câu hỏi.", len(week1)) || len(week1) == 0 {
		t.Fatalf("week 1 summary %q for %d questions", got, len(week1))
	}
	shown := eval[[]string](b, `[...document.querySelectorAll("#questions .question-bank > li")].map(li =>
		li.querySelector(".question-text").textContent + "|" + li.querySelectorAll(".is-correct").length + "|" + li.querySelector(".is-correct").textContent)`)
	if len(shown) != len(week1) {
		t.Fatalf("%d questions shown, the API has %d", len(shown), len(week1))
	}
	for i, q := range week1 {
		want := fmt.Sprintf("%s|1|%c. %sĐáp án đúng", q.Text, 'A'+q.CorrectOption, q.Options[q.CorrectOption])
		if shown[i] != want {
			t.Fatalf("question %d shown as %q, want %q", i+1, shown[i], want)
		}
	}
	if got := b.text("#set-2"); !strings.Contains(got, fmt.Sprintf("%d câu hỏi", rehearsalCamp.Rounds[1].QuestionSetSize)) || !strings.Contains(got, "Bản dự thảo") {
		t.Fatalf("set 2 shown as %q", got)
	}
	const header = "code,round,source,text,option_a,option_b,option_c,option_d,correct\n"
	bad := filepath.Join(dir, "sai.csv")
	if err := os.WriteFile(bad, []byte(header+"T2-01,2,Luật,Câu hỏi?,Một,Hai,Ba,Bốn,E\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badBytes, _ := os.ReadFile(bad)
	refused := secretariat.Multipart("/api/v1/campaigns/"+rehearsalCamp.Code+"/questions/import", nil, "file", "sai.csv", badBytes)
	var apiErr struct{ Error struct{ Message string } }
	refused.JSON(t, &apiErr)
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(string(refused.Body), "đáp án đúng “E” phải là A, B, C hoặc D") {
		t.Fatalf("bad CSV through the API: %d %s", refused.Status, refused.Body)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{bad}))
	b.click("#import-submit")
	b.waitVisible("#import-error")
	if got := b.text("#import-error"); got != apiErr.Error.Message {
		t.Fatalf("bad CSV shown as %q, the API says %q", got, apiErr.Error.Message)
	}
	good := filepath.Join(dir, "tuan-2.csv")
	newQuestion := "Thời hạn giải quyết thủ tục hành chính được tính từ khi nào?"
	if err := os.WriteFile(good, []byte(header+
		"T2-01,2,Nghị định 61/2018/NĐ-CP,"+newQuestion+",Từ khi nộp hồ sơ,Từ khi nhận đủ hồ sơ hợp lệ,Từ khi nộp phí,Từ khi có phiếu hẹn,B\n"+
		"T2-02,2,Nghị quyết 76/NQ-CP,Chương trình tổng thể cải cách hành chính có mấy nội dung?,Bốn,Năm,Sáu,Bảy,C\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{good}))
	b.click("#import-submit")
	b.waitVisible("#import-result")
	if got := b.text("#import-result"); got != "Đã nhập: 2 dòng tạo mới, 0 dòng cập nhật, 0 dòng không đổi, 0 dòng bị từ chối." || !eval[bool](b, `document.querySelector("#import-error").hidden`) {
		t.Fatalf("import result %q", got)
	}
	b.waitFor("set 2 grown by 2", `document.querySelector("#set-2").textContent.includes(`+js(fmt.Sprintf("%d câu hỏi", rehearsalCamp.Rounds[1].QuestionSetSize+2))+`)`, step)
	b.choose("#questions-round", "2")
	b.click(`#questions-form button[type="submit"]`)
	b.waitFor("week 2 questions", `document.querySelector("#questions-status").textContent === `+js(fmt.Sprintf("Tuần 2: %d câu hỏi.", rehearsalCamp.Rounds[1].QuestionSetSize+2)), step)
	imported := eval[string](b, `(() => { const li = [...document.querySelectorAll("#questions .question-bank > li")].find(li => li.textContent.includes(`+js(newQuestion)+`));
		return li ? li.querySelector(".question-meta").textContent + "|" + li.querySelector(".is-correct").textContent : ""; })()`)
	if imported != "T2-01 · Nguồn: Nghị định 61/2018/NĐ-CP|B. Từ khi nhận đủ hồ sơ hợp lệĐáp án đúng" {
		t.Fatalf("imported question shown as %q", imported)
	}
	b.assertAccessible("/thu-ky (question bank)")
	b.screenshot("secretariat-question-bank-360")
	approveSets(t, committee, rehearsalCamp) // the workflow moves to the trial run meanwhile
	lap("secretariat: question bank")
}

// the default campaign, through the API: headcounts, people sitting round 1, clips.
func (sc *staffScenario) defaultCampaignData() {
	t := sc.t
	s, lap, committee, secretariat, agencies, tuPhap, noiVu, leChan, anBien, yTe := sc.s, sc.lap, sc.committee, sc.secretariat, sc.agencies, sc.tuPhap, sc.noiVu, sc.leChan, sc.anBien, sc.yTe
	const code = seed.DefaultCampaignCode
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", tuPhap.ID), map[string]any{"headcount": 2, "note": "Số liệu biên chế tháng 10/2023."})
	sit(t, s, tuPhap.ID, "Nguyễn Thị Lan", 9)
	sit(t, s, tuPhap.ID, "Trần Quốc Bảo", 7)
	sit(t, s, anBien.ID, "Phạm Minh Tuấn", 10)
	sit(t, s, noiVu.ID, "Lê Văn Sáng", 0)
	lap("four people sat round 1")
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	juror2 := newJuror(t, s, "Giám khảo Đặng Thu Hà")
	clips := map[int64]int64{} // agency → its clip
	var clipAgencies []store.Agency
	for _, a := range agencies {
		if a.Category == "commune" || a.ID == leChan.ID || a.ID == tuPhap.ID || a.ID == noiVu.ID || a.ID == yTe.ID {
			continue
		}
		clipAgencies = append(clipAgencies, a)
	}
	// Twenty agencies record a clip (the page records Lê Chân's: 21 in all) and the second
	// juror scores them 85, 84, …, 66: the last is outside the best 20 by video score.
	clipAgencies = append([]store.Agency{tuPhap, noiVu}, clipAgencies[:18]...)
	outsider := clipAgencies[19]
	for i, a := range clipAgencies {
		clips[a.ID] = recordClip(t, secretariat, code, a.ID, "Cải cách hành chính ở "+a.Name, today)
		scoreClip(t, juror2, code, clips[a.ID], sheet(float64(85-i)))
	}
	lap("twenty clips recorded and scored")
	sc.juror2, sc.clips, sc.outsider = juror2, clips, outsider
}

// secretariat, default campaign: the sets approved, a clip too long refused with
// the API's message, then recorded with its file and listed.
func (sc *staffScenario) secretariatVideoEntry() {
	t := sc.t
	b, lap, secretariat, leChan, dir, juror2 := sc.b, sc.lap, sc.secretariat, sc.leChan, sc.dir, sc.juror2
	const code = seed.DefaultCampaignCode
	b.open("/thu-ky")
	b.waitVisible("#videos-table")
	b.waitVisible("#video-agency-list input[type=radio]")
	if got := b.text("#set-1"); !strings.Contains(got, "Đã phê duyệt") {
		t.Fatalf("set 1 shown as %q", got)
	}
	b.typeInto("#video-agency-search", "lê chân")
	b.waitFor("agency filtered", `document.querySelector("#video-agency-count").textContent.startsWith("4 ")`, step)
	b.click(fmt.Sprintf(`label[for="video-agency-%d"]`, leChan.ID))
	b.typeInto("#video-title-input", "Một cửa liên thông ở phường")
	b.choose("#video-format", "sketch")
	b.typeInto("#video-duration", "7:30")
	// A receipt date cannot lie ahead of the server's clock nor before the video contest opened.
	received := time.Now().AddDate(0, 0, -1).In(time.FixedZone("ICT", 7*3600))
	b.typeDate("#video-received", received.Year(), int(received.Month()), received.Day())
	clipFile := filepath.Join(dir, "mot-cua-lien-thong.mp4")
	if err := os.WriteFile(clipFile, []byte("not really an mp4, but bytes to store"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#video-file"), []string{clipFile}))
	b.click("#video-submit")
	b.waitVisible("#video-error")
	if got := b.text("#video-error"); got != "Video clip dài quá thời lượng cho phép (tối đa 7:00)." {
		t.Fatalf("too long a clip: %q", got)
	}
	b.clearField("#video-duration")
	b.typeInto("#video-duration", "4:35")
	b.click("#video-submit")
	b.waitVisible("#video-result")
	b.waitFor("21 entries", `document.querySelectorAll("#videos-table tbody tr").length === 21`, step)
	if got := b.text("#videos-table tbody tr:last-child"); !strings.Contains(got, "Một cửa liên thông ở phường") || !strings.Contains(got, "Tiểu phẩm") ||
		!strings.Contains(got, "4:35") || !strings.Contains(got, received.Format("02/01/2006")) || !strings.Contains(got, "UBND quận Lê Chân") || !strings.Contains(got, "mot-cua-lien-thong.mp4") {
		t.Fatalf("recorded entry %q", got)
	}
	var entries []struct {
		ID         int64  `json:"id"`
		Title      string `json:"title"`
		FileSHA256 string `json:"file_sha256"`
	}
	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/videos", nil).JSON(t, &entries)
	leChanClip := entries[len(entries)-1].ID
	if entries[len(entries)-1].Title != "Một cửa liên thông ở phường" || entries[len(entries)-1].FileSHA256 == "" {
		t.Fatalf("last entry through the API %+v", entries[len(entries)-1])
	}
	if got := b.text(fmt.Sprintf(`#videos-table tbody tr:nth-child(%d) td:last-child`, len(entries)-1)); got != "1" {
		t.Fatalf("a clip the second juror scored shows %q jurors", got)
	}
	b.assertAccessible("/thu-ky")
	b.shootWidths("secretariat")
	scoreClip(t, juror2, code, leChanClip, map[string]any{"points": map[string]float64{"noi_dung": 36, "sang_tao": 27, "ky_thuat": 18, "hinh_thuc": 9}})
	lap("secretariat: video entry")
	sc.leChanClip = leChanClip
}

// jury: the sheet from the criteria, bounds, the weighted total, read-only after
// sending; a clip scored from another tab meanwhile gets the API's 409.
func (sc *staffScenario) juryScoring() {
	t := sc.t
	b, lap, jury, tuPhap, clips, leChanClip := sc.b, sc.lap, sc.jury, sc.tuPhap, sc.clips, sc.leChanClip
	const code = seed.DefaultCampaignCode
	b.login(jury)
	b.open("/giam-khao")
	tuPhapClip := clips[tuPhap.ID]
	b.waitVisible(fmt.Sprintf("#clip-%d form", leChanClip))
	b.waitVisible(fmt.Sprintf("#clip-%d form", tuPhapClip))
	b.assertAccessible("/giam-khao")
	var criteria []struct {
		Code      string  `json:"code"`
		MaxPoints float64 `json:"max_points"`
	}
	jury.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/jury/criteria", nil).JSON(t, &criteria)
	for _, c := range criteria {
		if got := eval[string](b, fmt.Sprintf(`document.querySelector("#score-%d-%s").max`, leChanClip, c.Code)); got != fmt.Sprint(c.MaxPoints) {
			t.Fatalf("%s bounded by %q, the sheet says %v", c.Code, got, c.MaxPoints)
		}
	}
	if got := b.text("#criteria .summary"); got != "Tổng điểm tối đa (có hệ số): 100" {
		t.Fatalf("criteria summary %q", got)
	}
	for c, v := range map[string]string{"noi_dung": "35", "sang_tao": "25", "ky_thuat": "18", "hinh_thuc": "9"} {
		b.typeInto(fmt.Sprintf("#score-%d-%s", leChanClip, c), v)
	}
	if got := b.text(fmt.Sprintf("#total-%d", leChanClip)); got != "87/100" {
		t.Fatalf("weighted total shown as %q, want 87/100", got)
	}
	tuPhapAlert := fmt.Sprintf("#clip-%d [role=alert]", tuPhapClip)
	b.typeInto(fmt.Sprintf("#score-%d-noi_dung", tuPhapClip), "45")
	b.click(fmt.Sprintf("#score-submit-%d", tuPhapClip))
	b.waitFor("bound refused", `document.querySelector(`+js(tuPhapAlert)+`).textContent.includes("phải từ 0 đến 40") && document.activeElement.id === `+js(fmt.Sprintf("score-%d-noi_dung", tuPhapClip)), step)
	b.screenshot("jury-invalid-360")
	b.click(fmt.Sprintf("#score-submit-%d", leChanClip))
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", leChanClip))
	if got := b.text(fmt.Sprintf("#clip-%d .scored-note", leChanClip)); got != "Đã chấm. Tổng điểm của bạn: 87/100." {
		t.Fatalf("scored note %q", got)
	}
	if !eval[bool](b, fmt.Sprintf(`[...document.querySelectorAll("#clip-%d input")].every(i => i.disabled) && document.querySelector("#score-submit-%d").hidden`, leChanClip, leChanClip)) {
		t.Fatal("the sent score sheet is still editable")
	}
	var mine []struct {
		EntryID int64   `json:"entry_id"`
		Total   float64 `json:"total"`
	}
	jury.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/jury/scores", nil).JSON(t, &mine)
	if len(mine) != 1 || mine[0].EntryID != leChanClip || mine[0].Total != 87 {
		t.Fatalf("the juror's sheets through the API: %+v", mine)
	}
	if st := postScore(t, jury, code, tuPhapClip, map[string]float64{"noi_dung": 30, "sang_tao": 20, "ky_thuat": 10, "hinh_thuc": 5}); st != http.StatusCreated {
		t.Fatalf("score from another tab: %d", st)
	}
	b.clearField(fmt.Sprintf("#score-%d-noi_dung", tuPhapClip))
	for c, v := range map[string]string{"noi_dung": "31", "sang_tao": "21", "ky_thuat": "11", "hinh_thuc": "6"} {
		b.typeInto(fmt.Sprintf("#score-%d-%s", tuPhapClip, c), v)
	}
	b.click(fmt.Sprintf("#score-submit-%d", tuPhapClip))
	b.waitFor("already scored", `document.querySelector(`+js(tuPhapAlert)+`).textContent === "Bạn đã chấm video này; mỗi giám khảo chỉ chấm một lần." &&
		[...document.querySelectorAll(`+js(fmt.Sprintf("#clip-%d input", tuPhapClip))+`)].every(i => i.disabled)`, step)
	// The form then shows the sheet the API holds, not what was typed here.
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", tuPhapClip))
	if got := eval[string](b, fmt.Sprintf(`[...document.querySelectorAll("#clip-%d input")].map(i => i.value).join(" ") + " " + document.querySelector("#total-%d").textContent + " " + document.querySelector("#clip-%d .scored-note").textContent`,
		tuPhapClip, tuPhapClip, tuPhapClip)); got != "30 20 10 5 65/100 Đã chấm. Tổng điểm của bạn: 65/100." {
		t.Fatalf("after the 409 the sheet shows %q", got)
	}
	if got := b.text("#clips-progress"); got != "Bạn đã chấm 2/21 video clip." {
		t.Fatalf("progress after the 409 %q", got)
	}
	b.shootWidths("jury")
	b.do(chromedp.Reload())
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", tuPhapClip))
	if n := eval[int](b, `document.querySelectorAll(".clip.is-scored").length`); n != 2 {
		t.Fatalf("%d clips shown scored after a reload, want 2", n)
	}
	if got := b.text(fmt.Sprintf("#clip-%d .scored-note", tuPhapClip)); got != "Đã chấm. Tổng điểm của bạn: 65/100." {
		t.Fatalf("the sheet sent from the other tab shown as %q", got)
	}
	if got := b.text("#clips-progress"); got != "Bạn đã chấm 2/21 video clip." {
		t.Fatalf("progress %q", got)
	}
	lap("jury")
}

// committee, rehearsal: the ranked week with its tie, the week's decision, and a
// rehearsal started from the button.
func (sc *staffScenario) committeeRehearsal() {
	t := sc.t
	s, b, lap, committee, tuPhap, noiVu, leChan, rehearsalCamp := sc.s, sc.b, sc.lap, sc.committee, sc.tuPhap, sc.noiVu, sc.leChan, sc.rehearsalCamp
	goLive(t, committee, rehearsalCamp)
	rankedWeekFixture(t, s, rehearsalCamp, []int64{tuPhap.ID, leChan.ID, noiVu.ID})
	b.login(committee)
	b.open("/ban-to-chuc?campaign=" + rehearsalCamp.Code)
	b.waitStage(workflows.StageRounds)
	b.waitVisible("#ranking-table")
	b.waitVisible(`#week-1 button[data-outcome="approved"]`)
	if n := eval[int](b, `document.querySelectorAll("#ranking-table tbody tr").length`); n != 8 {
		t.Fatalf("ranking shows %d rows, want 8", n)
	}
	if n := eval[int](b, `document.querySelectorAll("#ranking-table tr.row-tie").length`); n != 3 {
		t.Fatalf("%d rows highlighted as ties, want 3", n)
	}
	if got := b.text("#tie-warning"); !strings.Contains(got, "3 người đồng hạng") || !strings.Contains(got, "Ban Tổ chức cần quyết định") {
		t.Fatalf("tie explanation %q", got)
	}
	if got := b.text("#ranking-table tr.row-tie"); !strings.Contains(got, "Đồng hạng") || !strings.Contains(got, "Giải Ba (tạm xếp)") {
		t.Fatalf("tied row %q", got)
	}
	if got := b.text("#ranking-table tbody tr:last-child"); !strings.Contains(got, "Không dự đoán") || !strings.Contains(got, "01:11,54") {
		t.Fatalf("last row %q", got)
	}
	if got := b.text("#ranking-table tbody tr:first-child"); !strings.Contains(got, "Giải Nhất") || !strings.Contains(got, "4 (lệch 1)") || !strings.Contains(got, "Sở Tư pháp") {
		t.Fatalf("first row %q", got)
	}
	b.assertAccessible("/ban-to-chuc (rounds, ranked week)")
	b.screenshot("committee-ranked-week-360")
	b.clearField("#rehearsal-week")
	b.typeInto("#rehearsal-week", "3600")
	b.click("#rehearsal-submit")
	b.waitVisible("#rehearsal-link")
	href := eval[string](b, `document.querySelector("#rehearsal-link").getAttribute("href")`)
	newCode := strings.TrimPrefix(href, "/ban-to-chuc?campaign=")
	if newCode == href || !strings.HasPrefix(newCode, rehearsalCamp.Code+"-dien-tap-") {
		t.Fatalf("rehearsal link %q", href)
	}
	terminateCampaign(t, s, getCampaign(t, committee, newCode).ID)
	b.click("#rehearsal-link")
	b.waitFor("rehearsal page", `location.search === `+js("?campaign="+newCode)+` && !!document.querySelector("#campaign-summary .code") && document.querySelector("#campaign-summary .code").textContent === `+js(newCode), step)
	lap("committee: rehearsal")
}

// committee, default campaign: participation, video and collective results.
// Results show only once jury scoring is closed; with 23 of 42 sheets in, the committee
// would close it by an override (see jury_test.go): here the close is recorded as is.
func (sc *staffScenario) committeeParticipation() {
	t := sc.t
	s, b, agencies := sc.s, sc.b, sc.agencies
	const code = seed.DefaultCampaignCode
	if _, err := s.Store.Pool().Exec(context.Background(), `INSERT INTO decisions (campaign_id, kind, outcome, comment, request_id)
		SELECT id, 'close_jury', 'done', 'Kết thúc khi còn thiếu phiếu chấm (kiểm thử).', 'webtest-close-jury' FROM campaigns WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	b.open("/ban-to-chuc")
	b.waitVisible("#participation-chart svg")
	b.waitVisible("#collective-table")
	b.waitVisible("#video-table")
	bars := `document.querySelectorAll("#participation-chart rect").length`
	rows := `document.querySelectorAll("#participation-table tbody tr").length`
	if nb, nr := eval[int](b, bars), eval[int](b, rows); nb != 15 || nr != 15 {
		t.Fatalf("participation at first: %d bars and %d rows, want 15", nb, nr)
	}
	// Rate first: Sở Tư pháp, 2 of its corrected headcount of 2, the only agency on target.
	if got := b.text("#participation-summary"); got != fmt.Sprintf("1/%d cơ quan, đơn vị đạt chỉ tiêu (tổng hợp các tuần).", len(agencies)) {
		t.Fatalf("participation summary %q", got)
	}
	if got := b.cells("#participation-table", 1)[0]; got != "Sở Tư pháp" {
		t.Fatalf("highest rate %q", got)
	}
	if got := b.rowWith("#participation-table", "Sở Tư pháp"); got != "Sở Tư phápSở, ban, ngành thành phố2/2100%70%Đạt" {
		t.Fatalf("Sở Tư pháp's participation %q", got)
	}
	b.click("#participation-more")
	b.waitFor("every agency", rows+` === `+fmt.Sprint(len(agencies))+` && document.activeElement.id === "participation-more"`, step)
	if nb := eval[int](b, bars); nb != len(agencies) {
		t.Fatalf("participation: %d bars for %d agencies", nb, len(agencies))
	}
	if n := eval[int](b, `document.querySelectorAll("#participation-chart .chart-target").length`); n != len(agencies) {
		t.Fatalf("%d threshold marks", n)
	}
	// Lê Chân counts its communes: An Biên's participant of 23 + 26 + 25 + 175.
	if got := b.rowWith("#participation-table", "UBND quận Lê ChânGồm cả các xã, phường, thị trấn trực thuộc"); !strings.Contains(got, "1/249") || !strings.Contains(got, "0,4%") || !strings.Contains(got, "Chưa đạt") {
		t.Fatalf("Lê Chân's participation %q", got)
	}
	central := 0
	for _, a := range agencies {
		if a.Category == "central" {
			central++
		}
	}
	b.choose("#participation-category", "central")
	b.waitFor("central agencies only", rows+` === `+fmt.Sprint(central)+` && `+bars+` === `+fmt.Sprint(central), step)
	if got := b.text("#participation-table tbody tr:first-child td:nth-child(5)"); got != "50%" {
		t.Fatalf("central threshold shown as %q", got)
	}
	b.choose("#participation-sort", "name")
	names := eval[[]string](b, `[...document.querySelectorAll("#participation-table tbody th .cell-value > span:first-child")].map(e => e.textContent)`)
	for i := 1; i < len(names); i++ {
		if eval[int](b, `(`+js(names[i-1])+`).localeCompare(`+js(names[i])+`, "vi")`) > 0 {
			t.Fatalf("sorted by name: %q before %q", names[i-1], names[i])
		}
	}
	b.choose("#participation-category", "")
	b.choose("#participation-round", "1")
	b.waitFor("week 1 participation", `!!document.querySelector("#participation-summary") && document.querySelector("#participation-summary").textContent.includes("(tuần 1)")`, step)
	if got := b.rowWith("#participation-table", "UBND phường An Biên"); !strings.Contains(got, "1/23") || !strings.Contains(got, "4,3%") {
		t.Fatalf("An Biên in week 1 %q", got)
	}
	b.choose("#participation-round", "2")
	b.waitFor("week 2 participation", `!!document.querySelector("#participation-summary") && document.querySelector("#participation-summary").textContent.startsWith("0/")`, step)
	b.choose("#participation-round", "")
	b.choose("#participation-sort", "rate_desc")
	b.click("#participation-more")
	b.waitFor("first rows again", rows+` === 15 && document.querySelector("#participation-more").getAttribute("aria-expanded") === "false" &&
		document.querySelector("#participation-summary").textContent.startsWith("1/")`, step)
}

// Video results as the API ranks them: Lê Chân's clip first, 87 and 90 → 88,5.
func (sc *staffScenario) committeeVideoAndCollectiveResults() {
	t := sc.t
	b, committee, noiVu, yTe, outsider := sc.b, sc.committee, sc.noiVu, sc.yTe, sc.outsider
	const code = seed.DefaultCampaignCode
	var video videoResults
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/video-results", nil).JSON(t, &video)
	if video.Clips != 21 || video.Jurors != 2 || video.Sheets != 23 || len(video.Rows) != 21 || video.Rows[0].Title != "Một cửa liên thông ở phường" {
		t.Fatalf("video results through the API: %+v", video)
	}
	if got := b.text("#video-results .facts"); got != "Số video clip21Số giám khảo2Số phiếu chấm23Tình trạng chấmĐã kết thúc chấm" {
		t.Fatalf("video facts %q", got)
	}
	if got := b.text("#video-table tbody tr:first-child"); got != "1Giải NhấtUBND quận Lê ChânMột cửa liên thông ở phường88,52" {
		t.Fatalf("video results first row %q", got)
	}
	if got, want := b.cells("#video-table", 4), len(video.Rows); len(got) != want {
		t.Fatalf("%d clips in the video table, %d in the API's", len(got), want)
	}
	prize := func(p string, tie bool) string {
		switch {
		case p == "":
			return "–"
		case tie:
			return prizeLabels[p] + " (tạm xếp)"
		}
		return prizeLabels[p]
	}
	titles, prizes := b.cells("#video-table", 4), b.cells("#video-table", 2)
	for i, r := range video.Rows {
		if titles[i] != r.Title || prizes[i] != prize(r.Prize, r.UnresolvedTie) {
			t.Fatalf("video row %d is %q with %q, the API ranks %q there with %q", i+1, titles[i], prizes[i], r.Title, prize(r.Prize, r.UnresolvedTie))
		}
	}

	// Collective prizes as the API decides them: Sở Tư pháp first with the certificate, Lê
	// Chân second, a tie among the agencies with no participant; and every reason.
	var coll collectiveResults
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/collective-results", nil).JSON(t, &coll)
	var eligible, eligiblePrizes, ineligible []string
	ties := 0
	for _, r := range coll.Rows {
		if r.Eligible {
			eligible = append(eligible, r.AgencyName)
			p := prize(r.Prize, r.UnresolvedTie)
			if r.CertificateOfMerit {
				p += "Bằng khen của Chủ tịch UBND thành phố"
			}
			eligiblePrizes = append(eligiblePrizes, p)
			if r.UnresolvedTie {
				ties++
			}
		} else {
			ineligible = append(ineligible, r.AgencyName)
		}
	}
	if got := b.cells("#collective-table", 3); strings.Join(got, "|") != strings.Join(eligible, "|") {
		t.Fatalf("eligible agencies shown %q, the API ranks %q", got, eligible)
	}
	if got := b.cells("#collective-table", 2); strings.Join(got, "|") != strings.Join(eligiblePrizes, "|") {
		t.Fatalf("collective prizes shown %q, the API's %q", got, eligiblePrizes)
	}
	if got := b.cells("#ineligible-table", 1); strings.Join(got, "|") != strings.Join(ineligible, "|") {
		t.Fatalf("ineligible agencies shown %q, the API has %q", got, ineligible)
	}
	if n := eval[int](b, `document.querySelectorAll("#collective-table .tie-mark").length`); n != ties || ties == 0 {
		t.Fatalf("%d tie marks in the collective table, the API flags %d", n, ties)
	}
	if got := b.text("#collective-table tbody tr:first-child"); !strings.HasPrefix(got, "1Giải NhấtBằng khen của Chủ tịch UBND thành phốSở Tư pháp100%8") {
		t.Fatalf("first collective prize %q", got)
	}
	if got := b.text("#collective-table tbody tr:nth-child(2)"); !strings.HasPrefix(got, "2Giải NhìUBND quận Lê Chân") || strings.Contains(got, "Bằng khen") {
		t.Fatalf("second collective prize %q", got)
	}
	for name, want := range map[string]string{
		noiVu.Name:    "Có người dự thi đạt 0 điểm trong tuần 1",
		outsider.Name: fmt.Sprintf("Không thuộc nhóm %d đơn vị có điểm video clip cao nhất", coll.TopByVideo),
		yTe.Name:      "Không tham gia thi video clip",
	} {
		if got := b.rowWith("#ineligible-table", name); got != name+want {
			t.Fatalf("%s is ineligible for %q, want %q", name, strings.TrimPrefix(got, name), want)
		}
	}
	b.assertAccessible("/ban-to-chuc (default campaign)")
	b.shootWidths("committee")
}

// Reports: a workbook downloaded in the request, checked cell by cell; then a report
// too large for the request is exported in the background and downloaded when done.
func (sc *staffScenario) committeeReports() {
	t := sc.t
	s, b, lap, committee, yTe := sc.s, sc.b, sc.lap, sc.committee, sc.yTe
	const code = seed.DefaultCampaignCode
	name, data := b.reportDone("video_results", "xlsx")
	if name != "video_results-"+code+".xlsx" {
		t.Fatalf("video results saved as %q", name)
	}
	wb := openWorkbook(t, data)
	for ref, want := range map[string]string{"A3": "1", "B3": "Giải Nhất", "C3": "UBND quận Lê Chân", "D3": "Một cửa liên thông ở phường", "E3": "88.5"} {
		if got, _ := wb.GetCellValue("Video clip", ref); got != want {
			t.Errorf("downloaded Video clip!%s = %q, want %q", ref, got, want)
		}
	}
	bulkRanking(t, s, roundID(t, s, code, 2), yTe.ID, 50_001)
	lap("committee: default campaign")
	name, data = b.reportDone("weekly_results", "json")
	var me struct{ ID int64 }
	committee.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
	var export struct {
		Status, FileName string
		RequestedBy      int64
	}
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT status, file_name, requested_by FROM exports WHERE kind = 'weekly_results' AND format = 'json'`).Scan(
		&export.Status, &export.FileName, &export.RequestedBy); err != nil {
		t.Fatalf("the background export: %v", err)
	}
	if export.Status != "done" || export.FileName != name || export.RequestedBy != me.ID {
		t.Fatalf("export %+v, the page saved %q", export, name)
	}
	var weekly struct {
		Sheets []struct {
			Name string  `json:"name"`
			Rows [][]any `json:"rows"`
		} `json:"sheets"`
	}
	if err := json.Unmarshal(data, &weekly); err != nil {
		t.Fatalf("downloaded export: %v", err)
	}
	if len(weekly.Sheets) != 4 || weekly.Sheets[1].Name != "Tuần 2" || len(weekly.Sheets[1].Rows) != 50_001 {
		t.Fatalf("downloaded export has %d sheets", len(weekly.Sheets))
	}
	lap("committee: background export")
}

// agency focal point of Lê Chân: its own figures, its communes, week by week, and
// its own participation report.
func (sc *staffScenario) agencyFocalPoint() {
	t := sc.t
	s, b, lap, leChan := sc.s, sc.b, sc.lap, sc.leChan
	const code = seed.DefaultCampaignCode
	b.login(agencyAccount(t, s, &leChan.ID))
	b.open("/don-vi")
	b.waitVisible("#agency-rounds-table")
	if got := b.text("#agency-name"); got != "UBND quận Lê Chân Chưa đạt" {
		t.Fatalf("agency page is about %q", got)
	}
	if got := b.text("#agency-rate"); got != "0,4%" {
		t.Fatalf("agency rate %q", got)
	}
	if got := b.cells("#agency-units-table", 1); len(got) != 4 || !strings.HasPrefix(got[0], "UBND quận Lê Chân") {
		t.Fatalf("units under the agency %q", got)
	}
	if got := b.rowWith("#agency-units-table", "UBND phường An Biên"); !strings.Contains(got, "1/23") {
		t.Fatalf("An Biên under Lê Chân %q", got)
	}
	if got := b.cells("#agency-rounds-table", 1); strings.Join(got, "|") != "Tuần thi số 1|Cả hội thi" {
		t.Fatalf("rounds of the agency %q", got)
	}
	name, data := b.reportDone("participation", "xlsx")
	if name != "participation-"+code+".xlsx" {
		t.Fatalf("participation saved as %q", name)
	}
	wb := openWorkbook(t, data)
	// Its four units, then the totals (the district's row already holds its wards), then nothing.
	for ref, want := range map[string]string{"C3": "UBND quận Lê Chân", "F3": "1", "G3": "249", "C7": "Tổng cộng", "F7": "1", "G7": "249", "C8": ""} {
		if got, _ := wb.GetCellValue("Toàn Hội thi", ref); got != want {
			t.Errorf("the focal point's workbook Toàn Hội thi!%s = %q, want %q", ref, got, want)
		}
	}
	b.assertAccessible("/don-vi")
	b.shootWidths("agency")
	b.assertNoProblems()
	lap("agency")
}

// The real error paths: what the API refuses is said on the page, and every section
// settles. A campaign code that does not exist (404 on every section and report), the
// network gone (a report), a re-import of the approved bank (every line unchanged), a clip received
// after the deadline (422), a score sheet sent after the committee closed scoring (409,
// every sheet then read-only), a focal point account with no agency (403).
func TestStaffPagesShowTheAPIsRefusals(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	const code = seed.DefaultCampaignCode
	committee, secretariat, jury := s.Staff(t, "committee"), s.Staff(t, "secretariat"), s.Staff(t, "jury")
	_, byCode := listAgencies(t, s)
	b := newBrowser(t, s.URL, 360, 740)
	notFound := committee.Do("GET", "/api/v1/campaigns/khong-co/participation", nil)
	var apiErr struct {
		Error struct{ Code, Message string }
	}
	notFound.JSON(t, &apiErr)
	if notFound.Status != http.StatusNotFound || apiErr.Error.Code != "campaign_not_found" {
		t.Fatalf("unknown campaign through the API: %d %s", notFound.Status, notFound.Body)
	}
	noCampaign := apiErr.Error.Message
	// hasMessage: the section settled on its empty state and the API's message.
	hasMessage := func(sel, empty, message string) {
		t.Helper()
		b.waitFor(sel+" settled", settled(sel), step)
		if got := b.text(sel); got != empty+message {
			t.Fatalf("%s says %q, want %q and the API's %q", sel, got, empty, message)
		}
	}
	const noData = "Chưa có dữ liệu"

	// ---- every staff page on a campaign that does not exist
	b.login(committee)
	b.open("/ban-to-chuc?campaign=khong-co")
	b.waitFor("campaign refused", settled("#campaign-summary"), step)
	if got := b.text("#campaign-summary"); got != "Không tìm thấy hội thi có mã khong-co." {
		t.Fatalf("campaign summary %q", got)
	}
	for _, sel := range []string{"#actions", "#rounds", "#ranking"} {
		b.waitFor(sel+" settled", settled(sel)+` && document.querySelector(`+js(sel)+`).textContent.includes("Chưa có dữ liệu")`, step)
	}
	for _, sel := range []string{"#participation", "#video-results", "#collective-results"} {
		hasMessage(sel, noData, noCampaign)
	}
	b.click("#report-final_summary-xlsx")
	b.waitFor("report refused", `document.querySelector("#report-status-final_summary").textContent === `+js(noCampaign), step)
	b.setOffline(true)
	b.click("#report-participation-json")
	b.waitFor("network error", `document.querySelector("#report-status-participation").textContent === "Không kết nối được với máy chủ. Vui lòng kiểm tra kết nối mạng và thử lại."`, step)
	b.setOffline(false)
	b.assertAccessible("/ban-to-chuc (unknown campaign)")
	b.screenshot("committee-unknown-campaign-360")

	b.login(secretariat)
	b.open("/thu-ky?campaign=khong-co")
	b.waitFor("sets settled", settled("#sets")+` && document.querySelector("#sets").textContent.includes("Chưa có dữ liệu")`, step)
	hasMessage("#questions", noData, "") // no campaign, no round to ask for
	hasMessage("#videos", noData, noCampaign)

	b.login(jury)
	b.open("/giam-khao?campaign=khong-co")
	hasMessage("#criteria", "Chưa có phiếu chấm (tiêu chí) cho hội thi này.", noCampaign)
	hasMessage("#clips", noData, noCampaign)
	b.assertAccessible("/giam-khao (unknown campaign)")

	// ---- secretariat, default campaign: its sets are approved, so re-importing the bank
	// answers "unchanged" for every line; a clip received after the deadline is refused (422).
	b.login(secretariat)
	b.open("/thu-ky")
	b.waitFor("videos settled", settled("#videos"), step)
	if got := b.text("#videos"); got != "Chưa có video clip nào được ghi nhận." {
		t.Fatalf("no clips yet, the page says %q", got)
	}
	csv, err := filepath.Abs("../internal/seed/data/questions.csv")
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{csv}))
	b.click("#import-submit")
	// The same bank again changes nothing, approved sets included: every line is unchanged.
	b.waitVisible("#import-result")
	if got := b.text("#import-result"); !strings.HasPrefix(got, "Đã nhập: 0 dòng tạo mới, 0 dòng cập nhật, ") || !strings.HasSuffix(got, " dòng không đổi, 0 dòng bị từ chối.") {
		t.Fatalf("re-import of the approved bank: %q", got)
	}
	// A late clip's receipt date is after the deadline but not in the future: the deadline
	// is moved two days back for this check, then forward again for the jury's clips below.
	s.PastVideoDeadline(t, 48*time.Hour)
	late := time.Now().AddDate(0, 0, -1).In(time.FixedZone("ICT", 7*3600))
	b.typeInto("#video-agency-search", "tư pháp")
	b.waitFor("agency filtered", `document.querySelector("#video-agency-count").textContent.startsWith("1 ")`, step)
	b.click(fmt.Sprintf(`label[for="video-agency-%d"]`, byCode["so-tu-phap"].ID))
	b.typeInto("#video-title-input", "Gửi muộn")
	b.typeInto("#video-duration", "3:00")
	b.typeDate("#video-received", late.Year(), int(late.Month()), late.Day())
	b.click("#video-submit")
	b.waitVisible("#video-error")
	if got := b.text("#video-error"); got != "Video clip được nhận sau hạn nộp nên không được ghi nhận." {
		t.Fatalf("late clip: %q", got)
	}
	b.assertAccessible("/thu-ky (refusals)")
	s.PastVideoDeadline(t, -7*24*time.Hour)

	// ---- jury: the page is open with two clips to score when the committee closes
	// scoring (recorded as the workflow records it at the jury stage); the sheet sent then
	// gets the API's 409 and no sheet can be filled any more.
	today := time.Now().In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	first := recordClip(t, secretariat, code, byCode["so-tu-phap"].ID, "Chứng thực điện tử", today)
	second := recordClip(t, secretariat, code, byCode["so-noi-vu"].ID, "Tuyển dụng công khai", today)
	b.login(jury)
	b.open("/giam-khao")
	b.waitVisible(fmt.Sprintf("#clip-%d form", second))
	var me struct{ ID int64 }
	committee.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
	campaignID := getCampaign(t, committee, code).ID
	if _, err := s.Store.RecordDecision(ctx, store.DecisionRecord{CampaignID: campaignID, Kind: contest.DecisionCloseJury,
		Outcome: contest.OutcomeDone, DecidedBy: me.ID, RequestID: "webtest-close-jury"}); err != nil {
		t.Fatal(err)
	}
	for c, v := range map[string]string{"noi_dung": "30", "sang_tao": "20", "ky_thuat": "15", "hinh_thuc": "8"} {
		b.typeInto(fmt.Sprintf("#score-%d-%s", first, c), v)
	}
	b.click(fmt.Sprintf("#score-submit-%d", first))
	b.waitFor("scoring closed", `document.querySelector(`+js(fmt.Sprintf("#clip-%d [role=alert]", first))+`).textContent === "Việc chấm video đã kết thúc."`, step)
	if !eval[bool](b, `[...document.querySelectorAll(".clip input")].every(i => i.disabled) && [...document.querySelectorAll(".clip button[type=submit]")].every(b => b.hidden) && !document.querySelector(".clip.is-scored")`) {
		t.Fatal("after the 409 jury_closed a sheet can still be filled, or one is shown as scored")
	}
	b.assertAccessible("/giam-khao (scoring closed)")
	b.screenshot("jury-closed-360")

	// ---- a focal point account attached to no agency: the API's 403, on the page and on
	// the report.
	b.login(agencyAccount(t, s, nil))
	b.open("/don-vi")
	hasMessage("#agency-overall", noData, "Tài khoản đầu mối chưa được gắn với cơ quan, đơn vị nào.")
	b.click("#report-participation-xlsx")
	b.waitFor("report refused", `document.querySelector("#report-status-participation").textContent === "Tài khoản đầu mối chưa được gắn với cơ quan, đơn vị nào."`, step)
	b.assertAccessible("/don-vi (no agency)")
	b.assertNoProblems()
}
