package auth

import (
	_ "embed"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MinPasswordLength is the shortest password accepted at registration and change.
const MinPasswordLength = 8

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords are the passwords tried first by anyone guessing (lower case).
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[strings.ToLower(line)] = true
		}
	}
	return set
}()

// PasswordProblem says why a password is refused: one of the constants below, or "" when
// it is acceptable.
type PasswordProblem string

const (
	PasswordOK        PasswordProblem = ""
	PasswordTooShort  PasswordProblem = "too_short"
	PasswordCommon    PasswordProblem = "common"
	PasswordHasPhone  PasswordProblem = "contains_phone"
	PasswordIsTheName PasswordProblem = "is_name"
)

// Message is the Vietnamese sentence shown at the password field.
func (p PasswordProblem) Message() string {
	switch p {
	case PasswordTooShort:
		return "Mật khẩu phải có ít nhất 8 ký tự."
	case PasswordCommon:
		return "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."
	case PasswordHasPhone:
		return "Mật khẩu không được chứa số điện thoại của bạn."
	case PasswordIsTheName:
		return "Mật khẩu không được là họ tên của bạn."
	}
	return ""
}

// CheckPasswordPolicy judges a new password for the account with this phone (normalized,
// 0xxxxxxxxx) and full name. Guessers try the common list, the phone number and the name
// first; all three are one search away for anyone who knows the participant.
func CheckPasswordPolicy(password, phone, fullName string) PasswordProblem {
	if len([]rune(password)) < MinPasswordLength {
		return PasswordTooShort
	}
	lower := strings.ToLower(password)
	folded := foldLetters(password, true)
	if commonPasswords[lower] || commonPasswords[folded] {
		return PasswordCommon
	}
	digits := onlyDigits(password)
	if national := strings.TrimPrefix(onlyDigits(phone), "84"); len(national) >= 9 {
		// The last nine digits match 0912…, +84912… and 84912… alike.
		if strings.Contains(digits, national[len(national)-9:]) {
			return PasswordHasPhone
		}
	}
	if name := foldLetters(fullName, false); name != "" {
		// The name with or without spaces, diacritics, case or a trailing year.
		if foldLetters(password, false) == name {
			return PasswordIsTheName
		}
	}
	return PasswordOK
}

// foldLetters lower-cases s, removes diacritics (đ becomes d) and drops everything but
// letters, and digits too when keepDigits is false.
func foldLetters(s string, keepDigits bool) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r == 'đ':
			b.WriteRune('d')
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			b.WriteRune(r)
		case keepDigits && unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
