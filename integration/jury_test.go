//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

const videosPath = "/api/v1/campaigns/" + seed.DefaultCampaignCode

type auditRow struct {
	ID       int64           `json:"id"`
	UserName string          `json:"user_name"`
	Role     string          `json:"role"`
	Route    string          `json:"route"`
	Status   int             `json:"status"`
	Details  json.RawMessage `json:"details"`
}

// auditWith waits for the newest audit entry whose details name the action, and decodes
// its details into v. The request log is written as the answer goes out, so it is polled.
func auditWith(t *testing.T, committee *testenv.Client, action string, v any) auditRow {
	t.Helper()
	var found auditRow
	waitFor(t, 10*time.Second, "an audit entry for "+action, func() bool {
		var rows []auditRow
		committee.Expect(http.StatusOK, "GET", "/api/v1/audit?limit=1000", nil).JSON(t, &rows)
		for _, r := range rows {
			var d struct {
				Action string `json:"action"`
			}
			if len(r.Details) > 0 && json.Unmarshal(r.Details, &d) == nil && d.Action == action {
				found = r
				return true
			}
		}
		return false
	})
	if err := json.Unmarshal(found.Details, v); err != nil {
		t.Fatal(err)
	}
	return found
}

// secondJuror adds a jury account and logs it in.
func secondJuror(t *testing.T, s *testenv.Stack) *testenv.Client {
	t.Helper()
	hash, err := auth.HashPassword("giam-khao-hai")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.CreateStaff(context.Background(), "Giám khảo thứ hai", "0911000009", hash, "jury"); err != nil {
		t.Fatal(err)
	}
	c := s.NewClient(t)
	c.Login("0911000009", "giam-khao-hai")
	return c
}

