//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

type collectiveRow struct {
	AgencyID           int64    `json:"agency_id"`
	AgencyName         string   `json:"agency_name"`
	Eligible           bool     `json:"eligible"`
	Reasons            []string `json:"reasons"`
	ZeroScoreWeeks     []int    `json:"zero_score_weeks"`
	Rank               int      `json:"rank"`
	Prize              string   `json:"prize"`
	CertificateOfMerit bool     `json:"certificate_of_merit"`
}

// sitAs registers a participant in an agency and has them answer `right` questions right.
func sitAs(t *testing.T, s *testenv.Stack, agencyID int64, right int) {
	t.Helper()
	c := s.NewClient(t)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Người dự thi", "date_of_birth": "1985-01-01", "phone": phone,
		"agency_id": agencyID, "position": "Chuyên viên", "password": "mat-khau-thi",
	})
	c.Login(phone, "mat-khau-thi")
	_, a := startCurrent(t, c)
	keys := s.CorrectKeys(t, a.AttemptID)
	for no := 1; no <= 10; no++ {
		choice := keys[no]
		if no > right {
			choice = wrongKey(keys[no])
		}
		c.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": choice})
	}
	c.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
}

// videoStaff is the campaign's staff in TestVideoEntriesJuryScoresAndCollectivePrizes:
// the secretariat records clips, two jurors score them, the committee reads the results.
type videoStaff struct {
	secretariat, committee, juror1, juror2 *testenv.Client
}

