//go:build integration

package integration

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/ratelimit"
	"github.com/hpcontest/contest/internal/testenv"
)

const ownerPassword = "mat-khau-thu"

// registeredPhone registers a participant with ownerPassword and returns the phone.
func registeredPhone(t *testing.T, s *testenv.Stack) string {
	t.Helper()
	phone := testenv.UniquePhone()
	s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Phạm Văn Chủ", "date_of_birth": "1984-06-01", "phone": phone,
		"agency_id": firstAgency(t, s), "position": "Chuyên viên", "password": ownerPassword,
	})
	return phone
}

func tryLogin(c *testenv.Client, phone, password string) testenv.Response {
	return c.Do("POST", "/api/v1/sessions", map[string]string{"phone": phone, "password": password})
}

// expectThrottled checks a 429 login_throttled answer and returns its Retry-After.
func expectThrottled(t *testing.T, r testenv.Response, what string) int {
	t.Helper()
	seconds, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if r.Status != http.StatusTooManyRequests || r.ErrorCode() != "login_throttled" || err != nil || seconds < 1 {
		t.Fatalf("%s: %d Retry-After %q %s, want 429 login_throttled", what, r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	return seconds
}

// Someone typing wrong passwords for a participant's number from their own address is
// slowed down; the participant, from theirs, logs in as usual.
func TestAnotherAddressCannotLockTheOwnerOut(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true, TrustedProxies: []string{"127.0.0.1/32"}})
	phone := registeredPhone(t, s)
	attacker := forwardedFor(s.NewClient(t), "203.0.113.66")
	for i := 1; i <= 5; i++ {
		if r := tryLogin(attacker, phone, "doan-mo-"+strconv.Itoa(i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d %s", i, r.Status, r.Body)
		}
	}
	for i := 6; i <= 12; i++ {
		if wait := expectThrottled(t, tryLogin(attacker, phone, "doan-mo-"+strconv.Itoa(i)), "guess "+strconv.Itoa(i)); wait > 30 {
			t.Fatalf("guess %d: Retry-After %d after five failures, want at most 30", i, wait)
		}
	}
	// Even the right password waits from the attacker's address…
	expectThrottled(t, tryLogin(attacker, phone, ownerPassword), "right password from the throttled address")
	// …but the owner's address was never part of it.
	owner := forwardedFor(s.NewClient(t), "198.51.100.7")
	if r := tryLogin(owner, phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("owner's login: %d %s", r.Status, r.Body)
	}
}

// A successful login wipes the failures before it, and the wait grows with each failure
// after the free ones.
func TestSuccessfulLoginResetsFailuresAndDelaysGrow(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	phone := registeredPhone(t, s)
	c := s.NewClient(t)
	for i := 0; i < 3; i++ {
		tryLogin(c, phone, "go-nham")
	}
	if r := tryLogin(c, phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("right password after 3 failures: %d %s", r.Status, r.Body)
	}
	for i := 1; i <= 5; i++ {
		if r := tryLogin(c, phone, "go-nham"); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d after the reset: %d %s", i, r.Status, r.Body)
		}
	}
	if wait := expectThrottled(t, tryLogin(c, phone, ownerPassword), "after five failures"); wait != 30 {
		t.Fatalf("first wait %d s, want 30", wait)
	}

	limits := api.DefaultLimits
	limits.LoginFailures = ratelimit.FailurePolicy{Free: 2, Window: time.Minute, Base: 2 * time.Second, Cap: 8 * time.Second}
	s = testenv.New(t, testenv.Options{NoWorker: true, Limits: limits})
	phone = registeredPhone(t, s)
	c = s.NewClient(t)
	tryLogin(c, phone, "go-nham")
	tryLogin(c, phone, "go-nham")
	first := expectThrottled(t, tryLogin(c, phone, "go-nham"), "after two failures")
	// Throttled attempts are refused unchecked and count for nothing; once the wait is
	// over the next failure doubles it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := tryLogin(c, phone, "go-nham")
		if r.Status == http.StatusUnauthorized {
			break
		}
		expectThrottled(t, r, "waiting")
		if time.Now().After(deadline) {
			t.Fatal("still throttled 10 s after a 2 s wait")
		}
		time.Sleep(200 * time.Millisecond)
	}
	second := expectThrottled(t, tryLogin(c, phone, "go-nham"), "after the third failure")
	if first > 2 || second < 3 || second > 4 {
		t.Fatalf("waits %d s then %d s, want 2 then 4", first, second)
	}
}

// With Redis away the request limits let everything through, but failed logins are
// still throttled, by this process.
func TestLoginThrottleHoldsWithoutRedis(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true, LimiterRedis: "127.0.0.1:1"})
	phone := registeredPhone(t, s)
	c := s.NewClient(t)
	for i := 1; i <= 5; i++ {
		if r := tryLogin(c, phone, "go-nham"); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i, r.Status, r.Body)
		}
	}
	expectThrottled(t, tryLogin(c, phone, "go-nham"), "sixth try without Redis")
}
