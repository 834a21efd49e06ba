package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/ratelimit"
)

// Limiter counts requests per key in fixed windows (in production Redis-backed, each
// process counting the first half of a limit itself: ratelimit.Shared). A nil Limiter in
// Deps disables limits.
type Limiter interface {
	Allow(ctx context.Context, key string, max int, window time.Duration) (bool, time.Duration)
}

// LoginThrottle slows down failed logins per key (account and address), with Redis or,
// when Redis is away, a count in this process (internal/ratelimit). Nil disables it.
type LoginThrottle interface {
	FailureWait(ctx context.Context, key string, p ratelimit.FailurePolicy) (time.Duration, int)
	Fail(ctx context.Context, key string, p ratelimit.FailurePolicy) time.Duration
	Reset(ctx context.Context, key string)
}

// Limit is at most Max requests per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Limits are the abuse limits. Per-IP limits are generous on purpose: a whole office
// often reaches the contest through one address. Failed logins are throttled per account
// and address together (LoginFailures): counting them per account alone would let anyone
// lock a participant out by typing wrong passwords for their phone number.
type Limits struct {
	LoginFailures  ratelimit.FailurePolicy
	LoginChallenge LoginChallenge
	LoginPerIP     Limit
	RegisterPerIP  Limit
	StartsPerUser  Limit
	AnswersPerUser Limit
}

// DefaultLimits are the limits used when Deps.Limits is zero.
var DefaultLimits = Limits{
	LoginFailures: ratelimit.FailurePolicy{Free: 5, Window: 15 * time.Minute, Base: 30 * time.Second, Cap: 15 * time.Minute},
	// An office reaching the contest through one address shares its count: a few people
	// mistyping there must not make everyone solve the puzzle.
	LoginChallenge: LoginChallenge{PerAccount: 3, PerAddress: 20},
	LoginPerIP:     Limit{600, time.Minute},
	RegisterPerIP:  Limit{300, time.Hour},
	StartsPerUser:  Limit{10, time.Minute},
	AnswersPerUser: Limit{240, time.Minute},
}

// allow answers 429 when key is over its limit and reports whether to go on.
func (s *server) allow(c *gin.Context, key string, l Limit) bool {
	if s.Limiter == nil {
		return true
	}
	ok, wait := s.Limiter.Allow(c.Request.Context(), key, l.Max, l.Window)
	if ok {
		return true
	}
	seconds := retryAfter(c, wait)
	fail(c, newError(http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("Bạn thao tác quá nhanh. Vui lòng thử lại sau %d giây.", seconds)))
	return false
}

// retryAfter sets the Retry-After header to wait in whole seconds (at least 1) and
// returns them.
func retryAfter(c *gin.Context, wait time.Duration) int {
	seconds := max(1, int(math.Ceil(wait.Seconds())))
	c.Header("Retry-After", strconv.Itoa(seconds))
	return seconds
}

// limitPerIP limits a public endpoint by client address.
func (s *server) limitPerIP(scope string, l func(Limits) Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.allow(c, scope+":ip:"+c.ClientIP(), l(s.limits())) {
			c.Next()
		}
	}
}

// limitPerUser limits an authenticated endpoint by account.
func (s *server) limitPerUser(scope string, l func(Limits) Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		if s.allow(c, fmt.Sprintf("%s:user:%d", scope, currentUser(c).ID), l(s.limits())) {
			c.Next()
		}
	}
}

func (s *server) limits() Limits {
	if s.Limits == (Limits{}) {
		return DefaultLimits
	}
	return s.Limits
}
