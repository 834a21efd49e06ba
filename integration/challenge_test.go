//go:build integration

package integration

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/challenge"
	"github.com/hpcontest/contest/internal/testenv"
)

// Registration asks for a solved proof-of-work challenge: none, a wrong one or one already
// used is refused in Vietnamese and stores nothing; a fresh solution registers.
func TestRegistrationAsksForASolvedChallenge(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true, ChallengeDifficulty: 10})
	var agencies []struct{ ID int64 }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	form := func() map[string]any {
		return map[string]any{"full_name": "Trần Văn Bình", "date_of_birth": "1988-05-17", "phone": testenv.UniquePhone(),
			"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu"}
	}
	fresh := func() challenge.Challenge {
		var c struct {
			Required bool `json:"required"`
			challenge.Challenge
		}
		s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/challenge", nil).JSON(t, &c)
		if !c.Required || c.Difficulty != 10 || c.Token == "" {
			t.Fatalf("challenge %+v, want a required one of 10 bits", c)
		}
		return c.Challenge
	}
	solved := func(c challenge.Challenge) string {
		n, err := challenge.Solve(c)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatUint(n, 10)
	}
	client := func(token, counter string) *testenv.Client {
		c := s.NewClient(t)
		c.Header = http.Header{}
		if token != "" {
			c.Header.Set("X-Challenge-Token", token)
		}
		if counter != "" {
			c.Header.Set("X-Challenge-Counter", counter)
		}
		return c
	}
	refused := func(c *testenv.Client, code string) {
		t.Helper()
		r := c.Do("POST", "/api/v1/participants", form())
		if r.Status != http.StatusForbidden || r.ErrorCode() != code || !strings.Contains(string(r.Body), "kiểm tra bảo mật") {
			t.Fatalf("status %d %s, want 403 %s in Vietnamese", r.Status, r.Body, code)
		}
	}
	participants := func() int {
		var n int
		if err := s.Store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM users WHERE role = 'participant'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := participants()

	refused(client("", ""), "challenge_required")
	c := fresh()
	good := solved(c)
	wrong := "0"
	for n := uint64(0); challenge.LeadingZeroBits(hashOf(t, c, n)) >= c.Difficulty; n++ {
		wrong = strconv.FormatUint(n+1, 10) // a counter that does not solve it
	}
	refused(client(c.Token, wrong), "challenge_invalid")
	refused(client(c.Token+"x", good), "challenge_invalid")
	if got := participants(); got != before {
		t.Fatalf("%d participants stored by refused registrations", got-before)
	}

	client(c.Token, good).Expect(http.StatusCreated, "POST", "/api/v1/participants", form())
	refused(client(c.Token, good), "challenge_reused")
	if got := participants(); got != before+1 {
		t.Fatalf("%d participants, want %d", got, before+1)
	}
	c2 := fresh()
	client(c2.Token, solved(c2)).Expect(http.StatusCreated, "POST", "/api/v1/participants", form())
}

func hashOf(t *testing.T, c challenge.Challenge, n uint64) [32]byte {
	t.Helper()
	p, err := hex.DecodeString(c.Nonce)
	if err != nil {
		t.Fatal(err)
	}
	return challenge.Hash(p, n)
}
