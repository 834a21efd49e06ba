package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Counter counts n requests against a limit held for every replica (Limiter, in Redis).
type Counter interface {
	AllowN(ctx context.Context, key string, n, max int, window time.Duration) (bool, time.Duration)
}

// Shared lets each API process allow the first half of every limit on its own count and
// asks Redis only beyond it, sending what it counted so far. A participant saving an answer
// every few seconds never reaches half of 240 a minute, so the quiz's busiest endpoint costs
// no Redis round trip (during a login rush that round trip per save was CPU the password
// hashing did not get); whoever goes past half a limit in one process is counted in Redis
// from then on, exactly as before. The price: across R replicas an account or address can
// spend up to R × max/2 before any of them asks Redis, so a limit holds at max for one
// replica and at most (R/2 + 1) × max for R.
type Shared struct {
	Remote Counter

	mu     sync.Mutex
	counts map[string]*localCount
	swept  time.Time
}

type localCount struct {
	n, sent int
	ends    time.Time
}

// NewShared counts locally in front of remote.
func NewShared(remote Counter) *Shared {
	return &Shared{Remote: remote, counts: map[string]*localCount{}}
}

// Allow counts one request against key, within max per window.
func (s *Shared) Allow(ctx context.Context, key string, max int, window time.Duration) (bool, time.Duration) {
	now := time.Now()
	slot := now.UnixMilli() / window.Milliseconds()
	k := fmt.Sprintf("%s:%d", key, slot)
	s.mu.Lock()
	s.sweep(now)
	c := s.counts[k]
	if c == nil {
		c = &localCount{ends: time.UnixMilli((slot + 1) * window.Milliseconds())}
		s.counts[k] = c
	}
	c.n++
	if c.sent == 0 && c.n <= max/2 {
		s.mu.Unlock()
		return true, 0
	}
	n := c.n - c.sent
	c.sent = c.n
	s.mu.Unlock()
	return s.Remote.AllowN(ctx, key, n, max, window)
}

// sweep drops the counts of windows that ended, at most once a second. Called with s.mu held.
func (s *Shared) sweep(now time.Time) {
	if now.Sub(s.swept) < time.Second {
		return
	}
	s.swept = now
	for k, c := range s.counts {
		if !now.Before(c.ends) {
			delete(s.counts, k)
		}
	}
}
