package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/challenge"
)

// Challenge is the proof-of-work gate in front of registration (internal/challenge).
type Challenge struct {
	Issuer challenge.Issuer
	Spent  *challenge.Spent
}

// Headers a solved challenge travels in, beside the request's own body (whose strict
// decoding stays about the registration).
const (
	challengeTokenHeader   = "X-Challenge-Token"
	challengeCounterHeader = "X-Challenge-Counter"
)

var challengeErrors = []struct {
	err error
	api *Error
}{
	{challenge.ErrMissing, newError(http.StatusForbidden, "challenge_required", "Trang chưa hoàn tất bước kiểm tra bảo mật. Vui lòng chờ giây lát rồi gửi lại.")},
	{challenge.ErrExpired, newError(http.StatusForbidden, "challenge_expired", "Bước kiểm tra bảo mật đã hết hạn. Vui lòng gửi lại, trang sẽ tự kiểm tra lại.")},
	{challenge.ErrReused, newError(http.StatusForbidden, "challenge_reused", "Kết quả kiểm tra bảo mật này đã được dùng. Vui lòng gửi lại, trang sẽ tự kiểm tra lại.")},
	{challenge.ErrTooEasy, newError(http.StatusForbidden, "challenge_invalid", "Kết quả kiểm tra bảo mật không đúng. Vui lòng tải lại trang rồi thử lại.")},
	{challenge.ErrInvalid, newError(http.StatusForbidden, "challenge_invalid", "Kết quả kiểm tra bảo mật không đúng. Vui lòng tải lại trang rồi thử lại.")},
}

func challengeError(err error) *Error {
	for _, m := range challengeErrors {
		if errors.Is(err, m.err) {
			return m.api
		}
	}
	return challengeErrors[len(challengeErrors)-1].api
}

// issueChallenge hands out a fresh puzzle, or says none is needed (the gate is off).
func (s *server) issueChallenge(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	if s.Challenge == nil {
		c.JSON(http.StatusOK, gin.H{"required": false})
		return
	}
	ch := s.Challenge.Issuer.Issue(time.Now())
	c.JSON(http.StatusOK, gin.H{"required": true, "token": ch.Token, "nonce": ch.Nonce,
		"difficulty": ch.Difficulty, "expires_at": ch.ExpiresAt})
}

// requireChallenge lets a request through only with a solved, unexpired, unused challenge.
// The challenge is spent before the handler runs, whatever the handler answers: a bot must
// not learn about its input for free.
func (s *server) requireChallenge(c *gin.Context) {
	if s.Challenge == nil {
		return
	}
	key, ttl, err := s.Challenge.Issuer.Verify(c.GetHeader(challengeTokenHeader), c.GetHeader(challengeCounterHeader), time.Now())
	if err == nil && !s.Challenge.Spent.First(c.Request.Context(), key, ttl) {
		err = challenge.ErrReused
	}
	if err != nil {
		fail(c, challengeError(err))
	}
}
