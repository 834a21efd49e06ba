//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

type tableCounts struct{ users, attempts, answered, predictions, sessions int }

func counts(t *testing.T, s *testenv.Stack) tableCounts {
	t.Helper()
	var c tableCounts
	err := s.Store.Pool().QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM users), (SELECT count(*) FROM attempts),
		(SELECT count(*) FROM attempt_questions WHERE choice IS NOT NULL),
		(SELECT count(*) FROM attempts WHERE prediction IS NOT NULL),
		(SELECT count(*) FROM sessions)`).Scan(&c.users, &c.attempts, &c.answered, &c.predictions, &c.sessions)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadInputGetsAClear4xxAndChangesNothing(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	owner := s.Participant(t)
	_, a := startCurrent(t, owner)
	intruder := s.Participant(t)
	anonymous := s.NewClient(t)
	var rounds []struct{ ID int64 }
	if err := func() error {
		rows, err := s.Store.Pool().Query(context.Background(), `SELECT id FROM rounds WHERE number = 2`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r struct{ ID int64 }
			if err := rows.Scan(&r.ID); err != nil {
				return err
			}
			rounds = append(rounds, r)
		}
		return rows.Err()
	}(); err != nil || len(rounds) != 1 {
		t.Fatalf("find round 2: %v", err)
	}
	var agencies []struct{ ID int64 }
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)

	registration := func(phone string, extra string) string {
		return fmt.Sprintf(`{"full_name":"Lê Văn C","date_of_birth":"1980-01-01","phone":%q,"agency_id":%d,"position":"Chuyên viên","password":"mat-khau-c1"%s}`,
			phone, agencies[0].ID, extra)
	}
	// Register one participant so that the duplicate case has something to collide with.
	taken := testenv.UniquePhone()
	if r := anonymous.Raw("POST", "/api/v1/participants", registration(taken, "")); r.Status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}

	attempt := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	committee := s.Staff(t, "committee")
	ranking := "/api/v1/campaigns/" + s.Campaign.Code + "/rounds/"
	tests := []struct {
		name         string
		client       *testenv.Client
		method, path string
		body         string
		status       int
		code         string
	}{
		{"malformed JSON", anonymous, "POST", "/api/v1/participants", `{"full_name":`, 400, "invalid_json"},
		{"empty body", anonymous, "POST", "/api/v1/participants", ``, 400, "invalid_json"},
		{"array instead of object", anonymous, "POST", "/api/v1/participants", `[1,2]`, 400, "invalid_field"},
		{"unknown field", anonymous, "POST", "/api/v1/participants", registration(testenv.UniquePhone(), `,"role":"committee"`), 400, "unknown_field"},
		{"wrong type", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), fmt.Sprintf(`"agency_id":%d`, agencies[0].ID), `"agency_id":"x"`, 1), 400, "invalid_field"},
		{"landline phone", anonymous, "POST", "/api/v1/participants", registration("02253123456", ""), 400, "invalid_field"},
		{"duplicate phone", anonymous, "POST", "/api/v1/participants", registration(taken, ""), 409, "phone_taken"},
		{"duplicate phone in +84 form", anonymous, "POST", "/api/v1/participants", registration("+84"+taken[1:], ""), 409, "phone_taken"},
		{"unknown agency", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), fmt.Sprintf(`"agency_id":%d`, agencies[0].ID), `"agency_id":999999`, 1), 422, "unknown_agency"},
		{"too young", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), "1980-01-01", "2015-01-01", 1), 400, "invalid_field"},
		{"oversized body", anonymous, "POST", "/api/v1/participants", registration(testenv.UniquePhone(), `,"x":"`+strings.Repeat("a", 20000)+`"`), 413, "body_too_large"},
		{"wrong password", anonymous, "POST", "/api/v1/sessions", fmt.Sprintf(`{"phone":%q,"password":"wrong-password"}`, taken), 401, "invalid_credentials"},
		{"no token", anonymous, "PUT", attempt + "/answers/1", `{"choice":"A"}`, 401, "unauthorized"},
		{"choice outside A-D", owner, "PUT", attempt + "/answers/1", `{"choice":"E"}`, 400, "invalid_field"},
		{"lower-case choice", owner, "PUT", attempt + "/answers/1", `{"choice":"a"}`, 400, "invalid_field"},
		{"choice as number", owner, "PUT", attempt + "/answers/1", `{"choice":1}`, 400, "invalid_field"},
		{"trailing JSON", owner, "PUT", attempt + "/answers/1", `{"choice":"A"}{"choice":"B"}`, 400, "invalid_json"},
		{"question 0", owner, "PUT", attempt + "/answers/0", `{"choice":"A"}`, 400, "invalid_question_no"},
		{"question 11", owner, "PUT", attempt + "/answers/11", `{"choice":"A"}`, 400, "invalid_question_no"},
		{"question not a number", owner, "PUT", attempt + "/answers/x", `{"choice":"A"}`, 400, "invalid_question_no"},
		{"negative prediction", owner, "PUT", attempt + "/prediction", `{"count":-1}`, 400, "invalid_field"},
		{"fractional prediction", owner, "PUT", attempt + "/prediction", `{"count":2.5}`, 400, "invalid_field"},
		{"missing prediction", owner, "PUT", attempt + "/prediction", `{}`, 400, "invalid_field"},
		{"someone else's attempt: read", intruder, "GET", attempt, ``, 404, "attempt_not_found"},
		{"someone else's attempt: answer", intruder, "PUT", attempt + "/answers/1", `{"choice":"A"}`, 404, "attempt_not_found"},
		{"someone else's attempt: predict", intruder, "PUT", attempt + "/prediction", `{"count":1}`, 404, "attempt_not_found"},
		{"someone else's attempt: submit", intruder, "POST", attempt + "/submit", ``, 404, "attempt_not_found"},
		{"attempt id not a number", owner, "GET", "/api/v1/attempts/abc", ``, 400, "invalid_path"},
		{"round not open yet", intruder, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", rounds[0].ID), ``, 409, "round_closed"},
		{"round that does not exist", intruder, "POST", "/api/v1/rounds/999999/attempts", ``, 404, "round_not_found"},
		{"second open attempt", owner, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), ``, 409, "attempt_in_progress"},
		{"unknown route", anonymous, "GET", "/api/v1/nothing-here", ``, 404, "not_found"},
		{"invalid UTF-8", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), "Lê Văn C", "L\xff", 1), 400, "invalid_encoding"},
		{"deeply nested JSON", owner, "PUT", attempt + "/answers/1", `{"choice":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, 400, "invalid_field"},
		{"SQL in a name", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), "Lê Văn C", "Robert'); DROP TABLE users;--", 1), 400, "invalid_field"},
		{"HTML in a name", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), "Lê Văn C", "<script>alert(1)</script>", 1), 400, "invalid_field"},
		{"HTML in a position", anonymous, "POST", "/api/v1/participants", strings.Replace(registration(testenv.UniquePhone(), ""), `"position":"Chuyên viên"`, `"position":"<img src=x onerror=alert(1)>"`, 1), 400, "invalid_field"},
		{"SQL as an attempt id", owner, "GET", "/api/v1/attempts/1%20OR%201=1", ``, 400, "invalid_path"},
		{"repeated key", owner, "PUT", attempt + "/answers/1", `{"choice":"A","choice":"B"}`, 400, "duplicate_field"},
		{"key in another case", owner, "PUT", attempt + "/answers/1", `{"Choice":"A"}`, 400, "unknown_field"},
		{"repeated key in a registration", anonymous, "POST", "/api/v1/participants", registration(testenv.UniquePhone(), `,"phone":"0912000111"`), 400, "duplicate_field"},
		{"round number beyond the database's INT", committee, "GET", ranking + "3000000000/ranking", ``, 400, "invalid_path"},
		{"attempt id beyond BIGINT", owner, "GET", "/api/v1/attempts/9223372036854775808", ``, 400, "invalid_path"},
	}
	before := counts(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.client.Raw(tt.method, tt.path, tt.body)
			if r.Status != tt.status || r.ErrorCode() != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, tt.status, tt.code)
			}
			var e struct {
				Error struct{ Message string } `json:"error"`
			}
			r.JSON(t, &e)
			if e.Error.Message == "" {
				t.Fatal("error without a message")
			}
		})
	}
	if after := counts(t, s); after != before {
		t.Fatalf("bad input changed the database: before %+v after %+v", before, after)
	}
}

