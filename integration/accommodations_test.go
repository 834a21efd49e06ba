//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

type accommodation struct {
	ID            int64     `json:"id"`
	ParticipantID int64     `json:"participant_id"`
	ExtraMinutes  int       `json:"extra_minutes"`
	ExtraAttempt  bool      `json:"extra_attempt"`
	Reason        string    `json:"reason"`
	GrantedBy     int64     `json:"granted_by"`
	GrantedByName string    `json:"granted_by_name"`
	GrantedAt     time.Time `json:"granted_at"`
}

func phoneOf(t *testing.T, s *testenv.Stack, c *testenv.Client) string {
	t.Helper()
	var phone string
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT phone FROM users WHERE id = $1`, myID(t, c)).Scan(&phone); err != nil {
		t.Fatal(err)
	}
	return phone
}

// TestAccommodationExtraTimeExtendsTheDeadline: the committee grants a participant one extra
// minute in the round; the attempt the participant then starts has the time limit plus that
// minute, answers are taken past the ordinary limit, and the exam workflow closes the
// attempt at the extended deadline, not before.
func TestAccommodationExtraTimeExtendsTheDeadline(t *testing.T) {
	const limit = 3 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit})
	committee := s.Staff(t, "committee")
	p := s.Participant(t)
	roundID := s.CurrentRoundID(t)
	var g accommodation
	committee.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/accommodations", roundID), map[string]any{
		"phone": phoneOf(t, s, p), "extra_minutes": 1, "reason": "Thí sinh khiếm thị, cần phần mềm đọc màn hình.",
	}).JSON(t, &g)
	if g.ExtraMinutes != 1 || g.ParticipantID != myID(t, p) {
		t.Fatalf("grant: %+v", g)
	}

	_, a := startCurrent(t, p)
	if got := a.Deadline.Sub(a.StartedAt); got != limit+time.Minute {
		t.Fatalf("deadline %s after the start, want %s", got, limit+time.Minute)
	}
	// Past the ordinary limit (the database's clock decides), the participant still answers.
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	time.Sleep(time.Until(a.StartedAt.Add(limit + time.Second)))
	keys := s.CorrectKeys(t, a.AttemptID)
	p.Expect(http.StatusOK, "PUT", path+"/answers/1", map[string]string{"choice": keys[1]})
	var got attempt
	p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
	if got.Status != "in_progress" {
		t.Fatalf("attempt closed at the ordinary limit: %+v", got)
	}

	wait := time.Now().Add(time.Until(a.Deadline) + 30*time.Second)
	for {
		p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
		if got.Status != "in_progress" || time.Now().After(wait) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if got.Status != "auto_submitted" || got.Result == nil {
		t.Fatalf("attempt after its extended deadline: %+v", got)
	}
	if want := (limit + time.Minute).Milliseconds(); got.Result.TimeUsedMS != want {
		t.Fatalf("time used %d ms, want the extended limit %d ms", got.Result.TimeUsedMS, want)
	}
	var finished time.Time
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT finished_at FROM attempts WHERE id = $1`, a.AttemptID).Scan(&finished); err != nil {
		t.Fatal(err)
	}
	if finished.Before(a.Deadline) {
		t.Fatalf("closed at %s, before the extended deadline %s", finished, a.Deadline)
	}
}

// TestAccommodationExtraAttemptAllowsExactlyOneMore: after the week's one attempt a
// participant is refused another; a grant without a reason is refused in Vietnamese and
// stores nothing, as is one by a participant; a grant with a reason (audited: who, when,
// why) lets exactly one more attempt, and a second extra attempt cannot be granted.
func TestAccommodationExtraAttemptAllowsExactlyOneMore(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	committee := s.Staff(t, "committee")
	p := s.Participant(t)
	phone := phoneOf(t, s, p)
	r, a := startCurrent(t, p)
	start := fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID)
	grants := fmt.Sprintf("/api/v1/rounds/%d/accommodations", r.ID)
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	if res := p.Do("POST", start, nil); res.ErrorCode() != "attempt_limit_reached" {
		t.Fatalf("second attempt without a grant: %d %s", res.Status, res.Body)
	}

	for _, reason := range []string{"", "   "} {
		res := committee.Do("POST", grants, map[string]any{"phone": phone, "extra_attempt": true, "reason": reason})
		var e struct {
			Error struct{ Code, Message, Field string }
		}
		if err := json.Unmarshal(res.Body, &e); err != nil {
			t.Fatal(err)
		}
		if res.Status != http.StatusBadRequest || e.Error.Field != "reason" || !strings.Contains(e.Error.Message, "lý do") {
			t.Fatalf("grant with reason %q: %d %s, want 400 at the reason field in Vietnamese", reason, res.Status, res.Body)
		}
	}
	if res := p.Do("POST", grants, map[string]any{"phone": phone, "extra_attempt": true, "reason": "Tự cấp"}); res.Status != http.StatusForbidden {
		t.Fatalf("a participant granting: %d %s", res.Status, res.Body)
	}
	if res := committee.Do("POST", grants, map[string]any{"phone": "0900000001", "extra_attempt": true, "reason": "Mất điện"}); res.ErrorCode() != "participant_not_found" {
		t.Fatalf("grant to an unknown phone: %d %s", res.Status, res.Body)
	}
	var stored int
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM accommodations`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Fatalf("%d accommodations stored by refused grants", stored)
	}
	if res := p.Do("POST", start, nil); res.ErrorCode() != "attempt_limit_reached" {
		t.Fatalf("second attempt after refused grants: %d %s", res.Status, res.Body)
	}

	const reason = "Mất điện tại trụ sở xã trong lúc thí sinh đang làm bài (biên bản số 12)."
	committee.Expect(http.StatusCreated, "POST", grants, map[string]any{"phone": phone, "extra_attempt": true, "reason": reason})
	if res := committee.Do("POST", grants, map[string]any{"phone": phone, "extra_attempt": true, "reason": "Lần nữa"}); res.Status != http.StatusConflict || res.ErrorCode() != "extra_attempt_already_granted" {
		t.Fatalf("a second extra attempt: %d %s", res.Status, res.Body)
	}
	var second started
	p.Expect(http.StatusCreated, "POST", start, nil).JSON(t, &second)
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", second.AttemptID), nil)
	if res := p.Do("POST", start, nil); res.ErrorCode() != "attempt_limit_reached" {
		t.Fatalf("third attempt with one extra granted: %d %s", res.Status, res.Body)
	}

	var list []accommodation
	committee.Expect(http.StatusOK, "GET", grants, nil).JSON(t, &list)
	if len(list) != 1 || list[0].Reason != reason || !list[0].ExtraAttempt || list[0].GrantedBy != myID(t, committee) ||
		list[0].GrantedByName == "" || list[0].GrantedAt.IsZero() {
		t.Fatalf("accommodations of the round: %+v", list)
	}
	if res := p.Do("GET", grants, nil); res.Status != http.StatusForbidden {
		t.Fatalf("a participant listing accommodations: %d", res.Status)
	}
	var audit []struct {
		Route   string          `json:"route"`
		Status  int             `json:"status"`
		UserID  int64           `json:"user_id"`
		Details json.RawMessage `json:"details"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/audit", nil).JSON(t, &audit)
	found := false
	for _, e := range audit {
		if e.Route == "/api/v1/rounds/:id/accommodations" && e.Status == http.StatusCreated && strings.Contains(string(e.Details), "biên bản số 12") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no audit entry of the grant with its reason: %+v", audit)
	}
}
