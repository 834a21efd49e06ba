package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/store"
)

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password" validate:"required,max=128"`
	NewPassword     string `json:"new_password" validate:"required,max=128"`
}

var (
	errWrongCurrentPassword = &Error{Status: http.StatusBadRequest, Code: "wrong_current_password",
		Message: "Mật khẩu hiện tại không đúng.", Field: "current_password"}
	errSamePassword = &Error{Status: http.StatusBadRequest, Code: "weak_password",
		Message: "Mật khẩu mới phải khác mật khẩu hiện tại.", Field: "new_password"}
	errPasswordChangeRequired = newError(http.StatusForbidden, "password_change_required",
		"Mật khẩu của bạn vừa được đặt lại. Vui lòng đổi mật khẩu trước khi tiếp tục.")
	errResetNotParticipant = newError(http.StatusForbidden, "reset_not_participant",
		"Chỉ đặt lại được mật khẩu của tài khoản người dự thi.")
	errResetOtherAgency = newError(http.StatusForbidden, "forbidden",
		"Bạn chỉ được đặt lại mật khẩu cho người dự thi thuộc cơ quan, đơn vị của mình.")
)

// changePassword sets the account's own new password (PUT /me/password). The current
// password is asked again so that a session left open on a shared computer cannot take
// the account over; wrong guesses are throttled like failed logins. Every other session
// ends.
func (s *server) changePassword(c *gin.Context) {
	var req changePasswordRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	u := currentUser(c)
	key := "password:" + strconv.FormatInt(u.ID, 10) + "|" + c.ClientIP()
	throttled, failures := s.loginThrottled(c, key)
	if throttled {
		return
	}
	owner, err := s.Store.PasswordOwner(c.Request.Context(), u.ID)
	if err != nil {
		fail(c, err)
		return
	}
	ok, err := auth.CheckPasswordCtx(c.Request.Context(), req.CurrentPassword, owner.PasswordHash)
	if err != nil {
		fail(c, err)
		return
	}
	if !ok {
		s.loginFailed(c, key)
		fail(c, errWrongCurrentPassword)
		return
	}
	s.loginSucceeded(c, key, failures)
	if req.NewPassword == req.CurrentPassword {
		fail(c, errSamePassword)
		return
	}
	if err := passwordPolicy("new_password", req.NewPassword, owner.Phone, owner.FullName); err != nil {
		fail(c, err)
		return
	}
	hash, err := auth.HashPasswordCtx(c.Request.Context(), req.NewPassword)
	if err != nil {
		fail(c, err)
		return
	}
	token := c.MustGet(tokenKey).(string)
	if err := s.Store.ChangePassword(c.Request.Context(), u.ID, hash, auth.HashToken(token)); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// logoutEverywhere ends every session of the account, this one included (DELETE
// /me/sessions): for a phone lost or a password typed on someone else's computer.
func (s *server) logoutEverywhere(c *gin.Context) {
	if err := s.Store.RevokeAllSessions(c.Request.Context(), currentUser(c).ID); err != nil {
		fail(c, err)
		return
	}
	clearSessionCookies(c)
	c.Status(http.StatusNoContent)
}

type passwordResetResponse struct {
	UserID             int64  `json:"user_id"`
	OneTimePassword    string `json:"one_time_password"`
	MustChangePassword bool   `json:"must_change_password"`
}

// resetPassword gives a participant who forgot their password a one-time password
// (POST /participants/:id/password-reset), shown only in this answer, to be changed at the
// next login. The secretariat may reset any participant, a focal point only those of its
// own agency. Every attempt is audited, refused ones too.
func (s *server) resetPassword(c *gin.Context) {
	c.Set(auditAlwaysKey, true)
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	owner, err := s.Store.PasswordOwner(c.Request.Context(), id)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("participant"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if owner.Role != contest.RoleParticipant {
		fail(c, errResetNotParticipant)
		return
	}
	if u := currentUser(c); u.Role == contest.RoleAgency && (u.AgencyID == nil || owner.AgencyID == nil || *u.AgencyID != *owner.AgencyID) {
		fail(c, errResetOtherAgency)
		return
	}
	password, err := auth.NewPassword()
	if err != nil {
		fail(c, err)
		return
	}
	hash, err := auth.HashPasswordCtx(c.Request.Context(), password)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.ResetPassword(c.Request.Context(), id, hash); err != nil {
		fail(c, fmt.Errorf("reset password of %d: %w", id, err))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, passwordResetResponse{UserID: id, OneTimePassword: password, MustChangePassword: true})
}

// passwordChangeRoutes are what an account holding a one-time password may still call.
var passwordChangeRoutes = map[string]bool{
	"/api/v1/me":               true,
	"/api/v1/me/password":      true,
	"/api/v1/me/sessions":      true,
	"/api/v1/sessions/current": true,
}

// requirePasswordChosen stops an account logged in with a one-time password until it
// has chosen its own: whoever handed the one-time password out has seen it.
func requirePasswordChosen(c *gin.Context, u store.SessionUser) bool {
	if u.MustChangePassword && !passwordChangeRoutes[c.FullPath()] {
		fail(c, errPasswordChangeRequired)
		return false
	}
	return true
}
