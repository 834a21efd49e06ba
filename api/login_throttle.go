package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// loginKey throttles failures per account and address together, so that failures from an
// attacker's address never slow down the owner logging in from theirs.
func loginKey(c *gin.Context, phone string) string {
	return "login:" + phone + "|" + c.ClientIP()
}

// loginThrottled answers 429 while this account and address must wait after repeated
// failures, and reports whether it did and how many failures are on record.
func (s *server) loginThrottled(c *gin.Context, key string) (bool, int) {
	if s.LoginThrottle == nil {
		return false, 0
	}
	wait, failures := s.LoginThrottle.FailureWait(c.Request.Context(), key, s.limits().LoginFailures)
	if wait <= 0 {
		return false, failures
	}
	seconds := retryAfter(c, wait)
	fail(c, newError(http.StatusTooManyRequests, "login_throttled",
		fmt.Sprintf("Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %d giây.", seconds)))
	return true, failures
}

func (s *server) loginFailed(c *gin.Context, key string) {
	if s.LoginThrottle != nil {
		s.LoginThrottle.Fail(c.Request.Context(), key, s.limits().LoginFailures)
	}
}

// loginSucceeded forgets the failures: a participant who mistyped a few times and then got
// it right starts afresh. Without failures on record there is nothing to forget, and a
// login rush spares Redis one call per login.
func (s *server) loginSucceeded(c *gin.Context, key string, failures int) {
	if s.LoginThrottle != nil && failures > 0 {
		s.LoginThrottle.Reset(c.Request.Context(), key)
	}
}
