//go:build integration

package integration

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestSecretariatFindsAParticipantToReset: the secretariat finds the account of someone
// who calls in by the phone they log in with (typed any way), sees their name and agency,
// and resets the password of that id; a staff number, an unknown one or a malformed one
// finds nothing, other roles are refused, and every lookup is in the audit log.
func TestSecretariatFindsAParticipantToReset(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	phone := registeredPhone(t, s)
	secretariat := s.Staff(t, "secretariat")
	var found struct {
		ID         int64
		FullName   string `json:"full_name"`
		Phone      string
		AgencyName string `json:"agency_name"`
	}
	typed := phone[:4] + " " + phone[4:7] + "." + phone[7:]
	r := secretariat.Expect(http.StatusOK, "GET", "/api/v1/participants?phone="+url.QueryEscape(typed), nil)
	r.JSON(t, &found)
	if found.ID == 0 || found.FullName != "Phạm Văn Chủ" || found.Phone != phone || found.AgencyName == "" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("lookup of %q: %+v (%q)", typed, found, r.Header.Get("Cache-Control"))
	}
	var staffPhone string
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT phone FROM users WHERE role = 'committee' LIMIT 1`).Scan(&staffPhone); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ phone, code string }{
		{staffPhone, "participant_not_found"}, {testenv.UniquePhone(), "participant_not_found"}, {"12345", "invalid_field"},
	} {
		if r := secretariat.Do("GET", "/api/v1/participants?phone="+c.phone, nil); r.ErrorCode() != c.code {
			t.Fatalf("lookup of %q: %d %s, want %s", c.phone, r.Status, r.Body, c.code)
		}
	}
	for _, role := range []string{"committee", "jury"} {
		if r := s.Staff(t, role).Do("GET", "/api/v1/participants?phone="+phone, nil); r.Status != http.StatusForbidden {
			t.Fatalf("lookup as %s: %d %s, want 403", role, r.Status, r.Body)
		}
	}

	var reset struct {
		OneTimePassword string `json:"one_time_password"`
	}
	secretariat.Expect(http.StatusOK, "POST", "/api/v1/participants/"+strconv.FormatInt(found.ID, 10)+"/password-reset", nil).JSON(t, &reset)
	if r := tryLogin(s.NewClient(t), phone, reset.OneTimePassword); r.Status != http.StatusOK {
		t.Fatalf("the one-time password of the found account: %d %s", r.Status, r.Body)
	}

	var entries []struct {
		Role, Route, Path string
		Status            int
	}
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/audit?limit=50", nil).JSON(t, &entries)
	lookups := 0
	for _, e := range entries {
		if e.Route == "/api/v1/participants" && e.Role == "secretariat" {
			lookups++
		}
	}
	if lookups != 4 {
		t.Fatalf("%d secretariat lookups in the audit log, want 4: %+v", lookups, entries)
	}
}
