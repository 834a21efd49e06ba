package api

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/auth"
)

// retryTicketHeader carries a refused caller's place in the hashing queue: a 503 busy
// answer hands one out, and the pages and the rush client send it back when they retry.
const retryTicketHeader = "X-Retry-Ticket"

const retryTicketKey = "retryTicket"

// queued is the request's context placed in the hashing queue at the arrival its retry
// ticket vouches for (now without one), for subject (the phone number logging in or
// registering). The ticket is signed only if the pool refuses: most requests need none.
func (s *server) queued(c *gin.Context, subject string) context.Context {
	arrival := s.tickets.Arrival(c.GetHeader(retryTicketHeader), subject, time.Now())
	c.Set(retryTicketKey, func() string { return s.tickets.Issue(subject, arrival) })
	return auth.WithArrival(c.Request.Context(), arrival)
}

// handBackRetryTicket puts the request's ticket on a busy answer.
func handBackRetryTicket(c *gin.Context) {
	v, _ := c.Get(retryTicketKey)
	if issue, ok := v.(func() string); ok {
		c.Header(retryTicketHeader, issue())
	}
}
