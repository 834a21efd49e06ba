package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/challenge"
	"github.com/hpcontest/contest/internal/ratelimit"
)

// LoginChallenge is when a login must carry a solved challenge (the registration's proof of
// work): after PerAccount failures for one phone number from any address, or PerAddress
// failures from one address for any numbers, within the login throttle's window. Unlike the
// throttle it never refuses the right password: whoever solves the puzzle gets in, so
// failures an attacker piles up on someone's number cost the owner a second of hashing,
// never their access. Zero fields take DefaultLimits' values.
type LoginChallenge struct {
	PerAccount int
	PerAddress int
}

var (
	errLoginChallengeRequired = newError(http.StatusForbidden, "challenge_required",
		"Có nhiều lần đăng nhập sai vào tài khoản này hoặc từ mạng của bạn. Trang cần hoàn tất một bước kiểm tra bảo mật trước khi đăng nhập; vui lòng chờ giây lát rồi gửi lại.")
)

func (s *server) loginChallengeLimits() LoginChallenge {
	l := s.limits().LoginChallenge
	if l.PerAccount <= 0 {
		l.PerAccount = DefaultLimits.LoginChallenge.PerAccount
	}
	if l.PerAddress <= 0 {
		l.PerAddress = DefaultLimits.LoginChallenge.PerAddress
	}
	return l
}

// loginCountPolicy counts failures without imposing any wait: the wait is the throttle's
// (per account and address), these counts only decide whether a challenge is asked.
func (s *server) loginCountPolicy() ratelimit.FailurePolicy {
	return ratelimit.FailurePolicy{Window: s.limits().LoginFailures.Window}
}

// loginCounts are the keys whose failures decide the challenge.
type loginCounts struct {
	account, address string
	accountFailures  int
}

func loginCountKeys(c *gin.Context, phone string) loginCounts {
	return loginCounts{account: "login-account:" + phone, address: "login-address:" + c.ClientIP()}
}

// loginChallenged answers 403 with a fresh challenge when this login must carry a solved
// one and does not, and reports whether it did. A solution sent is spent here, before the
// password is checked, whatever the password turns out to be.
func (s *server) loginChallenged(c *gin.Context, k *loginCounts) bool {
	if s.Challenge == nil || s.LoginThrottle == nil {
		return false
	}
	ctx := c.Request.Context()
	limits := s.loginChallengeLimits()
	_, k.accountFailures = s.LoginThrottle.FailureWait(ctx, k.account, s.loginCountPolicy())
	required := k.accountFailures >= limits.PerAccount
	if !required {
		_, byAddress := s.LoginThrottle.FailureWait(ctx, k.address, s.loginCountPolicy())
		required = byAddress >= limits.PerAddress
	}
	if !required {
		return false
	}
	now := time.Now()
	key, ttl, err := s.Challenge.Issuer.Verify(c.GetHeader(challengeTokenHeader), c.GetHeader(challengeCounterHeader), now)
	if err == nil && !s.Challenge.Spent.First(ctx, key, ttl) {
		err = challenge.ErrReused
	}
	if err == nil {
		return false
	}
	apiErr := challengeError(err)
	if apiErr.Code == "challenge_required" {
		apiErr = errLoginChallengeRequired
	}
	// The puzzle comes with the refusal: the page solves it and sends the login again.
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(apiErr.Status, gin.H{"error": apiErr, "challenge": s.Challenge.Issuer.Issue(now)})
	return true
}

func (s *server) loginCountFailure(c *gin.Context, k loginCounts) {
	if s.Challenge == nil || s.LoginThrottle == nil {
		return
	}
	s.LoginThrottle.Fail(c.Request.Context(), k.account, s.loginCountPolicy())
	s.LoginThrottle.Fail(c.Request.Context(), k.address, s.loginCountPolicy())
}

// loginCountSuccess forgets the account's failures: its owner has just proved the password.
// The address keeps its count, so one success does not clear an address trying many numbers.
func (s *server) loginCountSuccess(c *gin.Context, k loginCounts) {
	if s.Challenge != nil && s.LoginThrottle != nil && k.accountFailures > 0 {
		s.LoginThrottle.Reset(c.Request.Context(), k.account)
	}
}
