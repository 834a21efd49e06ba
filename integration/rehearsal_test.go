//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// openRehearsal copies the seeded campaign for a rehearsal, as POST …/rehearsals does but
// without its workflow, and opens its round 1 now, with the set approved and the campaign
// live: the state a rehearsal's first week is in.
func openRehearsal(t *testing.T, s *testenv.Stack) (code string, roundID int64) {
	t.Helper()
	ctx := context.Background()
	srcID, err := s.Store.CampaignIDByCode(ctx, s.Campaign.Code)
	if err != nil {
		t.Fatal(err)
	}
	var settings []byte
	if err := s.Store.Pool().QueryRow(ctx, `SELECT settings FROM campaigns WHERE id = $1`, srcID).Scan(&settings); err != nil {
		t.Fatal(err)
	}
	code = s.Campaign.Code + "-dien-tap-thu"
	id, err := s.Store.CopyForRehearsal(ctx, srcID, code, s.Campaign.TimeLimit, settings, func(t time.Time) time.Time { return t })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE campaigns SET live_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Pool().QueryRow(ctx, `
		UPDATE rounds SET question_set_status = 'approved', opens_at = now() - interval '1 minute', closes_at = now() + interval '1 hour'
		WHERE campaign_id = $1 AND number = 1 RETURNING id`, id).Scan(&roundID); err != nil {
		t.Fatal(err)
	}
	return code, roundID
}

func myID(t *testing.T, c *testenv.Client) int64 {
	t.Helper()
	var me struct{ ID int64 }
	c.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
	return me.ID
}

// expectRehearsalOnly checks the one refusal every rehearsal round answers an account that
// is neither staff nor a marked tester: 403 rehearsal_only, in Vietnamese.
func expectRehearsalOnly(t *testing.T, r testenv.Response, what string) {
	t.Helper()
	if r.Status != http.StatusForbidden || r.ErrorCode() != "rehearsal_only" || !strings.Contains(string(r.Body), "diễn tập") {
		t.Fatalf("%s: %d %s, want 403 rehearsal_only", what, r.Status, r.Body)
	}
}

// TestRehearsalRefusesOrdinaryParticipants: a rehearsal runs on the real sets, so an
// ordinary participant can neither start an attempt in its round (by id) nor see its
// results; the committee marks a tester (audited), who may sit it, as staff may; once
// unmarked, the tester can no longer answer, read the review or submit.
func TestRehearsalRefusesOrdinaryParticipants(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	_, roundID := openRehearsal(t, s)
	committee := s.Staff(t, "committee")
	ordinary, tester := s.Participant(t), s.Participant(t)
	start := fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID)

	expectRehearsalOnly(t, ordinary.Do("POST", start, nil), "an ordinary participant starting a rehearsal round")
	var stored int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM attempts WHERE round_id = $1`, roundID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Fatalf("%d attempts stored after the refusal", stored)
	}
	expectRehearsalOnly(t, ordinary.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/results", roundID), nil), "an ordinary participant reading rehearsal results")

	// Marking is the committee's: a participant cannot mark anyone, itself included.
	mark := fmt.Sprintf("/api/v1/participants/%d/tester", myID(t, tester))
	if r := tester.Do("PUT", mark, map[string]bool{"tester": true}); r.Status != http.StatusForbidden {
		t.Fatalf("participant marking itself: %d %s", r.Status, r.Body)
	}
	if r := committee.Do("PUT", mark, map[string]any{}); r.Status != http.StatusBadRequest {
		t.Fatalf("mark without the flag: %d %s", r.Status, r.Body)
	}
	staffMark := fmt.Sprintf("/api/v1/participants/%d/tester", myID(t, committee))
	if r := committee.Do("PUT", staffMark, map[string]bool{"tester": true}); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "tester_not_participant" {
		t.Fatalf("marking a staff account: %d %s", r.Status, r.Body)
	}
	var marked struct {
		ID     int64 `json:"id"`
		Tester bool  `json:"tester"`
	}
	committee.Expect(http.StatusOK, "PUT", mark, map[string]bool{"tester": true}).JSON(t, &marked)
	if !marked.Tester {
		t.Fatalf("mark answered %+v", marked)
	}

	var a started
	tester.Expect(http.StatusCreated, "POST", start, nil).JSON(t, &a)
	// A marked tester has seen, or may see, the real sets' answers: no real round for it.
	if r := tester.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), nil); r.Status != http.StatusForbidden || r.ErrorCode() != "tester_account" {
		t.Fatalf("a marked tester starting a real round: %d %s", r.Status, r.Body)
	}
	keys := s.CorrectKeys(t, a.AttemptID)
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	tester.Expect(http.StatusOK, "PUT", path+"/answers/1", map[string]string{"choice": keys[1]})
	// Staff run rehearsals and may sit them (never a real round).
	var staffAttempt started
	committee.Expect(http.StatusCreated, "POST", start, nil).JSON(t, &staffAttempt)
	committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", staffAttempt.AttemptID), map[string]string{"choice": "A"})
	committee.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", staffAttempt.AttemptID), nil)
	committee.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", staffAttempt.AttemptID), nil)
	if r := committee.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), nil); r.ErrorCode() != "not_a_participant" {
		t.Fatalf("staff starting a real round: %d %s", r.Status, r.Body)
	}
	var mine struct {
		Attempts []struct{ ID int64 } `json:"attempts"`
	}
	tester.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil).JSON(t, &mine)
	if len(mine.Attempts) != 1 || mine.Attempts[0].ID != a.AttemptID {
		t.Fatalf("a tester's own attempts %+v, want the rehearsal attempt", mine.Attempts)
	}

	// Unmarked, the former tester is refused everything of the rehearsal round.
	committee.Expect(http.StatusOK, "PUT", mark, map[string]bool{"tester": false})
	expectRehearsalOnly(t, tester.Do("PUT", path+"/answers/2", map[string]string{"choice": keys[2]}), "an unmarked tester answering")
	expectRehearsalOnly(t, tester.Do("PUT", path+"/prediction", map[string]int{"count": 1}), "an unmarked tester predicting")
	expectRehearsalOnly(t, tester.Do("GET", path, nil), "an unmarked tester reading the attempt and its review")
	expectRehearsalOnly(t, tester.Do("POST", path+"/submit", nil), "an unmarked tester submitting")
	expectRehearsalOnly(t, tester.Do("POST", start, nil), "an unmarked tester starting again")
	tester.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil).JSON(t, &mine)
	if len(mine.Attempts) != 0 {
		t.Fatalf("an unmarked tester still lists %+v", mine.Attempts)
	}
	var saved *int16
	if err := s.Store.Pool().QueryRow(ctx, `SELECT choice FROM attempt_questions WHERE attempt_id = $1 AND no = 2`, a.AttemptID).Scan(&saved); err != nil {
		t.Fatal(err)
	}
	if saved != nil {
		t.Fatalf("the refused answer was stored: %d", *saved)
	}

	// Each mark and unmark is in the audit log, with who did it.
	var audit []struct {
		Route    string `json:"route"`
		Status   int    `json:"status"`
		UserName string `json:"user_name"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/audit", nil).JSON(t, &audit)
	marks := 0
	for _, e := range audit {
		if e.Route == "/api/v1/participants/:id/tester" && e.Status == http.StatusOK && e.UserName != "" {
			marks++
		}
	}
	if marks != 2 {
		t.Fatalf("%d successful tester marks audited, want 2: %+v", marks, audit)
	}
}

