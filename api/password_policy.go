package api

import (
	"net/http"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
)

// passwordPolicy refuses a weak new password (400 weak_password) with the reason, in
// Vietnamese, attached to the request field it came in.
func passwordPolicy(field, password, phone, fullName string) *Error {
	problem := auth.CheckPasswordPolicy(password, rules.NormalizePhone(phone), fullName)
	if problem == auth.PasswordOK {
		return nil
	}
	return &Error{Status: http.StatusBadRequest, Code: "weak_password", Message: problem.Message(), Field: field}
}
