package auth

import "testing"

func TestPasswordPolicy(t *testing.T) {
	const phone, name = "0912345678", "Nguyễn Văn Đức"
	for _, tc := range []struct {
		password string
		want     PasswordProblem
	}{
		{"mat-khau-thu", PasswordOK},
		{"Hoa sen nở 2026", PasswordOK},
		{"ba con ca vang", PasswordOK},
		{"", PasswordTooShort},
		{"abc123", PasswordTooShort},
		{"mậtkhẩu", PasswordTooShort}, // 7 letters, however many bytes
		{"12345678", PasswordCommon},
		{"123456789", PasswordCommon},
		{"matkhau123", PasswordCommon},
		{"MatKhau123", PasswordCommon},
		{"Mật khẩu 123", PasswordCommon},
		{"mat-khau-123", PasswordCommon},
		{"iloveyou", PasswordCommon},
		{"anhyeuem", PasswordCommon},
		{"Anhyeuem@123", PasswordCommon},
		{"password", PasswordCommon},
		{"qwertyuiop", PasswordCommon},
		{"11111111", PasswordCommon},
		{"19901990", PasswordCommon},
		{"0912345678", PasswordHasPhone},
		{"toi0912345678", PasswordHasPhone},
		{"+84912345678", PasswordHasPhone},
		{"912345678abc", PasswordHasPhone},
		{"0912-345-678", PasswordHasPhone},
		{"nguyenvanduc", PasswordIsTheName},
		{"Nguyễn Văn Đức", PasswordIsTheName},
		{"NGUYEN VAN DUC", PasswordIsTheName},
		{"nguyenvanduc1988", PasswordIsTheName},
		{"nguyenvanducanh", PasswordOK},
	} {
		if got := CheckPasswordPolicy(tc.password, phone, name); got != tc.want {
			t.Errorf("CheckPasswordPolicy(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

func TestCommonPasswordListIsLoaded(t *testing.T) {
	if n := len(commonPasswords); n < 3000 {
		t.Fatalf("%d common passwords loaded, want a few thousand", n)
	}
	for p := range commonPasswords {
		if len([]rune(p)) < MinPasswordLength {
			t.Errorf("%q is shorter than the minimum and can never match", p)
		}
	}
}

func TestEveryProblemHasAMessage(t *testing.T) {
	for _, p := range []PasswordProblem{PasswordTooShort, PasswordCommon, PasswordHasPhone, PasswordIsTheName} {
		if p.Message() == "" {
			t.Errorf("%s has no message", p)
		}
	}
}