// TestRehearsalStaysOutOfTheFeed: a rehearsal week ranked and published never reaches the
// public results, the portals' feed or the current round, and no name from it does.
func TestRehearsalStaysOutOfTheFeed(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	code, roundID := openRehearsal(t, s)
	var agencyID int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM agencies ORDER BY id LIMIT 1`).Scan(&agencyID); err != nil {
		t.Fatal(err)
	}
	const name = "Đỗ Thị Diễn Tập"
	insertResult(t, s, roundID, insertParticipant(t, s, agencyID, name), agencyID, 10, 40*time.Second, time.Now())
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE rounds SET state = 'approved' WHERE id = $1`, roundID); err != nil {
		t.Fatal(err)
	}
	if err := s.RunPublishTaskAgain(ctx, roundID); err != nil {
		t.Fatal(err)
	}
	var published int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM publications WHERE round_id = $1`, roundID).Scan(&published); err != nil {
		t.Fatal(err)
	}
	if published != 1 {
		t.Fatalf("the rehearsal week was not published (%d publications): the test proves nothing", published)
	}

	anonymous := s.NewClient(t)
	expectRehearsalOnly(t, anonymous.Do("GET", "/api/v1/feed/results.json?campaign="+code, nil), "the rehearsal's feed")
	expectRehearsalOnly(t, anonymous.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/results", roundID), nil), "the rehearsal week's results")
	for _, path := range []string{"/api/v1/feed/results.json", "/api/v1/rounds/current"} {
		r := anonymous.Expect(http.StatusOK, "GET", path, nil)
		if strings.Contains(string(r.Body), name) || strings.Contains(string(r.Body), code) || strings.Contains(string(r.Body), fmt.Sprintf(`"id":%d,`, roundID)) {
			t.Fatalf("%s shows the rehearsal: %s", path, r.Body)
		}
	}
}

// TestAccountsTesterCommandMarksAndAudits: `contest accounts tester` marks a participant
// (who may then sit a rehearsal round) and unmarks it, each change in the audit log; a
// staff account or an unknown number is refused and changes nothing.
func TestAccountsTesterCommandMarksAndAudits(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	_, roundID := openRehearsal(t, s)
	p := s.NewClient(t)
	phone := testenv.UniquePhone()
	var agencies []struct{ ID int64 }
	p.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	p.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Trần Thị Thử Nghiệm", "date_of_birth": "1990-01-02", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})
	p.Login(phone, "mat-khau-thu")
	start := fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID)
	expectRehearsalOnly(t, p.Do("POST", start, nil), "before the mark")

	if out, stderr, err := runAccounts(t, s, "", "tester", "--phone", phone); err != nil || !strings.Contains(out, "tester=true") {
		t.Fatalf("mark: %v %q %s", err, out, stderr)
	}
	var a started
	p.Expect(http.StatusCreated, "POST", start, nil).JSON(t, &a)
	if out, stderr, err := runAccounts(t, s, "", "tester", "--phone", phone, "--off"); err != nil || !strings.Contains(out, "tester=false") {
		t.Fatalf("unmark: %v %q %s", err, out, stderr)
	}
	expectRehearsalOnly(t, p.Do("GET", fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID), nil), "after the unmark")

	if _, _, err := runAccounts(t, s, "", "tester", "--phone", testenv.UniquePhone()); err == nil {
		t.Fatal("marking an unknown number succeeded")
	}
	staffPhone := ""
	if err := s.Store.Pool().QueryRow(ctx, `SELECT phone FROM users WHERE role = 'committee' LIMIT 1`).Scan(&staffPhone); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runAccounts(t, s, "", "tester", "--phone", staffPhone); err == nil {
		t.Fatal("marking a staff account succeeded")
	}
	var audited int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE route = 'contest accounts tester' AND path LIKE '%'||$1||'%'`,
		phone).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Fatalf("%d command-line tester changes audited, want 2", audited)
	}
}
