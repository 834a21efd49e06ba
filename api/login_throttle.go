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
// failures, and reports whether it did.
func (s *server) loginThrottled(c *gin.Context, key string) bool {
	if s.LoginThrottle == nil {
		return false
	}
	wait := s.LoginThrottle.FailureWait(c.Request.Context(), key, s.limits().LoginFailures)
	if wait <= 0 {
		return false
	}
	seconds := retryAfter(c, wait)
	fail(c, newError(http.StatusTooManyRequests, "login_throttled",
		fmt.Sprintf("Bạn đã nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau %d giây.", seconds)))
	return true
}

func (s *server) loginFailed(c *gin.Context, key string) {
	if s.LoginThrottle != nil {
		s.LoginThrottle.Fail(c.Request.Context(), key, s.limits().LoginFailures)
	}
}

// loginSucceeded forgets the failures: a participant who mistyped a few times and then got
// it right starts afresh.
func (s *server) loginSucceeded(c *gin.Context, key string) {
	if s.LoginThrottle != nil {
		s.LoginThrottle.Reset(c.Request.Context(), key)
	}
}