func TestStaffCannotSitTheQuiz(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	for _, role := range []string{"committee", "secretariat", "jury"} {
		c := s.Staff(t, role)
		r := c.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), nil)
		if r.Status != http.StatusForbidden || r.ErrorCode() != "not_a_participant" {
			t.Fatalf("%s starting an attempt: %d %s", role, r.Status, r.Body)
		}
	}
	if c := counts(t, s); c.attempts != 0 {
		t.Fatalf("%d attempts created by staff", c.attempts)
	}
}

func TestTwoDevicesCannotHoldTwoOpenAttempts(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	phone := testenv.UniquePhone()
	first := s.NewClient(t)
	var agencies []struct{ ID int64 }
	first.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	first.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Phạm Thị D", "date_of_birth": "1979-09-09", "phone": phone,
		"agency_id": agencies[1].ID, "position": "Phó phòng", "password": "mat-khau-d",
	})
	const devices = 5
	clients := make([]*testenv.Client, devices)
	for i := range clients {
		clients[i] = s.NewClient(t)
		clients[i].Login(phone, "mat-khau-d")
	}
	path := fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t))
	statuses := make([]int, devices)
	codes := make([]string, devices)
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			r := c.Do("POST", path, nil)
			statuses[i], codes[i] = r.Status, r.ErrorCode()
		})
	}
	wg.Wait()
	created := 0
	for i := range statuses {
		switch {
		case statuses[i] == http.StatusCreated:
			created++
		case statuses[i] == http.StatusConflict && (codes[i] == "attempt_in_progress" || codes[i] == "attempt_limit_reached"):
		default:
			t.Fatalf("device %d: %d %s", i, statuses[i], codes[i])
		}
	}
	if created != 1 {
		t.Fatalf("%d attempts created from %d devices, want 1", created, devices)
	}
}
