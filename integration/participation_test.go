//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
)

type participationRow struct {
	AgencyID          int64   `json:"agency_id"`
	Code              string  `json:"code"`
	Name              string  `json:"name"`
	Category          string  `json:"category"`
	ParentID          *int64  `json:"parent_id"`
	Participants      int     `json:"participants"`
	Headcount         int     `json:"headcount"`
	Rate              float64 `json:"rate"`
	Threshold         float64 `json:"threshold"`
	MeetsTarget       bool    `json:"meets_target"`
	RolledUp          bool    `json:"rolled_up"`
	HeadcountIsSample bool    `json:"headcount_is_sample"`
}

type participationAnswer struct {
	Campaign string             `json:"campaign"`
	Round    *int               `json:"round"`
	AgencyID *int64             `json:"agency_id"`
	Rows     []participationRow `json:"rows"`
}

func (a participationAnswer) byCode() map[string]participationRow {
	out := map[string]participationRow{}
	for _, r := range a.Rows {
		out[r.Code] = r
	}
	return out
}

type headcountChange struct {
	OldHeadcount int    `json:"old_headcount"`
	NewHeadcount int    `json:"new_headcount"`
	OldWasSample bool   `json:"old_was_sample"`
	ChangedBy    string `json:"changed_by"`
	Source       string `json:"source"`
	Note         string `json:"note"`
}

type headcountHistory struct {
	Agency struct {
		Code              string `json:"code"`
		Headcount         int    `json:"headcount"`
		HeadcountIsSample bool   `json:"headcount_is_sample"`
	} `json:"agency"`
	Changes []headcountChange `json:"changes"`
}

func agencyIDsByCode(t *testing.T, s *testenv.Stack) map[string]int64 {
	t.Helper()
	agencies, err := s.Store.ListAgencies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, a := range agencies {
		out[a.Code] = a.ID
	}
	return out
}