func TestVideoEntriesJuryScoresAndCollectivePrizes(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	secretariat, committee, juror1 := s.Staff(t, "secretariat"), s.Staff(t, "committee"), s.Staff(t, "jury")
	hash, err := auth.HashPassword("giam-khao-hai")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.CreateStaff(ctx, "Giám khảo thứ hai", "0911000009", hash, "jury"); err != nil {
		t.Fatal(err)
	}
	juror2 := s.NewClient(t)
	juror2.Login("0911000009", "giam-khao-hai")
	staff := videoStaff{secretariat: secretariat, committee: committee, juror1: juror1, juror2: juror2}

	// Four city departments: A, B and C enter clips, D does not.
	var ids []int64
	rows, err := s.Store.Pool().Query(ctx, `SELECT id FROM agencies WHERE category = 'city_department' ORDER BY id LIMIT 4`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	A, B, C, D := ids[0], ids[1], ids[2], ids[3]
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE agencies SET headcount = CASE id WHEN $1 THEN 2 WHEN $2 THEN 4 WHEN $3 THEN 10 ELSE 5 END WHERE id = ANY($4)`,
		A, B, C, ids); err != nil {
		t.Fatal(err)
	}
	clipA := recordVideoEntries(t, s, staff, ids)
	scoreVideoEntries(t, staff, clipA, ids)

	// The quiz: A 8 right; B has someone with 0; C 5 right; D 9 right but no clip.
	sitAs(t, s, A, 8)
	sitAs(t, s, B, 7)
	sitAs(t, s, B, 0)
	sitAs(t, s, C, 5)
	sitAs(t, s, D, 9)

	byAgency := checkVideoAndCollectiveResults(t, s, staff, ids)
	checkStandingsWorkbooks(t, committee, byAgency, ids)
}

// recordVideoEntries records clips for A (two), B and C, checks that every refused entry
// stores nothing, and returns A's first clip, the one stored with its file.
func recordVideoEntries(t *testing.T, s *testenv.Stack, staff videoStaff, ids []int64) int64 {
	ctx := context.Background()
	code := seed.DefaultCampaignCode
	secretariat, committee, juror1 := staff.secretariat, staff.committee, staff.juror1
	A, B, C, D := ids[0], ids[1], ids[2], ids[3]
	// Receipt dates cannot lie in the future: the deadline is moved two days back, so a
	// date before it and one after it are both in the past.
	s.PastVideoDeadline(t, 48*time.Hour)
	onTime, late := daysAgo(t, 4), daysAgo(t, 1)
	clip := []byte("not really an mp4, but bytes to store and checksum")
	record := func(c *testenv.Client, agency int64, title, duration, received, fileName string, file []byte) testenv.Response {
		fields := map[string]string{"agency_id": fmt.Sprint(agency), "title": title, "format": "report", "duration": duration, "received_on": received}
		if fileName == "" {
			return c.Multipart("/api/v1/campaigns/"+code+"/videos", fields, "", "", nil)
		}
		return c.Multipart("/api/v1/campaigns/"+code+"/videos", fields, "file", fileName, file)
	}

	var created struct {
		ID         int64  `json:"id"`
		FileSHA256 string `json:"file_sha256"`
	}
	r := record(secretariat, A, "Một cửa số", "7:00", onTime, "../../etc/passwd.mp4", clip)
	if r.Status != http.StatusCreated {
		t.Fatalf("record clip A: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &created)
	sum := sha256.Sum256(clip)
	if created.FileSHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("checksum %s", created.FileSHA256)
	}
	clipA := created.ID
	for _, c := range []struct {
		agency int64
		title  string
	}{{A, "Dịch vụ công trực tuyến"}, {B, "Cán bộ thân thiện"}, {C, "Chuyển đổi số phường"}} {
		if r := record(secretariat, c.agency, c.title, "5:30", onTime, "", nil); r.Status != http.StatusCreated {
			t.Fatalf("record %s: %d %s", c.title, r.Status, r.Body)
		}
	}
	var before int
	_ = s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM video_entries`).Scan(&before)
	bad := []struct {
		name   string
		client *testenv.Client
		resp   testenv.Response
		status int
		code   string
	}{
		{"late entry", secretariat, record(secretariat, D, "Muộn", "3:00", late, "", nil), 422, "video_late"},
		{"7:01 clip", secretariat, record(secretariat, D, "Dài", "7:01", onTime, "", nil), 422, "video_too_long"},
		{"bad duration", secretariat, record(secretariat, D, "Sai", "7:61", onTime, "", nil), 400, "invalid_field"},
		{"not a video file", secretariat, record(secretariat, D, "Tệp lạ", "3:00", onTime, "setup.exe", clip), 415, "unsupported_file"},
		{"file over the limit", secretariat, record(secretariat, D, "Lớn", "3:00", onTime, "big.mp4", make([]byte, 6<<20)), 413, "file_too_large"},
		{"jury may not record", juror1, record(juror1, D, "Giám khảo", "3:00", onTime, "", nil), 403, "forbidden"},
	}
	for _, b := range bad {
		if b.resp.Status != b.status || b.resp.ErrorCode() != b.code {
			t.Errorf("%s: %d %s, want %d %s", b.name, b.resp.Status, b.resp.Body, b.status, b.code)
		}
	}
	var after int
	_ = s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM video_entries`).Scan(&after)
	if after != before {
		t.Fatalf("refused entries were stored: %d → %d", before, after)
	}
	if got := committee.Get(fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/file", code, clipA)); got.Status != 200 || string(got.Body) != string(clip) {
		t.Fatalf("download: %d %q", got.Status, got.Body)
	}
	return clipA
}

// scoreVideoEntries has both jurors score every clip, refusing a second sheet, a score
// above the maximum and a committee member's sheet; before the close no results show.
func scoreVideoEntries(t *testing.T, staff videoStaff, clipA int64, ids []int64) {
	code := seed.DefaultCampaignCode
	committee, juror1, juror2 := staff.committee, staff.juror1, staff.juror2
	A, B := ids[0], ids[1]
	var videos []struct {
		ID       int64 `json:"id"`
		AgencyID int64 `json:"agency_id"`
	}
	juror1.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/videos", nil).JSON(t, &videos)
	if len(videos) != 4 {
		t.Fatalf("%d clips listed", len(videos))
	}
	// Jurors' totals: A's first clip 90 and 80, A's second 60, B 85 and 85, C 70 and 70.
	sheet := func(total float64) map[string]any {
		return map[string]any{"points": map[string]float64{"noi_dung": total * 0.4, "sang_tao": total * 0.3, "ky_thuat": total * 0.2, "hinh_thuc": total * 0.1}}
	}
	scores := map[int64][2]float64{}
	for _, v := range videos {
		switch {
		case v.ID == clipA:
			scores[v.ID] = [2]float64{90, 80}
		case v.AgencyID == A:
			scores[v.ID] = [2]float64{60, 60}
		case v.AgencyID == B:
			scores[v.ID] = [2]float64{85, 85}
		default:
			scores[v.ID] = [2]float64{70, 70}
		}
	}
	for id, pair := range scores {
		juror1.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, id), sheet(pair[0]))
	}
	// Twice, above the maximum, or from a non-juror: refused and nothing changes.
	if r := juror1.Do("POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, clipA), sheet(10)); r.Status != 409 || r.ErrorCode() != "already_scored" {
		t.Fatalf("second score: %d %s", r.Status, r.Body)
	}
	over := map[string]any{"points": map[string]float64{"noi_dung": 41, "sang_tao": 1, "ky_thuat": 1, "hinh_thuc": 1}}
	if r := juror2.Do("POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, clipA), over); r.Status != 422 || r.ErrorCode() != "score_out_of_range" {
		t.Fatalf("score above the maximum: %d %s", r.Status, r.Body)
	}
	if r := committee.Do("POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, clipA), sheet(50)); r.Status != 403 {
		t.Fatalf("committee scoring: %d %s", r.Status, r.Body)
	}
	for id, pair := range scores {
		juror2.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/scores", code, id), sheet(pair[1]))
	}
	// Until the jury closes, a juror sees their own sheets only and no results.
	var own []struct {
		JurorID int64 `json:"juror_id"`
	}
	juror1.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/jury/scores", nil).JSON(t, &own)
	if len(own) != 4 {
		t.Fatalf("juror sees %d sheets, want their own 4", len(own))
	}
	for _, c := range []*testenv.Client{juror1, committee} {
		if r := c.Do("GET", "/api/v1/campaigns/"+code+"/video-results", nil); r.Status != http.StatusConflict || r.ErrorCode() != "results_not_open" {
			t.Fatalf("reading results before the close: %d %s", r.Status, r.Body)
		}
	}
}

// checkVideoAndCollectiveResults waits for the jury to close and checks the video
// ranking and the collective prizes with their reasons; it returns the collective rows
// by agency.
func checkVideoAndCollectiveResults(t *testing.T, s *testenv.Stack, staff videoStaff, ids []int64) map[int64]collectiveRow {
	code := seed.DefaultCampaignCode
	secretariat, committee := staff.secretariat, staff.committee
	A, B, C, D := ids[0], ids[1], ids[2], ids[3]
	// Every juror scored every clip: the jury stage closes by itself when it begins.
	s.ToJuryScoring(t, committee)
	waitFor(t, 15*time.Second, "the jury to close", func() bool {
		return committee.Do("GET", "/api/v1/campaigns/"+code+"/video-results", nil).Status == http.StatusOK
	})
	var video struct {
		Complete bool `json:"complete"`
		Rows     []struct {
			AgencyID int64   `json:"agency_id"`
			Score    float64 `json:"score"`
			Rank     int     `json:"rank"`
			Prize    string  `json:"prize"`
		} `json:"rows"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/video-results", nil).JSON(t, &video)
	if !video.Complete || len(video.Rows) != 4 || video.Rows[0].AgencyID != A || video.Rows[0].Score != 85 ||
		video.Rows[1].AgencyID != B || video.Rows[1].Rank != 1 || video.Rows[1].Prize != "second" {
		t.Fatalf("video results %+v", video)
	}

	var collective struct {
		Rows []collectiveRow `json:"rows"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/collective-results", nil).JSON(t, &collective)
	byAgency := map[int64]collectiveRow{}
	for _, row := range collective.Rows {
		byAgency[row.AgencyID] = row
	}
	if a := byAgency[A]; !a.Eligible || a.Prize != "first" || !a.CertificateOfMerit || a.Rank != 1 {
		t.Fatalf("agency A (rate 1/2): %+v", a)
	}
	if c := byAgency[C]; !c.Eligible || c.Prize != "second" || c.CertificateOfMerit {
		t.Fatalf("agency C (rate 1/10): %+v", c)
	}
	if b := byAgency[B]; b.Eligible || !slices.Equal(b.Reasons, []string{rules.ReasonZeroScore}) || !slices.Equal(b.ZeroScoreWeeks, []int{1}) {
		t.Fatalf("agency B: %+v", b)
	}
	if d := byAgency[D]; d.Eligible || !slices.Equal(d.Reasons, []string{rules.ReasonNoVideo}) {
		t.Fatalf("agency D: %+v", d)
	}
	if r := secretariat.Do("GET", "/api/v1/campaigns/"+code+"/collective-results", nil); r.Status != 403 {
		t.Fatalf("secretariat reading collective results: %d", r.Status)
	}
	return byAgency
}

// checkStandingsWorkbooks checks the committee's collective and video workbooks cell by
// cell against the same standings.
func checkStandingsWorkbooks(t *testing.T, committee *testenv.Client, byAgency map[int64]collectiveRow, ids []int64) {
	code := seed.DefaultCampaignCode
	A, B, C, D := ids[0], ids[1], ids[2], ids[3]
	// The same standings as the committee's workbook, checked cell by cell.
	wb := committee.Get("/api/v1/campaigns/" + code + "/reports/collective_results.xlsx")
	if wb.Status != http.StatusOK {
		t.Fatalf("collective workbook: %d %s", wb.Status, wb.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(wb.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cellOf := func(sheet, ref string) string {
		v, err := f.GetCellValue(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	name := func(id int64) string { return byAgency[id].AgencyName }
	want := map[string]string{
		"A3": "1", "B3": "Giải Nhất", "C3": name(A), "G3": "Có",
		"A4": "2", "B4": "Giải Nhì", "C4": name(C), "G4": "",
	}
	for ref, v := range want {
		if got := cellOf("Giải tập thể", ref); got != v {
			t.Errorf("Giải tập thể!%s = %q, want %q", ref, got, v)
		}
	}
	if got := cellOf("Giải tập thể", "A5"); got != "" {
		t.Errorf("a third eligible agency in the workbook: %q", got)
	}
	excludedReasons := map[string]string{}
	for row := 3; ; row++ {
		agency := cellOf("Không đủ điều kiện", fmt.Sprintf("A%d", row))
		if agency == "" {
			break
		}
		excludedReasons[agency] = cellOf("Không đủ điều kiện", fmt.Sprintf("B%d", row))
	}
	if excludedReasons[name(B)] != "Có người dự thi đạt 0 điểm trong tuần 1" || excludedReasons[name(D)] != "Không tham gia thi video clip" {
		t.Fatalf("exclusion reasons in the workbook: B %q, D %q", excludedReasons[name(B)], excludedReasons[name(D)])
	}
	videoBook := committee.Get("/api/v1/campaigns/" + code + "/reports/video_results.xlsx")
	vf, err := excelize.OpenReader(bytes.NewReader(videoBook.Body))
	if err != nil {
		t.Fatalf("video workbook: %v (%d)", err, videoBook.Status)
	}
	defer vf.Close()
	for ref, v := range map[string]string{"A3": "1", "B3": "Giải Nhất", "C3": name(A), "E3": "85", "A4": "1", "B4": "Giải Nhì", "C4": name(B), "G3": "Có"} {
		if got, _ := vf.GetCellValue("Video clip", ref); got != v {
			t.Errorf("Video clip!%s = %q, want %q", ref, got, v)
		}
	}
}
