//go:build integration

package integration

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// loggedIn logs a new client in.
func loggedIn(t *testing.T, s *testenv.Stack, phone, password string) *testenv.Client {
	t.Helper()
	c := s.NewClient(t)
	c.Login(phone, password)
	return c
}

// A participant changes their password: the current one is checked, the new one must
// pass the rules, and every other session ends while this one goes on.
func TestParticipantChangesPassword(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	phone := registeredPhone(t, s)
	laptop, phoneApp := loggedIn(t, s, phone, ownerPassword), loggedIn(t, s, phone, ownerPassword)

	r := laptop.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": "khong-phai", "new_password": "hoa-phuong-do-2026"})
	if r.Status != http.StatusBadRequest || r.ErrorCode() != "wrong_current_password" {
		t.Fatalf("wrong current password: %d %s", r.Status, r.Body)
	}
	expectWeakPassword(t, laptop.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": "12345678"}),
		"new_password", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác.", "common new password")
	expectWeakPassword(t, laptop.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": "sdt" + phone}),
		"new_password", "Mật khẩu không được chứa số điện thoại của bạn.", "new password with the phone")
	expectWeakPassword(t, laptop.Do("PUT", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": "Phạm Văn Chủ"}),
		"new_password", "Mật khẩu không được là họ tên của bạn.", "new password = name")
	if r := tryLogin(s.NewClient(t), phone, ownerPassword); r.Status != http.StatusOK {
		t.Fatalf("refused changes changed the password: %d %s", r.Status, r.Body)
	}

	laptop.Expect(http.StatusNoContent, "PUT", "/api/v1/me/password", map[string]string{"current_password": ownerPassword, "new_password": "hoa-phuong-do-2026"})
	laptop.Expect(http.StatusOK, "GET", "/api/v1/me", nil)
	if r := phoneApp.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Fatalf("another session survived the change: %d %s", r.Status, r.Body)
	}
	if r := tryLogin(s.NewClient(t), phone, ownerPassword); r.Status != http.StatusUnauthorized {
		t.Fatalf("old password still logs in: %d %s", r.Status, r.Body)
	}
	loggedIn(t, s, phone, "hoa-phuong-do-2026")
}

// "Log out everywhere" ends every session of the account, the one asking included.
func TestLogoutEverywhere(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	phone := registeredPhone(t, s)
	a, b := loggedIn(t, s, phone, ownerPassword), loggedIn(t, s, phone, ownerPassword)
	other := s.Participant(t)
	a.Expect(http.StatusNoContent, "DELETE", "/api/v1/me/sessions", nil)
	for name, c := range map[string]*testenv.Client{"the asking session": a, "the other session": b} {
		if r := c.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
			t.Errorf("%s still works: %d %s", name, r.Status, r.Body)
		}
	}
	other.Expect(http.StatusOK, "GET", "/api/v1/me", nil) // another account is untouched
	loggedIn(t, s, phone, ownerPassword)                  // and the password still works
}