func roundIDByNumber(t *testing.T, s *testenv.Stack, number int) int64 {
	t.Helper()
	var id int64
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT r.id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.code = $1 AND r.number = $2`,
		s.Campaign.Code, number).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// insertParticipant creates a participant account in an agency, without a password anyone
// could log in with: for counting, sitting is a results row.
func insertParticipant(t *testing.T, s *testenv.Stack, agencyID int64, name string) int64 {
	t.Helper()
	id, err := s.Store.CreateUser(context.Background(), store.NewUser{FullName: name, Phone: testenv.UniquePhone(),
		AgencyID: &agencyID, PasswordHash: "not-a-hash", Role: contest.RoleParticipant})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// insertResult records a finished attempt of a participant in a round, as the exam engine
// would have: the attempt closed and its result, with the agency the participant had.
func insertResult(t *testing.T, s *testenv.Stack, roundID, participantID, agencyID int64, correct int, timeUsed time.Duration, finished time.Time) {
	t.Helper()
	_, err := s.Store.Pool().Exec(context.Background(), `
		WITH a AS (
			INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
			VALUES ($1, $2, (SELECT count(*) + 1 FROM attempts WHERE round_id = $1 AND participant_id = $2), 'submitted',
			        $5::timestamptz - $4 * interval '1 millisecond', $5::timestamptz + interval '1 hour', $5, 1)
			RETURNING id)
		INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count,
		                     prediction, time_used_ms, finished_at, auto_submitted)
		SELECT id, $1, $2, $3, $6, 10, 1, $4, $5, false FROM a`,
		roundID, participantID, agencyID, timeUsed.Milliseconds(), finished, correct)
	if err != nil {
		t.Fatal(err)
	}
}

// sitters creates n participants of an agency who each sat a round once.
func sitters(t *testing.T, s *testenv.Stack, roundID, agencyID int64, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = insertParticipant(t, s, agencyID, fmt.Sprintf("Thí sinh %d-%d", agencyID, i))
		insertResult(t, s, roundID, ids[i], agencyID, 5, 100*time.Second, time.Now())
	}
	return ids
}

// focalPoint creates and logs in the focal point (role agency) of an agency.
func focalPoint(t *testing.T, s *testenv.Stack, agencyID int64) *testenv.Client {
	t.Helper()
	hash, err := auth.HashPassword("dau-moi-2023")
	if err != nil {
		t.Fatal(err)
	}
	phone := testenv.UniquePhone()
	if _, err := s.Store.CreateUser(context.Background(), store.NewUser{FullName: "Đầu mối cơ quan", Phone: phone,
		AgencyID: &agencyID, PasswordHash: hash, Role: contest.RoleAgency}); err != nil {
		t.Fatal(err)
	}
	c := s.NewClient(t)
	c.Login(phone, "dau-moi-2023")
	return c
}

// registerIn registers a participant in an agency through the API and logs them in.
func registerIn(t *testing.T, s *testenv.Stack, agencyID int64) *testenv.Client {
	t.Helper()
	c := s.NewClient(t)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Phạm Thị Thi", "date_of_birth": "1986-03-02", "phone": phone,
		"agency_id": agencyID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})
	c.Login(phone, "mat-khau-thu")
	return c
}

// uploadHeadcounts posts a headcount file as a browser form would.
func uploadHeadcounts(t *testing.T, c *testenv.Client, fileName string, data []byte, note string) testenv.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if note != "" {
		if err := w.WriteField("note", note); err != nil {
			t.Fatal(err)
		}
	}
	if fileName != "" {
		fw, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", c.Base+"/api/v1/agencies/headcounts", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return testenv.Response{Status: resp.StatusCode, Body: b}
}

func getParticipation(t *testing.T, c *testenv.Client, code, query string) participationAnswer {
	t.Helper()
	var a participationAnswer
	c.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/participation"+query, nil).JSON(t, &a)
	return a
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// checkRow compares an agency's participation with what it should be.
func checkRow(t *testing.T, what string, rows map[string]participationRow, code string, participants, headcount int, threshold float64, meets, rolledUp bool) {
	t.Helper()
	r, ok := rows[code]
	if !ok {
		t.Fatalf("%s: no row for %s", what, code)
	}
	rate := float64(participants) / float64(headcount)
	if r.Participants != participants || r.Headcount != headcount || !near(r.Rate, rate) || !near(r.Threshold, threshold) ||
		r.MeetsTarget != meets || r.RolledUp != rolledUp {
		t.Fatalf("%s: %s = %+v, want %d/%d (%.4f) against %.2f, meets %v, rolled up %v",
			what, code, r, participants, headcount, rate, threshold, meets, rolledUp)
	}
}

// TestParticipationRatesRollUpCommunesAgainstCampaignThresholds: a few agencies with real
// headcounts (imported and corrected through the API), participants who sat (one through
// the exam API, the others as results rows) in weeks 1 and 2; the committee reads each
// agency's rate per week and overall, against the thresholds of the campaign's settings,
// with the district rolling up its communes; a focal point sees only their own district.
func TestParticipationRatesRollUpCommunesAgainstCampaignThresholds(t *testing.T) {
	s := testenv.New(t, testenv.Options{ScoreAtSubmit: true})
	ctx := context.Background()
	code := s.Campaign.Code
	committee := s.Staff(t, "committee")
	ag := agencyIDsByCode(t, s)
	const (
		dept, central, district = "so-tu-phap", "bhxh-tp", "q-hong-bang"
		hvt, mk, sd             = "q-hong-bang-p-hoang-van-thu", "q-hong-bang-p-minh-khai", "q-hong-bang-p-so-dau"
	)

	// Real headcounts replace the seeded samples: the district, its communes and a central
	// agency by import, the department by a correction.
	csv := "code,headcount\n" + district + ",10\n" + hvt + ",4\n" + mk + ",3\n" + sd + ",3\n" + central + ",4\n"
	if r := uploadHeadcounts(t, committee, "bien-che.csv", []byte(csv), "Số liệu Sở Nội vụ"); r.Status != http.StatusOK {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag[dept]), map[string]any{"headcount": 5, "note": "Theo quyết định giao biên chế"})

	round1, round2 := roundIDByNumber(t, s, 1), roundIDByNumber(t, s, 2)
	// One participant of the department sits week 1 through the exam API.
	p := registerIn(t, s, ag[dept])
	_, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	for no := 1; no <= 10; no++ {
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]})
	}
	var res result
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	if res.CorrectCount != 10 {
		t.Fatalf("submitted %+v", res)
	}
	// The others: week 1 and week 2. One of the department sits both weeks and counts once overall.
	deptWeek1 := sitters(t, s, round1, ag[dept], 2)
	insertResult(t, s, round2, deptWeek1[0], ag[dept], 7, 90*time.Second, time.Now())
	sitters(t, s, round2, ag[dept], 1)
	sitters(t, s, round1, ag[central], 2)
	sitters(t, s, round1, ag[district], 5)
	sitters(t, s, round2, ag[district], 4)
	sitters(t, s, round1, ag[hvt], 3)
	sitters(t, s, round2, ag[hvt], 1)
	sitters(t, s, round1, ag[sd], 2)
	// A participant who moved agency after sitting counts for the agency they sat for.
	moved := sitters(t, s, round1, ag[sd], 1)[0]
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE users SET agency_id = $2 WHERE id = $1`, moved, ag[mk]); err != nil {
		t.Fatal(err)
	}
	sdWeek1 := 3

	overall := getParticipation(t, committee, code, "").byCode()
	checkRow(t, "overall", overall, dept, 4, 5, 0.7, true, false)
	checkRow(t, "overall", overall, central, 2, 4, 0.5, true, false)
	checkRow(t, "overall", overall, district, 5+4+3+1+sdWeek1, 10+4+3+3, 0.7, true, true)
	checkRow(t, "overall", overall, hvt, 4, 4, 0.7, true, false)
	checkRow(t, "overall", overall, sd, sdWeek1, 3, 0.7, true, false)
	if r := overall[mk]; r.Participants != 0 || r.Rate != 0 || r.MeetsTarget || r.Headcount != 3 {
		t.Fatalf("commune where nobody sat: %+v", r)
	}
	if overall[district].HeadcountIsSample || overall[dept].HeadcountIsSample || !overall["so-noi-vu"].HeadcountIsSample {
		t.Fatalf("sample marks: district %v, department %v, untouched %v", overall[district].HeadcountIsSample,
			overall[dept].HeadcountIsSample, overall["so-noi-vu"].HeadcountIsSample)
	}
	if overall[hvt].ParentID == nil || *overall[hvt].ParentID != ag[district] || overall[district].ParentID != nil {
		t.Fatalf("parents: %+v %+v", overall[hvt], overall[district])
	}

	week1 := getParticipation(t, committee, code, "?round=1")
	if week1.Round == nil || *week1.Round != 1 {
		t.Fatalf("week 1 answer names round %v", week1.Round)
	}
	w1 := week1.byCode()
	checkRow(t, "week 1", w1, dept, 3, 5, 0.7, false, false)
	checkRow(t, "week 1", w1, central, 2, 4, 0.5, true, false)
	checkRow(t, "week 1", w1, district, 5+3+sdWeek1, 20, 0.7, false, true)
	checkRow(t, "week 1", w1, hvt, 3, 4, 0.7, true, false)
	w2 := getParticipation(t, committee, code, "?round=2").byCode()
	checkRow(t, "week 2", w2, dept, 2, 5, 0.7, false, false)
	checkRow(t, "week 2", w2, district, 5, 20, 0.7, false, true)
	if w2[central].Participants != 0 || w2[central].MeetsTarget {
		t.Fatalf("week 2 central %+v", w2[central])
	}

	// The thresholds are campaign data: raising the central agencies' target changes the verdict.
	if _, err := s.Store.Pool().Exec(ctx, `
		UPDATE campaigns SET settings = jsonb_set(settings, '{participation_thresholds,central}', '0.6') WHERE code = $1`, code); err != nil {
		t.Fatal(err)
	}
	checkRow(t, "raised target", getParticipation(t, committee, code, "").byCode(), central, 2, 4, 0.6, false, false)

	// The committee can narrow the answer to one district and its communes.
	only := getParticipation(t, committee, code, fmt.Sprintf("?agency_id=%d", ag[district]))
	if len(only.Rows) != 4 || only.Rows[0].Code != district || only.AgencyID == nil || *only.AgencyID != ag[district] {
		t.Fatalf("district subtree: %+v", only)
	}

	// The district's focal point sees the district and its communes, nothing else.
	focal := focalPoint(t, s, ag[district])
	mine := getParticipation(t, focal, code, "")
	if len(mine.Rows) != 4 {
		t.Fatalf("focal point sees %d rows", len(mine.Rows))
	}
	checkRow(t, "focal point", mine.byCode(), district, 5+4+3+1+sdWeek1, 20, 0.7, true, true)
	if one := getParticipation(t, focal, code, fmt.Sprintf("?round=1&agency_id=%d", ag[hvt])); len(one.Rows) != 1 || one.Rows[0].Code != hvt {
		t.Fatalf("focal point's commune: %+v", one)
	}

	// Errors: unknown round, malformed queries, unknown campaign, unknown agency.
	for _, q := range []struct {
		query  string
		status int
		code   string
	}{
		{"?round=9", http.StatusNotFound, "round_not_found"},
		{"?round=0", http.StatusBadRequest, "invalid_query"},
		{"?round=abc", http.StatusBadRequest, "invalid_query"},
		{"?agency_id=-1", http.StatusBadRequest, "invalid_query"},
		{"?agency_id=99999", http.StatusNotFound, "agency_not_found"},
	} {
		r := committee.Do("GET", "/api/v1/campaigns/"+code+"/participation"+q.query, nil)
		if r.Status != q.status || r.ErrorCode() != q.code {
			t.Errorf("%s: %d %s, want %d %s", q.query, r.Status, r.Body, q.status, q.code)
		}
	}
	if r := committee.Do("GET", "/api/v1/campaigns/khong-co/participation", nil); r.Status != http.StatusNotFound || r.ErrorCode() != "campaign_not_found" {
		t.Fatalf("unknown campaign: %d %s", r.Status, r.Body)
	}
}

