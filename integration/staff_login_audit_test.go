//go:build integration

package integration

import (
	"net/http"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// Staff logins, failed and successful, are in the audit log with the account, its phone,
// the client's address and the outcome; participants' logins are not.
func TestStaffLoginsAreAudited(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true, TrustedProxies: []string{"127.0.0.1/32"}})
	phone := registeredPhone(t, s)
	office := forwardedFor(s.NewClient(t), "203.0.113.77")
	if r := tryLogin(office, "0911000002", "doan-bua"); r.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d %s", r.Status, r.Body)
	}
	if r := tryLogin(office, "0911000002", "thuky-demo-2023"); r.Status != http.StatusOK {
		t.Fatalf("right password: %d %s", r.Status, r.Body)
	}
	if r := tryLogin(office, phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("participant login: %d %s", r.Status, r.Body)
	}

	var entries []struct {
		UserName  string `json:"user_name"`
		UserPhone string `json:"user_phone"`
		Role      string
		Method    string
		Route     string
		Status    int
		IP        string
	}
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/audit?limit=100", nil).JSON(t, &entries)
	outcomes := map[int]bool{}
	for _, e := range entries {
		if e.Route != "/api/v1/sessions" || e.Method != "POST" {
			continue
		}
		if e.UserPhone == phone || e.Role == "participant" {
			t.Errorf("a participant's login was audited: %+v", e)
		}
		if e.UserPhone == "0911000002" {
			if e.Role != "secretariat" || e.IP != "203.0.113.77" || e.UserName == "" {
				t.Errorf("secretariat login entry %+v", e)
			}
			outcomes[e.Status] = true
		}
	}
	if !outcomes[http.StatusUnauthorized] || !outcomes[http.StatusOK] {
		t.Fatalf("secretariat login outcomes audited %v, want 401 and 200 (log %+v)", outcomes, entries)
	}
}
