//go:build integration

package webtest

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestStaffResetAParticipantsPassword: the focal point resets, from the people list on
// /don-vi, the password of someone of their own agency (the agencies under it have their
// own focal points: no button there), and the secretariat, on /thu-ky, finds a participant
// by phone and resets theirs. Each asks once more, then shows the one-time password once,
// which logs in (to choose a new password only) until "ẩn" wipes it from the page; both
// resets are audited. Screenshots at 360 and 1280 px. Before this change neither page
// could reset a password.
func TestStaffResetAParticipantsPassword(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	_, byCode := listAgencies(t, s)
	district := byCode["q-le-chan"]
	var ward int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM agencies WHERE parent_id = $1 ORDER BY name LIMIT 1`, district.ID).Scan(&ward); err != nil {
		t.Fatal(err)
	}
	register := func(name string, agency int64) (int64, string) {
		phone := testenv.UniquePhone()
		var out struct {
			ID int64 `json:"id"`
		}
		s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{"full_name": name, "date_of_birth": "1983-07-08",
			"phone": phone, "agency_id": agency, "position": "Chuyên viên", "password": "mat-khau-cu-1"})
		if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM users WHERE phone = $1`, phone).Scan(&out.ID); err != nil {
			t.Fatal(err)
		}
		return out.ID, phone
	}
	mine, minePhone := register("Nguyễn Văn Quên", district.ID)
	wardID, _ := register("Lê Thị Phường", ward)
	theirs, theirsPhone := register("Trần Thị Gọi Điện", byCode["so-noi-vu"].ID)

	otpLogsIn := func(phone, otp string) {
		t.Helper()
		var got struct {
			MustChangePassword bool `json:"must_change_password"`
		}
		s.NewClient(t).Expect(http.StatusOK, "POST", "/api/v1/sessions", map[string]string{"phone": phone, "password": otp}).JSON(t, &got)
		if !got.MustChangePassword {
			t.Fatal("the one-time password's login does not ask for a new password")
		}
	}
	resetAndShoot := func(b *browser, name string) string {
		b.waitVisible("#reset-confirm")
		if got := b.text("#reset-confirm"); got != "Xác nhận đặt lại" {
			t.Fatalf("confirm button %q", got)
		}
		b.click("#reset-confirm")
		b.waitVisible("#reset-password")
		otp := strings.TrimSpace(b.text("#reset-password"))
		if len(otp) < 12 {
			t.Fatalf("one-time password shown %q", otp)
		}
		b.shootWidths(name)
		eval[bool](b, `(document.querySelector("#reset-result").scrollIntoView({block: "center"}), true)`)
		b.screenshotViewport(name + "-shown-360")
		b.click("#reset-hide")
		if eval[bool](b, `!!document.querySelector("#reset-password")`) {
			t.Fatal("the one-time password is still on the page after hiding it")
		}
		return otp
	}

	// The focal point of the district, on its people list.
	b := newBrowser(t, s.URL, 360, 740)
	b.login(agencyAccount(t, s, &district.ID))
	b.open("/don-vi")
	b.waitVisible("#people-table")
	if n := eval[int](b, `document.querySelectorAll('[data-reset="`+strconv.FormatInt(wardID, 10)+`"]').length`); n != 0 {
		t.Fatalf("%d reset buttons for the ward's participant, want none", n)
	}
	if row := b.rowWith("#people-table", "Lê Thị Phường"); row == "<missing>" {
		t.Fatal("the ward's participant is not on the district's list")
	}
	b.click(`[data-reset="` + strconv.FormatInt(mine, 10) + `"]`)
	if got := b.text("#people-reset"); !strings.Contains(got, "Nguyễn Văn Quên") {
		t.Fatalf("the confirmation names %q", got)
	}
	otpLogsIn(minePhone, resetAndShoot(b, "agency-password-reset"))

	// The secretariat, for someone who calls in.
	b.login(s.Staff(t, "secretariat"))
	b.open("/thu-ky")
	b.waitVisible("#reset-section")
	b.typeInto("#reset-phone", theirsPhone)
	b.click("#reset-lookup")
	b.waitVisible("#reset-person")
	if got := b.text("#reset-person"); !strings.Contains(got, "Trần Thị Gọi Điện") || !strings.Contains(got, "Sở Nội vụ") {
		t.Fatalf("found %q", got)
	}
	b.click("#reset-start")
	otpLogsIn(theirsPhone, resetAndShoot(b, "secretariat-password-reset"))
	b.assertNoProblems()

	var audited int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE route = '/api/v1/participants/:id/password-reset' AND status = 200
		AND path IN ($1, $2)`, "/api/v1/participants/"+strconv.FormatInt(mine, 10)+"/password-reset",
		"/api/v1/participants/"+strconv.FormatInt(theirs, 10)+"/password-reset").Scan(&audited); err != nil || audited != 2 {
		t.Fatalf("%d resets audited (%v), want 2", audited, err)
	}
}