// TestFocalPointCannotReadOrChangeAnotherAgency: a focal point asking for another agency's
// participation, or trying the committee's headcount endpoints, reports and exports, is
// refused with 403, and nothing changes.
func TestFocalPointCannotReadOrChangeAnotherAgency(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	code := s.Campaign.Code
	ag := agencyIDsByCode(t, s)
	focal := focalPoint(t, s, ag["q-hong-bang"])
	before := headcountSnapshot(t, s)
	var exportsBefore int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM exports`).Scan(&exportsBefore); err != nil {
		t.Fatal(err)
	}

	refusals := []struct {
		method, path string
		body         any
	}{
		{"GET", fmt.Sprintf("/api/v1/campaigns/%s/participation?agency_id=%d", code, ag["so-tu-phap"]), nil},
		{"GET", fmt.Sprintf("/api/v1/campaigns/%s/participation?agency_id=%d", code, ag["q-le-chan-p-an-bien"]), nil},
		{"GET", fmt.Sprintf("/api/v1/campaigns/%s/participation?round=1&agency_id=%d", code, ag["q-le-chan"]), nil},
		{"GET", "/api/v1/campaigns/" + code + "/reports/weekly_results.xlsx", nil},
		{"GET", "/api/v1/campaigns/" + code + "/reports/final_summary.json", nil},
		{"PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["q-hong-bang"]), map[string]any{"headcount": 999}},
		{"PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), map[string]any{"headcount": 1}},
		{"GET", fmt.Sprintf("/api/v1/agencies/%d/headcount-history", ag["q-hong-bang"]), nil},
		{"POST", "/api/v1/campaigns/" + code + "/exports", map[string]any{"kind": "participation", "format": "xlsx"}},
		{"GET", "/api/v1/exports/1", nil},
	}
	for _, r := range refusals {
		resp := focal.Do(r.method, r.path, r.body)
		if resp.Status != http.StatusForbidden || resp.ErrorCode() != "forbidden" {
			t.Errorf("%s %s as a focal point: %d %s, want 403 forbidden", r.method, r.path, resp.Status, resp.Body)
		}
	}
	if r := uploadHeadcounts(t, focal, "bien-che.csv", []byte("code,headcount\nq-hong-bang,999\n"), ""); r.Status != http.StatusForbidden {
		t.Errorf("focal point importing: %d %s", r.Status, r.Body)
	}
	// A participant and the jury are refused too.
	if r := s.Participant(t).Do("GET", "/api/v1/campaigns/"+code+"/participation", nil); r.Status != http.StatusForbidden {
		t.Errorf("participant reading participation: %d %s", r.Status, r.Body)
	}
	if r := s.Staff(t, "jury").Do("GET", "/api/v1/campaigns/"+code+"/reports/participation.json", nil); r.Status != http.StatusForbidden {
		t.Errorf("jury reading a report: %d %s", r.Status, r.Body)
	}
	if after := headcountSnapshot(t, s); after != before {
		t.Fatalf("refused requests changed headcounts:\n%s\n%s", before, after)
	}
	var exportsAfter int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM exports`).Scan(&exportsAfter); err != nil {
		t.Fatal(err)
	}
	if exportsAfter != exportsBefore {
		t.Fatalf("a refused export was recorded")
	}
	// Their own scope still works, for the participation report as well.
	if r := focal.Do("GET", "/api/v1/campaigns/"+code+"/reports/participation.json", nil); r.Status != http.StatusOK || strings.Contains(string(r.Body), "Sở Tư pháp") {
		t.Fatalf("focal point's participation report: %d %.300s", r.Status, r.Body)
	}
}

