//go:build integration

package integration

import (
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

// forwardedFor makes c send X-Forwarded-For: addr, as a proxy (or a forger) would.
func forwardedFor(c *testenv.Client, addr string) *testenv.Client {
	c.Header = http.Header{"X-Forwarded-For": {addr}}
	return c
}

func registerAs(t *testing.T, c *testenv.Client, agencyID int64) testenv.Response {
	t.Helper()
	return c.Do("POST", "/api/v1/participants", map[string]any{
		"full_name": "Trần Thị Lan", "date_of_birth": "1985-02-03", "phone": testenv.UniquePhone(),
		"agency_id": agencyID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})
}

func firstAgency(t *testing.T, s *testenv.Stack) int64 {
	t.Helper()
	var agencies []struct{ ID int64 }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	return agencies[0].ID
}

// logoutAuditIP is the address of the newest audited logout.
func logoutAuditIP(t *testing.T, s *testenv.Stack) string {
	t.Helper()
	var entries []struct{ IP, Route string }
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/audit?limit=100", nil).JSON(t, &entries)
	for _, e := range entries {
		if e.Route == "/api/v1/sessions/current" {
			return e.IP
		}
	}
	t.Fatalf("no logout in the audit log: %+v", entries)
	return ""
}

// By default no forwarding header is believed: a client that makes up a new
// X-Forwarded-For for every request is still one address to the per-IP limits, and the
// audit log records where the connection came from.
func TestForgedForwardedForIsIgnoredByDefault(t *testing.T) {
	limits := api.DefaultLimits
	limits.RegisterPerIP = api.Limit{Max: 2, Window: time.Hour}
	limits.LoginPerIP = api.Limit{Max: 2, Window: time.Hour}
	s := testenv.New(t, testenv.Options{NoWorker: true, Limits: limits})
	agency := firstAgency(t, s)
	forged := []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"}
	for i, addr := range forged {
		r := registerAs(t, forwardedFor(s.NewClient(t), addr), agency)
		if want := map[bool]int{true: http.StatusCreated, false: http.StatusTooManyRequests}[i < 2]; r.Status != want {
			t.Fatalf("registration %d claiming %s: %d, want %d: %s", i+1, addr, r.Status, want, r.Body)
		}
	}
	for i, addr := range forged {
		r := forwardedFor(s.NewClient(t), addr).Do("POST", "/api/v1/sessions", map[string]string{"phone": "0911000001", "password": "sai-mat-khau"})
		if want := map[bool]int{true: http.StatusUnauthorized, false: http.StatusTooManyRequests}[i < 2]; r.Status != want {
			t.Fatalf("login %d claiming %s: %d, want %d: %s", i+1, addr, r.Status, want, r.Body)
		}
	}

	s2 := testenv.New(t, testenv.Options{NoWorker: true})
	committee := forwardedFor(s2.Staff(t, "committee"), "203.0.113.50")
	committee.Expect(http.StatusNoContent, "DELETE", "/api/v1/sessions/current", nil) // an audited staff action
	if ip := logoutAuditIP(t, s2); ip != "127.0.0.1" {
		t.Fatalf("audit log recorded %q for a connection from 127.0.0.1", ip)
	}
}

// Behind a proxy listed in TRUSTED_PROXIES the header it sets names the client: offices
// behind one proxy get a limit each, and the audit log shows the real client.
func TestForwardedForIsBelievedFromTrustedProxies(t *testing.T) {
	limits := api.DefaultLimits
	limits.RegisterPerIP = api.Limit{Max: 1, Window: time.Hour}
	s := testenv.New(t, testenv.Options{NoWorker: true, Limits: limits, TrustedProxies: []string{"127.0.0.1/32"}})
	agency := firstAgency(t, s)
	for _, addr := range []string{"203.0.113.1", "203.0.113.2"} {
		if r := registerAs(t, forwardedFor(s.NewClient(t), addr), agency); r.Status != http.StatusCreated {
			t.Fatalf("registration from %s: %d %s", addr, r.Status, r.Body)
		}
	}
	if r := registerAs(t, forwardedFor(s.NewClient(t), "203.0.113.1"), agency); r.Status != http.StatusTooManyRequests {
		t.Fatalf("second registration from 203.0.113.1: %d %s", r.Status, r.Body)
	}
	committee := forwardedFor(s.Staff(t, "committee"), "203.0.113.50")
	committee.Expect(http.StatusNoContent, "DELETE", "/api/v1/sessions/current", nil)
	if ip := logoutAuditIP(t, s); ip != "203.0.113.50" {
		t.Fatalf("audit log recorded %q, want the forwarded 203.0.113.50", ip)
	}
}
