//go:build integration

package integration

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestRegistrationRequirementsArePublic: anyone can ask what registration requires (the
// CCCD, a contest code, roster members only), as the campaign's settings say, and the
// answer never holds the contest code itself.
func TestRegistrationRequirementsArePublic(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	type requirements struct {
		CCCD       *bool `json:"cccd_required"`
		Code       *bool `json:"contest_code_required"`
		RosterOnly *bool `json:"roster_only"`
	}
	get := func() (requirements, testenv.Response) {
		r := s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/registration/requirements", nil)
		var got requirements
		r.JSON(t, &got)
		if got.CCCD == nil || got.Code == nil || got.RosterOnly == nil {
			t.Fatalf("answer %s lacks a field", r.Body)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Fatalf("Cache-Control %q, want no-cache", cc)
		}
		return got, r
	}
	if got, r := get(); *got.CCCD || *got.Code || *got.RosterOnly {
		t.Fatalf("the seeded campaign requires nothing more, got %s", r.Body)
	}

	const code = "HP-Bi-Mat-2026"
	setRegistration(t, s, `{"require_cccd": true, "registration_code": "`+code+`", "registration": "roster_only"}`)
	got, r := get()
	if !*got.CCCD || !*got.Code || !*got.RosterOnly {
		t.Fatalf("after requiring CCCD, code and roster: %s", r.Body)
	}
	if strings.Contains(strings.ToUpper(string(r.Body)), strings.ToUpper(code)) {
		t.Fatalf("the answer leaks the contest code: %s", r.Body)
	}

	setRegistration(t, s, `{"require_cccd": false, "registration_code": "", "registration": "confirm_unmatched"}`)
	if got, r := get(); *got.CCCD || *got.Code || *got.RosterOnly {
		t.Fatalf("after lifting them: %s", r.Body)
	}
}
