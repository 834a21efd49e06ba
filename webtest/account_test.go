//go:build integration

package webtest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// After the secretariat resets a forgotten password, the participant logs in with the
// one-time password, is taken to the change form before anything else, is told at the
// field why a weak password is refused, and once it is changed lands where they were
// going. "Đăng xuất khỏi mọi thiết bị" then ends the session.
func TestPasswordChangeAfterReset(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	anonymous := s.NewClient(t)
	var agencies []struct{ ID int64 }
	anonymous.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	phone := testenv.UniquePhone()
	var created struct{ ID int64 }
	anonymous.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Vũ Thị Quên", "date_of_birth": "1987-03-30", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-da-quen",
	}).JSON(t, &created)
	var reset struct {
		OneTimePassword string `json:"one_time_password"`
	}
	s.Staff(t, "secretariat").Expect(http.StatusOK, "POST", "/api/v1/participants/"+strconv.FormatInt(created.ID, 10)+"/password-reset", nil).JSON(t, &reset)

	b := newBrowser(t, s.URL, 360, 740)
	b.loginThroughPage("/thi", phone, reset.OneTimePassword)
	b.waitPath("/tai-khoan")
	b.waitVisible("#account-forced")
	b.typeInto("#current_password", reset.OneTimePassword)
	b.typeInto("#new_password", "12345678")
	b.typeInto("#confirm_password", "12345678")
	b.click("#password-submit")
	b.waitVisible("#new_password-error")
	if got := b.text("#new_password-error"); !strings.Contains(got, "phổ biến") {
		t.Fatalf("weak password message %q", got)
	}
	b.screenshot("account-forced-360")
	b.clearField("#new_password")
	b.clearField("#confirm_password")
	b.typeInto("#new_password", "sen-hong-thang-5")
	b.typeInto("#confirm_password", "sen-hong-thang-5")
	b.click("#password-submit")
	b.waitPath("/thi")
	anonymous.Login(phone, "sen-hong-thang-5")

	b.open("/tai-khoan")
	b.waitVisible("#logout-everywhere")
	b.assertAccessible("/tai-khoan")
	eval[bool](b, `(window.confirm = () => true, true)`)
	b.click("#logout-everywhere")
	b.waitPath("/dang-nhap")
	b.waitVisible("#login-notice")
	if r := anonymous.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Fatalf("another session survived logging out everywhere: %d", r.Status)
	}
	b.open("/tai-khoan")
	b.waitVisible("#account-login")
	b.assertNoProblems()
}
