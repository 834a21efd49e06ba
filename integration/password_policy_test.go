//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

type fieldError struct {
	Error struct{ Code, Message, Field string }
}

// expectWeakPassword checks a 400 weak_password answer at field with message.
func expectWeakPassword(t *testing.T, r testenv.Response, field, message, what string) {
	t.Helper()
	var e fieldError
	_ = json.Unmarshal(r.Body, &e)
	if r.Status != http.StatusBadRequest || e.Error.Code != "weak_password" || e.Error.Field != field || e.Error.Message != message {
		t.Errorf("%s: %d %s, want 400 weak_password at %s: %q", what, r.Status, r.Body, field, message)
	}
}

// Registration refuses the passwords guessers try first, saying why at the password field,
// and stores nothing.
func TestRegistrationRefusesWeakPasswords(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	agency := firstAgency(t, s)
	phone := testenv.UniquePhone()
	anonymous := s.NewClient(t)
	for _, tc := range []struct{ password, message string }{
		{"1234567", "Mật khẩu phải có ít nhất 8 ký tự."},
		{"12345678", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."},
		{"123456789", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."},
		{"matkhau123", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."},
		{"iloveyou", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."},
		{"so" + phone, "Mật khẩu không được chứa số điện thoại của bạn."},
		{"Hoàng Thị Thuỷ", "Mật khẩu không được là họ tên của bạn."},
		{"hoangthithuy", "Mật khẩu không được là họ tên của bạn."},
	} {
		r := anonymous.Do("POST", "/api/v1/participants", map[string]any{
			"full_name": "Hoàng Thị Thuỷ", "date_of_birth": "1991-09-02", "phone": phone,
			"agency_id": agency, "position": "Chuyên viên", "password": tc.password,
		})
		expectWeakPassword(t, r, "password", tc.message, tc.password)
	}
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM users WHERE phone = $1`, phone).Scan(&n); err != nil || n != 0 {
		t.Fatalf("refused registrations stored %d accounts (%v)", n, err)
	}
	anonymous.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Hoàng Thị Thuỷ", "date_of_birth": "1991-09-02", "phone": phone,
		"agency_id": agency, "position": "Chuyên viên", "password": "thuy-yeu-bien-xanh",
	})
}