// A focal point resets a participant of its own agency (and only those), the secretariat
// any participant; the one-time password is shown once, logs in only to be changed, and
// every reset (refused ones too) is in the audit log.
func TestPasswordResetByFocalPointAndSecretariat(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	var own, other int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT min(id), max(id) FROM agencies`).Scan(&own, &other); err != nil || own == other {
		t.Fatalf("need two agencies: %v", err)
	}
	focal := focalPoint(t, s, own)
	participantIn := func(agency int64) (int64, string, *testenv.Client) {
		phone := testenv.UniquePhone()
		s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
			"full_name": "Đỗ Thị Quên", "date_of_birth": "1979-11-20", "phone": phone,
			"agency_id": agency, "position": "Chuyên viên", "password": ownerPassword,
		})
		c := loggedIn(t, s, phone, ownerPassword)
		var me struct{ ID int64 }
		c.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
		return me.ID, phone, c
	}
	mine, minePhone, mineSession := participantIn(own)
	theirs, theirsPhone, _ := participantIn(other)
	reset := func(c *testenv.Client, id int64) testenv.Response {
		return c.Do("POST", "/api/v1/participants/"+strconv.FormatInt(id, 10)+"/password-reset", nil)
	}

	if r := reset(focal, theirs); r.Status != http.StatusForbidden || r.ErrorCode() != "forbidden" {
		t.Fatalf("focal point resetting another agency's participant: %d %s", r.Status, r.Body)
	}
	loggedIn(t, s, theirsPhone, ownerPassword) // untouched
	if r := reset(mineSession, theirs); r.Status != http.StatusForbidden {
		t.Fatalf("a participant resetting another: %d %s", r.Status, r.Body)
	}
	secretariat := s.Staff(t, "secretariat")
	var committee int64
	if err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM users WHERE role = 'committee' LIMIT 1`).Scan(&committee); err != nil {
		t.Fatal(err)
	}
	if r := reset(secretariat, committee); r.Status != http.StatusForbidden || r.ErrorCode() != "reset_not_participant" {
		t.Fatalf("resetting a staff account: %d %s", r.Status, r.Body)
	}

	var got struct {
		UserID             int64  `json:"user_id"`
		OneTimePassword    string `json:"one_time_password"`
		MustChangePassword bool   `json:"must_change_password"`
	}
	r := reset(focal, mine)
	if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("focal point's reset: %d %q %s", r.Status, r.Header.Get("Cache-Control"), r.Body)
	}
	r.JSON(t, &got)
	if got.UserID != mine || len(got.OneTimePassword) < 12 || !got.MustChangePassword {
		t.Fatalf("reset answer %+v", got)
	}
	if r := mineSession.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Fatalf("the participant's session survived the reset: %d", r.Status)
	}
	if r := tryLogin(s.NewClient(t), minePhone, ownerPassword); r.Status != http.StatusUnauthorized {
		t.Fatalf("the old password still logs in: %d", r.Status)
	}

	// The one-time password logs in, but only to choose a new password.
	c := s.NewClient(t)
	var login struct {
		Token              string `json:"token"`
		MustChangePassword bool   `json:"must_change_password"`
	}
	c.Expect(http.StatusOK, "POST", "/api/v1/sessions", map[string]string{"phone": minePhone, "password": got.OneTimePassword}).JSON(t, &login)
	c.Token = login.Token
	if !login.MustChangePassword {
		t.Fatal("login with the one-time password does not say it must be changed")
	}
	var me struct {
		MustChangePassword bool `json:"must_change_password"`
	}
	c.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
	if !me.MustChangePassword {
		t.Fatal("GET /me does not say the password must be changed")
	}
	for _, path := range []string{"/api/v1/me/attempts"} {
		if r := c.Get(path); r.Status != http.StatusForbidden || r.ErrorCode() != "password_change_required" {
			t.Fatalf("GET %s before the change: %d %s", path, r.Status, r.Body)
		}
	}
	if r := c.Do("POST", "/api/v1/rounds/"+strconv.FormatInt(s.CurrentRoundID(t), 10)+"/attempts", nil); r.Status != http.StatusForbidden || r.ErrorCode() != "password_change_required" {
		t.Fatalf("starting an attempt before the change: %d %s", r.Status, r.Body)
	}
	c.Expect(http.StatusNoContent, "PUT", "/api/v1/me/password", map[string]string{"current_password": got.OneTimePassword, "new_password": "nho-mat-khau-moi"})
	c.Expect(http.StatusOK, "GET", "/api/v1/me/attempts", nil)
	if r := tryLogin(s.NewClient(t), minePhone, got.OneTimePassword); r.Status != http.StatusUnauthorized {
		t.Fatalf("the one-time password logs in again: %d", r.Status)
	}
	var again struct {
		MustChangePassword bool `json:"must_change_password"`
	}
	s.NewClient(t).Expect(http.StatusOK, "POST", "/api/v1/sessions", map[string]string{"phone": minePhone, "password": "nho-mat-khau-moi"}).JSON(t, &again)
	if again.MustChangePassword {
		t.Fatal("still must change after changing")
	}

	// The secretariat may reset a participant of any agency.
	secretariat.Expect(http.StatusOK, "POST", "/api/v1/participants/"+strconv.FormatInt(theirs, 10)+"/password-reset", nil)

	var entries []struct {
		Role   string
		Route  string
		Path   string
		Status int
	}
	s.Staff(t, "committee").Expect(http.StatusOK, "GET", "/api/v1/audit?limit=50", nil).JSON(t, &entries)
	want := map[string]bool{
		"agency 403 " + strconv.FormatInt(theirs, 10):         true,
		"agency 200 " + strconv.FormatInt(mine, 10):           true,
		"secretariat 403 " + strconv.FormatInt(committee, 10): true,
		"secretariat 200 " + strconv.FormatInt(theirs, 10):    true,
	}
	for _, e := range entries {
		if e.Route == "/api/v1/participants/:id/password-reset" {
			delete(want, e.Role+" "+strconv.Itoa(e.Status)+" "+e.Path[len("/api/v1/participants/"):len(e.Path)-len("/password-reset")])
		}
	}
	if len(want) > 0 {
		t.Fatalf("resets missing from the audit log: %v (log %+v)", want, entries)
	}
}
