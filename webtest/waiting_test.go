//go:build integration

package webtest

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// sittersOf writes n participants of an agency who have submitted in a round, as the exam
// engine would have recorded them.
func sittersOf(t *testing.T, s *testenv.Stack, roundID, agencyID int64, n int) {
	t.Helper()
	if _, err := s.Store.Pool().Exec(context.Background(), `
		WITH u AS (
			INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			SELECT 'Người nộp bài ' || g, '06' || lpad((g + $1 * 1000)::text, 8, '0'), $2, 'x', 'participant'
			FROM generate_series(1, $3::int) g RETURNING id),
		a AS (
			INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
			SELECT $1, id, 1, 'submitted', now() - interval '5 minutes', now() + interval '1 hour', now(), 2 FROM u
			RETURNING id, participant_id, finished_at)
		INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count,
		                     prediction, time_used_ms, finished_at, auto_submitted)
		SELECT a.id, $1, a.participant_id, $2, 6, 10, 2, 300000, a.finished_at, false FROM a`, roundID, agencyID, n); err != nil {
		t.Fatal(err)
	}
}

// TestCommitteeHeaderSaysWhatTheWeekWaitsFor: a rehearsal in its rounds stage (whose own
// waiting_for is empty) with week 1 ranked and waiting for the committee, and week 2 open
// with 3 submissions. The committee page's header names the week's approval, as its list
// of decisions and the API do, never "Không chờ quyết định nào"; week 2 shows its 3
// submissions and that it is not ranked yet, never "0 participants".
func TestCommitteeHeaderSaysWhatTheWeekWaitsFor(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	committee := s.Staff(t, "committee")
	_, byCode := listAgencies(t, s)
	camp := rehearsal(t, s, committee)
	approveSets(t, committee, camp)
	goLive(t, committee, camp)
	rankedWeekFixture(t, s, camp, []int64{byCode["so-tu-phap"].ID, byCode["so-noi-vu"].ID})
	week2 := camp.Rounds[1].ID
	if _, err := s.Store.Pool().Exec(context.Background(), `UPDATE rounds SET state = 'open' WHERE id = $1`, week2); err != nil {
		t.Fatal(err)
	}
	sittersOf(t, s, week2, byCode["so-y-te"].ID, 3)
	b := newBrowser(t, s.URL, 360, 740)
	b.login(committee)
	b.open("/ban-to-chuc?campaign=" + camp.Code)
	b.waitStage(workflows.StageRounds)
	b.waitVisible(`#week-1 button[data-outcome="approved"]`)
	header := b.text("#waiting-label")
	if !strings.Contains(header, "Ban Tổ chức phê duyệt kết quả tuần 1") || strings.Contains(header, "Không chờ") {
		t.Fatalf("header waits for %q while week 1 waits for approval", header)
	}
	var api struct {
		WaitingForLabel string `json:"waiting_for_label"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+camp.Code, nil).JSON(t, &api)
	if header != api.WaitingForLabel {
		t.Fatalf("header waits for %q; the API says %q", header, api.WaitingForLabel)
	}
	if n := eval[int](b, `document.querySelectorAll("#actions .decision-item").length`); n != 1 {
		t.Fatalf("%d decisions listed, want week 1's only", n)
	}
	if got := b.rowWith("#rounds-table", "Tuần 2"); !strings.Contains(got, "Đang thi") || !strings.Contains(got, "3") {
		t.Fatalf("week 2 row %q", got)
	}

	// Week 2's ranking section: its live submissions, not a ranking of 0.
	b.choose("#ranking-round", "2")
	b.click(`#ranking-form button[type="submit"]`)
	b.waitFor("week 2 facts", `(() => { const e = document.querySelector("#ranking-submitted"); return !!e && e.textContent === "3"; })()`, step)
	if got := b.text("#ranking-participants"); got != "Chưa xếp hạng – đã có 3 người nộp bài" {
		t.Fatalf("week 2 participants shown as %q", got)
	}
	b.assertAccessible("/ban-to-chuc (a week waiting, a week open)")
	b.screenshot("committee-week-waiting-360")
	b.assertNoProblems()
}
