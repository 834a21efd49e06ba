//go:build integration

package integration

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/challenge"
	"github.com/hpcontest/contest/internal/testenv"
)

// challengedStack has the proof of work on (few bits: the tests solve many) and believes
// the loopback proxy, so that each client can speak from an address of its own.
func challengedStack(t *testing.T) *testenv.Stack {
	limits := api.DefaultLimits
	limits.LoginChallenge = api.LoginChallenge{PerAccount: 3, PerAddress: 5}
	return testenv.New(t, testenv.Options{NoWorker: true, ChallengeDifficulty: 8, Limits: limits,
		TrustedProxies: []string{"127.0.0.1/32"}})
}

// registerSolved registers a participant with ownerPassword through the challenge.
func registerSolved(t *testing.T, s *testenv.Stack) string {
	t.Helper()
	var ch struct{ challenge.Challenge }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/challenge", nil).JSON(t, &ch)
	c := s.NewClient(t)
	c.Header = solvedHeaders(t, ch.Challenge)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Phạm Văn Chủ", "date_of_birth": "1984-06-01", "phone": phone,
		"agency_id": firstAgency(t, s), "position": "Chuyên viên", "password": ownerPassword,
	})
	return phone
}

func solvedHeaders(t *testing.T, c challenge.Challenge) http.Header {
	t.Helper()
	n, err := challenge.Solve(c)
	if err != nil {
		t.Fatal(err)
	}
	return http.Header{"X-Challenge-Token": {c.Token}, "X-Challenge-Counter": {strconv.FormatUint(n, 10)}}
}

// from is a client speaking from addr, sending the given challenge headers (nil: none).
func from(s *testenv.Stack, t *testing.T, addr string, solved http.Header) *testenv.Client {
	c := s.NewClient(t)
	c.Header = http.Header{"X-Forwarded-For": {addr}}
	for k, v := range solved {
		c.Header[k] = v
	}
	return c
}

// expectChallenge checks a 403 with the given code, in Vietnamese, carrying a fresh
// challenge, and returns that challenge.
func expectChallenge(t *testing.T, r testenv.Response, code, what string) challenge.Challenge {
	t.Helper()
	var body struct {
		Error     struct{ Code, Message string }
		Challenge challenge.Challenge
	}
	r.JSON(t, &body)
	if r.Status != http.StatusForbidden || body.Error.Code != code || !strings.Contains(body.Error.Message, "kiểm tra bảo mật") ||
		body.Challenge.Token == "" || body.Challenge.Difficulty != 8 {
		t.Fatalf("%s: %d %s, want 403 %s with a challenge", what, r.Status, r.Body, code)
	}
	return body.Challenge
}

// After three wrong passwords for an account, a login must carry a solved challenge: the
// right password without one is refused, with one it gets in, a solution is good once,
// and the owner from a clean address gets in after solving one, never refused.
func TestLoginAsksForTheChallengeAfterFailures(t *testing.T) {
	s := challengedStack(t)
	phone := registerSolved(t, s)
	const attacker, owner = "203.0.113.66", "198.51.100.7"
	for i := 1; i <= 3; i++ {
		if r := tryLogin(from(s, t, attacker, nil), phone, "doan-mo-"+strconv.Itoa(i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d %s, want 401", i, r.Status, r.Body)
		}
	}
	expectChallenge(t, tryLogin(from(s, t, attacker, nil), phone, "doan-mo-4"), "challenge_required", "fourth guess")
	ch := expectChallenge(t, tryLogin(from(s, t, attacker, nil), phone, ownerPassword), "challenge_required", "right password, no solution")
	bad := http.Header{"X-Challenge-Token": {ch.Token}, "X-Challenge-Counter": {"x"}}
	expectChallenge(t, tryLogin(from(s, t, attacker, bad), phone, ownerPassword), "challenge_invalid", "a solution that is none")

	// A solution is spent by the try it came with, wrong password or not.
	solved := solvedHeaders(t, ch)
	if r := tryLogin(from(s, t, attacker, solved), phone, "doan-mo-5"); r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password with a solution: %d %s, want 401", r.Status, r.Body)
	}
	next := expectChallenge(t, tryLogin(from(s, t, attacker, solved), phone, ownerPassword), "challenge_reused", "a replayed solution")
	if r := tryLogin(from(s, t, attacker, solvedHeaders(t, next)), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("right password with a fresh solution: %d %s, want 200", r.Status, r.Body)
	}

	// Someone else's failures on the number: the owner, from a clean address, is asked for
	// the puzzle (not throttled, not refused) and gets in once it is solved.
	for i := 1; i <= 3; i++ {
		tryLogin(from(s, t, "203.0.113.67", nil), phone, "doan-mo-lai-"+strconv.Itoa(i))
	}
	ch = expectChallenge(t, tryLogin(from(s, t, owner, nil), phone, ownerPassword), "challenge_required", "the owner from a clean address")
	if r := tryLogin(from(s, t, owner, solvedHeaders(t, ch)), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("owner with a solution: %d %s, want 200", r.Status, r.Body)
	}
	// Their success clears the account's count: the next login needs no puzzle.
	if r := tryLogin(from(s, t, owner, nil), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("owner's next login: %d %s, want 200", r.Status, r.Body)
	}
}

// An address that failed for many numbers is asked for the challenge for any number;
// other addresses are not, and successful logins count for nothing.
func TestLoginAsksForTheChallengeFromAFailingAddress(t *testing.T) {
	s := challengedStack(t)
	phone := registerSolved(t, s)
	const sprayer = "203.0.113.80"
	for i := 0; i < 10; i++ {
		if r := tryLogin(from(s, t, "198.51.100.20", nil), phone, ownerPassword); r.Status != http.StatusOK {
			t.Fatalf("success %d: %d %s, want 200 (successes never count)", i+1, r.Status, r.Body)
		}
	}
	for i := 0; i < 5; i++ {
		if r := tryLogin(from(s, t, sprayer, nil), testenv.UniquePhone(), "doan-mo"); r.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d on an unknown number: %d %s, want 401", i+1, r.Status, r.Body)
		}
	}
	ch := expectChallenge(t, tryLogin(from(s, t, sprayer, nil), phone, ownerPassword), "challenge_required", "from the failing address")
	if r := tryLogin(from(s, t, "198.51.100.21", nil), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("from another address: %d %s, want 200 without a challenge", r.Status, r.Body)
	}
	if r := tryLogin(from(s, t, sprayer, solvedHeaders(t, ch)), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("from the failing address with a solution: %d %s, want 200", r.Status, r.Body)
	}
}
