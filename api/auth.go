package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

const (
	userKey  = "user"
	tokenKey = "session_token"
)

// authenticate resolves the request's session to its account or answers 401. API clients
// send the token as "Authorization: Bearer"; the web pages send it as the HttpOnly session
// cookie, and then an unsafe method must also pass the CSRF check (403 csrf_failed). A
// request with an Authorization header is judged by that header alone: nothing ambient
// authenticates it, so it needs no CSRF token.
func (s *server) authenticate(c *gin.Context) {
	token, viaCookie := "", false
	if header := c.GetHeader("Authorization"); header != "" {
		var ok bool
		if token, ok = bearerToken(header); !ok {
			fail(c, errUnauthorized)
			return
		}
	} else if token, viaCookie = sessionCookie(c.Request); !viaCookie {
		fail(c, errUnauthorized)
		return
	}
	u, err := s.Store.UserBySession(c.Request.Context(), auth.HashToken(token))
	if errors.Is(err, contest.ErrNotFound) {
		if viaCookie {
			clearSessionCookies(c) // expired or revoked: the browser may forget it
		}
		fail(c, errUnauthorized)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if viaCookie && unsafeMethod(c.Request.Method) && !checkCSRF(c.Request, token) {
		fail(c, errCSRF)
		return
	}
	if !requirePasswordChosen(c, u) {
		return
	}
	c.Set(userKey, u)
	c.Set(tokenKey, token)
	c.Next()
}

func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

func currentUser(c *gin.Context) store.SessionUser {
	return c.MustGet(userKey).(store.SessionUser)
}

// requireParticipant stops staff accounts: plan II.1 bars them from sitting the contest.
func requireParticipant(c *gin.Context) (store.SessionUser, bool) {
	u := currentUser(c)
	if u.Role != contest.RoleParticipant {
		fail(c, errNotParticipant)
		return u, false
	}
	return u, true
}

type loginRequest struct {
	Phone    string `json:"phone" validate:"required,max=20"`
	Password string `json:"password" validate:"required,max=128"`
}

type loginResponse struct {
	Token string `json:"token"`
	Role  string `json:"role"`
	// MustChangePassword: logged in with a one-time password; only a password change
	// (PUT /me/password) is allowed until then.
	MustChangePassword bool `json:"must_change_password"`
}

func (s *server) login(c *gin.Context) {
	// Login CSRF: another site must not log a browser into an account of its choosing.
	if !sameOrigin(c.Request) {
		fail(c, errCSRF)
		return
	}
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	phone := rules.NormalizePhone(req.Phone)
	key := loginKey(c, phone)
	creds, err := s.Store.CredentialsByPhone(c.Request.Context(), phone)
	if err == nil && creds.Role != contest.RoleParticipant {
		// A staff login is evidence whatever its outcome (throttled, wrong password, busy,
		// success): the deferred entry records the status answered.
		defer s.auditLogin(c, creds)
	}
	if err != nil && !errors.Is(err, contest.ErrNotFound) {
		fail(c, err)
		return
	}
	throttled, failures := s.loginThrottled(c, key)
	if throttled {
		return
	}
	counts := loginCountKeys(c, phone)
	if s.loginChallenged(c, &counts) {
		return
	}
	queued := s.queued(c, phone)
	if errors.Is(err, contest.ErrNotFound) {
		// Hash anyway so that response time does not reveal which numbers are registered.
		// A busy pool answers 503 here as for a known number, so that too reveals nothing.
		if _, err := auth.CheckPasswordCtx(queued, req.Password, dummyHash); err != nil {
			fail(c, err)
			return
		}
		s.loginFailed(c, key) // unknown numbers are throttled alike, revealing nothing
		s.loginCountFailure(c, counts)
		fail(c, errBadCredentials)
		return
	}
	ok, err := auth.CheckPasswordCtx(queued, req.Password, creds.PasswordHash)
	if err != nil {
		fail(c, err)
		return
	}
	if !ok {
		s.loginFailed(c, key)
		s.loginCountFailure(c, counts)
		fail(c, errBadCredentials)
		return
	}
	s.loginSucceeded(c, key, failures)
	s.loginCountSuccess(c, counts)
	token, hash, err := auth.NewToken()
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Store.CreateSession(c.Request.Context(), creds.UserID, hash, s.SessionTTL); err != nil {
		fail(c, err)
		return
	}
	// A browser logging in again replaces its cookie session: end the one it held.
	if old, ok := sessionCookie(c.Request); ok {
		if err := s.Store.RevokeSession(c.Request.Context(), auth.HashToken(old)); err != nil {
			fail(c, err)
			return
		}
	}
	// The same token serves API clients (bearer, from the body) and the web pages (cookie).
	setSessionCookies(c, token, s.SessionTTL)
	c.JSON(http.StatusOK, loginResponse{Token: token, Role: creds.Role, MustChangePassword: creds.MustChangePassword})
}

var dummyHash = func() string {
	h, err := auth.HashPassword("timing-equalizer")
	must(err)
	return h
}()

// logout revokes the session that authenticated the request (bearer or cookie) and tells
// the browser to drop the session cookies.
func (s *server) logout(c *gin.Context) {
	token := c.MustGet(tokenKey).(string)
	if err := s.Store.RevokeSession(c.Request.Context(), auth.HashToken(token)); err != nil {
		fail(c, err)
		return
	}
	clearSessionCookies(c)
	c.Status(http.StatusNoContent)
}

func (s *server) me(c *gin.Context) {
	u := currentUser(c)
	c.JSON(http.StatusOK, gin.H{"id": u.ID, "role": u.Role, "full_name": u.FullName, "agency_id": u.AgencyID,
		"must_change_password": u.MustChangePassword})
}