func cityDepartments(t *testing.T, s *testenv.Stack, n int) []int64 {
	t.Helper()
	rows, err := s.Store.Pool().Query(context.Background(), `SELECT id FROM agencies WHERE category = 'city_department' ORDER BY id LIMIT $1`, n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func recordClip(t *testing.T, c *testenv.Client, agency int64, title, received string) int64 {
	t.Helper()
	r := c.Multipart(videosPath+"/videos", map[string]string{"agency_id": fmt.Sprint(agency), "title": title,
		"format": "report", "duration": "5:00", "received_on": received}, "", "", nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("record %s: %d %s", title, r.Status, r.Body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &created)
	return created.ID
}

func fullSheet(total float64) map[string]any {
	return map[string]any{"points": map[string]float64{"noi_dung": total * 0.4, "sang_tao": total * 0.3, "ky_thuat": total * 0.2, "hinh_thuc": total * 0.1}}
}

// daysAgo is the date, in the campaign's zone, n days before now.
func daysAgo(t *testing.T, n int) string {
	return time.Now().AddDate(0, 0, -n).In(hcmZone(t)).Format("2006-01-02")
}

// TestJuryCloseNeedsEverySheetOrACommentedOverride: with two jurors and two clips, one
// juror scoring one clip (the clip that would rank first on one sheet), the committee's
// close is refused with the count of missing sheets, video and collective results are
// not shown, an override needs a comment and is audited with what was missing; after it
// the results are shown as provisional until the committee approves them.
// On the code before this change the close went through and the results were shown.
func TestJuryCloseNeedsEverySheetOrACommentedOverride(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	secretariat, committee, juror1 := s.Staff(t, "secretariat"), s.Staff(t, "committee"), s.Staff(t, "jury")
	_ = secondJuror(t, s)
	ids := cityDepartments(t, s, 2)
	s.PastVideoDeadline(t, time.Hour)
	clip1 := recordClip(t, secretariat, ids[0], "Một cửa thân thiện", daysAgo(t, 2))
	recordClip(t, secretariat, ids[1], "Dịch vụ công trực tuyến", daysAgo(t, 2))
	juror1.Expect(http.StatusCreated, "POST", fmt.Sprintf("%s/videos/%d/scores", videosPath, clip1), fullSheet(95))

	s.ToJuryScoring(t, committee)

	type progress struct {
		Expected int  `json:"expected"`
		Received int  `json:"received"`
		Missing  int  `json:"missing"`
		Complete bool `json:"complete"`
		Clips    []struct {
			EntryID           int64    `json:"entry_id"`
			Received          int      `json:"received"`
			Expected          int      `json:"expected"`
			MissingJurorNames []string `json:"missing_juror_names"`
		} `json:"clips"`
		Jurors []struct {
			Name         string  `json:"name"`
			Received     int     `json:"received"`
			MissingClips []int64 `json:"missing_clips"`
		} `json:"jurors"`
	}
	var p progress
	juror1.Expect(http.StatusOK, "GET", videosPath+"/jury/progress", nil).JSON(t, &p)
	if p.Expected != 4 || p.Received != 1 || p.Missing != 3 || p.Complete || len(p.Clips) != 2 || len(p.Jurors) != 2 {
		t.Fatalf("progress %+v", p)
	}
	if c := p.Clips[0]; c.EntryID != clip1 || c.Received != 1 || c.Expected != 2 || len(c.MissingJurorNames) != 1 || c.MissingJurorNames[0] != "Giám khảo thứ hai" {
		t.Fatalf("clip 1 progress %+v", c)
	}

	// Results are not shown while the jury scores, to anyone.
	for _, path := range []string{"/video-results", "/collective-results"} {
		if r := committee.Do("GET", videosPath+path, nil); r.Status != http.StatusConflict || r.ErrorCode() != "results_not_open" {
			t.Fatalf("%s before the close: %d %s", path, r.Status, r.Body)
		}
	}

	// The close is refused, saying how many sheets are missing; nothing is recorded.
	r := committee.Do("POST", videosPath+"/decisions", map[string]any{"kind": "close_jury", "outcome": "done"})
	if r.Status != http.StatusConflict || r.ErrorCode() != "jury_incomplete" || !strings.Contains(string(r.Body), "còn thiếu 3 phiếu chấm") {
		t.Fatalf("close with sheets missing: %d %s", r.Status, r.Body)
	}
	// An override without a reason is refused too.
	r = committee.Do("POST", videosPath+"/decisions", map[string]any{"kind": "close_jury", "outcome": "done", "override": true, "comment": "  "})
	if r.Status != http.StatusBadRequest || r.ErrorCode() != "comment_required" {
		t.Fatalf("override without a comment: %d %s", r.Status, r.Body)
	}
	var closed bool
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM decisions WHERE kind = 'close_jury')`).Scan(&closed); err != nil || closed {
		t.Fatalf("a refused close was recorded (%v)", err)
	}

	// The override with a reason closes scoring; the audit log keeps who, the reason and
	// every missing sheet.
	reason := "Giám khảo thứ hai ốm dài ngày, Ban Tổ chức quyết định kết thúc."
	committee.Expect(http.StatusOK, "POST", videosPath+"/decisions", map[string]any{"kind": "close_jury", "outcome": "done", "override": true, "comment": reason})
	var details struct {
		Comment       string `json:"comment"`
		MissingSheets int    `json:"missing_sheets"`
		Expected      int    `json:"expected_sheets"`
		Missing       []struct {
			EntryID int64  `json:"entry_id"`
			Juror   string `json:"juror"`
		} `json:"missing"`
	}
	entry := auditWith(t, committee, "close_jury_override", &details)
	if entry.UserName != "Ban Tổ chức (demo)" || entry.Role != "committee" || entry.Status != http.StatusOK ||
		details.Comment != reason || details.MissingSheets != 3 || details.Expected != 4 || len(details.Missing) != 3 {
		t.Fatalf("override audit entry %+v %+v", entry, details)
	}

	// Now the results show, provisional, each clip saying how many sheets it lacks.
	type videoResults struct {
		Status      string `json:"status"`
		Provisional bool   `json:"provisional"`
		StatusLabel string `json:"status_label"`
		Rows        []struct {
			EntryID       int64 `json:"entry_id"`
			SheetsMissing int   `json:"sheets_missing"`
		} `json:"rows"`
	}
	var v videoResults
	committee.Expect(http.StatusOK, "GET", videosPath+"/video-results", nil).JSON(t, &v)
	if v.Status != "provisional" || !v.Provisional || !strings.Contains(v.StatusLabel, "tạm thời") || len(v.Rows) != 2 ||
		v.Rows[0].EntryID != clip1 || v.Rows[0].SheetsMissing != 1 || v.Rows[1].SheetsMissing != 2 {
		t.Fatalf("video results after the override: %+v", v)
	}
	var collective struct {
		Status      string `json:"status"`
		Provisional bool   `json:"provisional"`
	}
	committee.Expect(http.StatusOK, "GET", videosPath+"/collective-results", nil).JSON(t, &collective)
	if collective.Status != "provisional" || !collective.Provisional {
		t.Fatalf("collective results after the override: %+v", collective)
	}

	// The committee's approval of the results makes them final.
	waitFor(t, 15*time.Second, "the joint meeting stage", func() bool {
		return decide(committee, seed.DefaultCampaignCode, "joint_meeting", 0, "done").Status == http.StatusOK
	})
	waitFor(t, 15*time.Second, "the results decision stage", func() bool {
		return decide(committee, seed.DefaultCampaignCode, "final_results", 0, "approved").Status == http.StatusOK
	})
	committee.Expect(http.StatusOK, "GET", videosPath+"/video-results", nil).JSON(t, &v)
	if v.Status != "final" || v.Provisional {
		t.Fatalf("video results after the approval: %+v", v)
	}
}

// TestVideoReceiptDatesAndAuditedCorrections: a receipt date after today (the database's
// clock) or before the video contest opened is refused in Vietnamese and nothing is
// stored; a clerk corrects an entry's title, author, agency and date, and the audit log
// keeps before, after and who; once scoring is closed no correction goes through.
// On the code before this change the future date was stored and there was no correction.
func TestVideoReceiptDatesAndAuditedCorrections(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	secretariat, committee := s.Staff(t, "secretariat"), s.Staff(t, "committee")
	ids := cityDepartments(t, s, 2)
	settings, err := rules.ParseSettings(s.Campaign.Settings)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		_ = s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM video_entries`).Scan(&n)
		return n
	}
	form := func(received string) map[string]string {
		return map[string]string{"agency_id": fmt.Sprint(ids[0]), "title": "Một cửa số", "format": "report", "duration": "5:00", "received_on": received}
	}
	tomorrow := time.Now().AddDate(0, 0, 1).In(hcmZone(t)).Format("2006-01-02")
	beforeOpen := settings.VideoOpensAt.AddDate(0, 0, -1).In(hcmZone(t)).Format("2006-01-02")
	for _, c := range []struct{ name, received, code, words string }{
		{"tomorrow", tomorrow, "received_in_future", "chưa đến"},
		{"before the contest opened", beforeOpen, "received_before_open", "sớm hơn ngày mở"},
	} {
		r := secretariat.Multipart(videosPath+"/videos", form(c.received), "", "", nil)
		if r.Status != http.StatusBadRequest || r.ErrorCode() != c.code || !strings.Contains(string(r.Body), c.words) {
			t.Errorf("received %s: %d %s", c.name, r.Status, r.Body)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("%d refused entries stored", n)
	}

	id := recordClip(t, secretariat, ids[0], "Mot cua so", daysAgo(t, 3))
	path := fmt.Sprintf("%s/videos/%d", videosPath, id)
	// A correction is held to the same rules: a future date is refused and nothing changes.
	if r := secretariat.Do("PATCH", path, map[string]any{"received_on": tomorrow}); r.Status != http.StatusBadRequest || r.ErrorCode() != "received_in_future" {
		t.Fatalf("correction to a future date: %d %s", r.Status, r.Body)
	}
	if r := secretariat.Do("PATCH", path, map[string]any{}); r.Status != http.StatusBadRequest {
		t.Fatalf("empty correction: %d %s", r.Status, r.Body)
	}
	newDate := daysAgo(t, 1)
	secretariat.Expect(http.StatusOK, "PATCH", path, map[string]any{"title": "Một cửa số", "author": "Tổ truyền thông",
		"agency_id": ids[1], "received_on": newDate, "reason": "Sửa lỗi gõ dấu và đơn vị gửi"})
	var listed []struct {
		ID         int64     `json:"id"`
		Title      string    `json:"title"`
		Author     string    `json:"author"`
		AgencyID   int64     `json:"agency_id"`
		ReceivedAt time.Time `json:"received_at"`
	}
	committee.Expect(http.StatusOK, "GET", videosPath+"/videos", nil).JSON(t, &listed)
	if len(listed) != 1 || listed[0].Title != "Một cửa số" || listed[0].Author != "Tổ truyền thông" || listed[0].AgencyID != ids[1] ||
		listed[0].ReceivedAt.In(hcmZone(t)).Format("2006-01-02") != newDate {
		t.Fatalf("corrected entry %+v", listed)
	}
	type fields struct {
		Title    string `json:"title"`
		Author   string `json:"author"`
		AgencyID int64  `json:"agency_id"`
	}
	var details struct {
		EntryID int64  `json:"entry_id"`
		Before  fields `json:"before"`
		After   fields `json:"after"`
		Reason  string `json:"reason"`
	}
	entry := auditWith(t, committee, "correct_video_entry", &details)
	if entry.UserName != "Tổ Thư ký (demo)" || entry.Role != "secretariat" || details.EntryID != id ||
		details.Before != (fields{"Mot cua so", "", ids[0]}) || details.After != (fields{"Một cửa số", "Tổ truyền thông", ids[1]}) || details.Reason == "" {
		t.Fatalf("correction audit entry %+v %+v", entry, details)
	}

	// Once scoring is closed an entry is what the jury scored: no correction.
	var campaignID int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM campaigns WHERE code = $1`, seed.DefaultCampaignCode).Scan(&campaignID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `INSERT INTO decisions (campaign_id, kind, outcome, request_id) VALUES ($1, 'close_jury', 'done', 'test-close')`, campaignID); err != nil {
		t.Fatal(err)
	}
	if r := secretariat.Do("PATCH", path, map[string]any{"title": "Đổi sau khi chấm"}); r.Status != http.StatusConflict || r.ErrorCode() != "jury_closed" {
		t.Fatalf("correction after the close: %d %s", r.Status, r.Body)
	}
}
