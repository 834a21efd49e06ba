package api

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/logging"
)

// RequestIDHeader carries a request's id both ways: a proxy in front may set it, and the
// response always has it, so a participant's report can be matched to the log.
const RequestIDHeader = "X-Request-ID"

// maxRequestIDLen bounds an id taken from the client: it ends up in every log line of
// the request.
const maxRequestIDLen = 64

// requestID keeps an incoming X-Request-ID that is short and printable ASCII, otherwise
// makes one, sets it on the response and puts it in the request's context, where the
// logger (internal/logging) adds it to every line logged with that context.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(RequestIDHeader)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Header(RequestIDHeader, id)
		c.Request = c.Request.WithContext(logging.WithRequestID(c.Request.Context(), id))
		c.Next()
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e { // no spaces, controls or non-ASCII: log-injection safe
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