// headcountSnapshot renders every agency's headcount and sample mark, and the history's
// length: equal snapshots mean nothing changed.
func headcountSnapshot(t *testing.T, s *testenv.Stack) string {
	t.Helper()
	var snap string
	if err := s.Store.Pool().QueryRow(context.Background(), `
		SELECT string_agg(code || '=' || headcount || ':' || headcount_is_sample, ',' ORDER BY code)
		       || ' history=' || (SELECT count(*) FROM headcount_changes)
		FROM agencies`).Scan(&snap); err != nil {
		t.Fatal(err)
	}
	return snap
}

func headcountWorkbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, cells := range rows {
		if cells == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHeadcountImportAndCorrectionKeepHistory imports headcounts from an Excel workbook and
// a CSV file, corrects one, reads the history; every malformed import or correction is a
// clear 4xx naming the wrong line and changes nothing.
func TestHeadcountImportAndCorrectionKeepHistory(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	committee := s.Staff(t, "committee")
	ag := agencyIDsByCode(t, s)
	history := func(code string) headcountHistory {
		t.Helper()
		var h headcountHistory
		committee.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/agencies/%d/headcount-history", ag[code]), nil).JSON(t, &h)
		return h
	}

	// An Excel workbook with a title column and a blank row.
	xlsx := headcountWorkbook(t, [][]any{
		{"Tên đơn vị", "code", "headcount"},
		{"Sở Tư pháp", "so-tu-phap", 58},
		nil,
		{"Sở Nội vụ", "so-noi-vu", 112},
	})
	var sum struct{ Rows, Changed, Unchanged int }
	r := uploadHeadcounts(t, committee, "bien-che-2023.xlsx", xlsx, "Báo cáo biên chế 2023")
	if r.Status != http.StatusOK {
		t.Fatalf("xlsx import: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &sum)
	if sum.Rows != 2 || sum.Changed != 2 {
		t.Fatalf("xlsx import summary %+v", sum)
	}
	h := history("so-tu-phap")
	if h.Agency.Headcount != 58 || h.Agency.HeadcountIsSample || len(h.Changes) != 1 {
		t.Fatalf("after xlsx import: %+v", h)
	}
	if c := h.Changes[0]; c.OldHeadcount != 55 || c.NewHeadcount != 58 || !c.OldWasSample || c.Source != "import" ||
		c.Note != "Báo cáo biên chế 2023" || c.ChangedBy != "Ban Tổ chức (demo)" {
		t.Fatalf("import history entry %+v", c)
	}

	// A CSV import (semicolons, as Vietnamese Excel saves it) with one unchanged figure.
	r = uploadHeadcounts(t, committee, "bien-che.csv", []byte("code;headcount\nso-tu-phap;58\nso-tai-chinh;90\n"), "")
	if r.Status != http.StatusOK {
		t.Fatalf("csv import: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &sum)
	if sum.Rows != 2 || sum.Changed != 1 || sum.Unchanged != 1 || len(history("so-tu-phap").Changes) != 1 {
		t.Fatalf("csv import summary %+v", sum)
	}

	// A correction, one by one, with its note; the history lists it first.
	var corr struct {
		Agency  struct{ Headcount int }
		Changed bool
		Change  *headcountChange
	}
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]),
		map[string]any{"headcount": 60, "note": "Bổ sung 2 biên chế"}).JSON(t, &corr)
	if !corr.Changed || corr.Agency.Headcount != 60 || corr.Change == nil || corr.Change.Source != "correction" || corr.Change.OldHeadcount != 58 {
		t.Fatalf("correction %+v", corr)
	}
	h = history("so-tu-phap")
	if len(h.Changes) != 2 || h.Changes[0].Source != "correction" || h.Changes[0].Note != "Bổ sung 2 biên chế" || h.Changes[1].Source != "import" {
		t.Fatalf("history after correction %+v", h.Changes)
	}
	// Correcting a sample figure to the same number confirms it: the mark goes, history says so.
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-y-te"]), map[string]any{"headcount": 120}).JSON(t, &corr)
	if h := history("so-y-te"); !corr.Changed || h.Agency.HeadcountIsSample || len(h.Changes) != 1 || !h.Changes[0].OldWasSample {
		t.Fatalf("confirmed sample: %+v %+v", corr, h)
	}
	// The same figure again changes and records nothing.
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), map[string]any{"headcount": 60}).JSON(t, &corr)
	if corr.Changed || corr.Change != nil || len(history("so-tu-phap").Changes) != 2 {
		t.Fatalf("unchanged correction %+v", corr)
	}

	// Bad input: a clear 4xx, the wrong line named, nothing changed.
	before := headcountSnapshot(t, s)
	big := append([]byte("code,headcount\n"), bytes.Repeat([]byte("so-tu-phap,1\n"), 2<<20/13+1)...)
	imports := []struct {
		name, file string
		data       []byte
		status     int
		code, says string
	}{
		{"unknown code after good lines", "a.csv", []byte("code,headcount\nso-tu-phap,61\nso-khong-co,5\nso-y-te,3\n"), 422, "invalid_import_row", `Dòng 3: không có cơ quan, đơn vị nào mã \"so-khong-co\"`},
		{"negative", "a.csv", []byte("code,headcount\nso-tu-phap,61\nso-y-te,-3\n"), 422, "invalid_import_row", "Dòng 3"},
		{"not a number", "a.csv", []byte("code,headcount\nso-tu-phap,sáu mươi\n"), 422, "invalid_import_row", "Dòng 2"},
		{"duplicate", "a.csv", []byte("code,headcount\nso-tu-phap,61\nso-y-te,3\nso-tu-phap,62\n"), 422, "invalid_import_row", "Dòng 4"},
		{"no header", "a.csv", []byte("so-tu-phap,61\n"), 422, "invalid_import_row", "Dòng 1"},
		{"header only", "a.csv", []byte("code,headcount\n"), 422, "invalid_import", "không có dòng dữ liệu"},
		{"xlsx bad row", "a.xlsx", headcountWorkbook(t, [][]any{{"code", "headcount"}, {"so-tu-phap", 61}, {"so-y-te", 3}, {"so-xay-dung", 12.5}}), 422, "invalid_import_row", "Dòng 4"},
		{"xlsx unknown code", "a.xlsx", headcountWorkbook(t, [][]any{{"code", "headcount"}, {"so-tu-phap", 61}, nil, {"khong-co", 3}}), 422, "invalid_import_row", "Dòng 4"},
		{"broken xlsx", "a.xlsx", []byte("PK\x03\x04 not really"), 400, "invalid_file", ".xlsx"},
		{"old xls", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, 400, "invalid_file", ".xls"},
		{"not utf-8", "a.csv", []byte("code,headcount\nso-t\xf4-phap,61\n"), 400, "invalid_file", "UTF-8"},
		{"too large", "a.csv", big, 413, "file_too_large", "2 MiB"},
		{"far too large", "a.csv", bytes.Repeat(big, 3), 413, "file_too_large", "2 MiB"},
		{"no file", "", nil, 400, "file_required", "file"},
	}
	for _, c := range imports {
		r := uploadHeadcounts(t, committee, c.file, c.data, "")
		if r.Status != c.status || r.ErrorCode() != c.code || !strings.Contains(string(r.Body), c.says) {
			t.Errorf("%s: %d %s, want %d %s saying %q", c.name, r.Status, r.Body, c.status, c.code, c.says)
		}
	}
	if r := committee.Raw("POST", "/api/v1/agencies/headcounts", `{"code":"so-tu-phap","headcount":1}`); r.Status != http.StatusBadRequest || r.ErrorCode() != "file_required" {
		t.Errorf("JSON instead of a file: %d %s", r.Status, r.Body)
	}
	corrections := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"negative", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":-1}`, 400, "invalid_field"},
		{"too big", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":1000001}`, 400, "invalid_field"},
		{"missing", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"note":"x"}`, 400, "invalid_field"},
		{"string", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":"61"}`, 400, "invalid_field"},
		{"fraction", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":61.5}`, 400, "invalid_field"},
		{"unknown field", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":61,"code":"x"}`, 400, "unknown_field"},
		{"long note", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `{"headcount":61,"note":"` + strings.Repeat("a", 501) + `"}`, 400, "invalid_field"},
		{"not JSON", fmt.Sprintf("/api/v1/agencies/%d/headcount", ag["so-tu-phap"]), `headcount=61`, 400, "invalid_json"},
		{"unknown agency", "/api/v1/agencies/999999/headcount", `{"headcount":61}`, 404, "agency_not_found"},
		{"bad id", "/api/v1/agencies/abc/headcount", `{"headcount":61}`, 400, "invalid_path"},
	}
	for _, c := range corrections {
		r := committee.Raw("PUT", c.path, c.body)
		if r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("correction %s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
	}
	if r := committee.Do("GET", "/api/v1/agencies/999999/headcount-history", nil); r.Status != http.StatusNotFound || r.ErrorCode() != "agency_not_found" {
		t.Errorf("history of an unknown agency: %d %s", r.Status, r.Body)
	}
	if after := headcountSnapshot(t, s); after != before {
		t.Fatalf("bad input changed headcounts:\n%s\n%s", before, after)
	}
}
