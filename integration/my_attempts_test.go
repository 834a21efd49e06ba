//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

type myAttempts struct {
	Attempts []struct {
		ID          int64     `json:"id"`
		RoundID     int64     `json:"round_id"`
		RoundNumber int       `json:"round_number"`
		Status      string    `json:"status"`
		StartedAt   time.Time `json:"started_at"`
		Deadline    time.Time `json:"deadline"`
		Result      *result   `json:"result"`
	} `json:"attempts"`
}

func listMine(t *testing.T, c *testenv.Client) myAttempts {
	t.Helper()
	var mine myAttempts
	resp := c.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil)
	assertNoAnswerLeak(t, resp.Body)
	resp.JSON(t, &mine)
	return mine
}

// An attempt started on one device is found from another, where the browser knows nothing
// of it, and its result is shown there afterwards; nobody sees anyone else's attempts.
func TestParticipantFindsOwnAttemptFromAnotherDevice(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	phone, password := testenv.UniquePhone(), "mat-khau-e"
	phoneDevice := s.NewClient(t)
	var agencies []struct{ ID int64 }
	phoneDevice.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	phoneDevice.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Lê Văn E", "date_of_birth": "1990-02-03", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": password,
	})
	phoneDevice.Login(phone, password)
	laptop := s.NewClient(t)
	laptop.Login(phone, password)

	if mine := listMine(t, laptop); len(mine.Attempts) != 0 {
		t.Fatalf("before any start: %+v", mine)
	}
	r, a := startCurrent(t, phoneDevice)
	phoneDevice.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID), map[string]string{"choice": "C"})

	mine := listMine(t, laptop)
	if len(mine.Attempts) != 1 {
		t.Fatalf("laptop sees %d attempts, want 1: %+v", len(mine.Attempts), mine)
	}
	got := mine.Attempts[0]
	if got.ID != a.AttemptID || got.RoundID != r.ID || got.RoundNumber != r.Number || got.Status != "in_progress" ||
		got.Result != nil || !got.Deadline.Equal(a.Deadline) || !got.StartedAt.Equal(a.StartedAt) {
		t.Fatalf("laptop sees %+v; started %+v in round %+v", got, a, r)
	}

	if other := listMine(t, s.Participant(t)); len(other.Attempts) != 0 {
		t.Fatalf("another participant sees %+v", other)
	}
	for _, role := range []string{"committee", "jury"} {
		if code := s.Staff(t, role).Do("GET", "/api/v1/me/attempts", nil).ErrorCode(); code != "not_a_participant" {
			t.Fatalf("%s listing attempts: code %q", role, code)
		}
	}

	var res result
	laptop.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	mine = listMine(t, phoneDevice)
	if len(mine.Attempts) != 1 || mine.Attempts[0].Status != "submitted" || mine.Attempts[0].Result == nil ||
		*mine.Attempts[0].Result != res {
		t.Fatalf("after submit: %+v, submit answered %+v", mine, res)
	}
}
