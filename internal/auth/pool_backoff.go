package auth

import (
	"math"
	"sync"
	"time"
)

// backoff estimates how long a refused caller should stay away: refusals in the last
// second stand for the crowd that will come back, and the pool's measured hash time says
// how fast it drains. Asking everyone to return in 2 s whatever the crowd turns a rush
// into a storm of refusals that takes the CPU the hashes and the sitting participants need.
type backoff struct {
	mu             sync.Mutex
	second         int64 // the unix second refusals are being counted in
	count, last    int64 // refusals in that second, and in the one before it
	hashNanos      float64
	workers        int
	floor, ceiling time.Duration
}

func (b *backoff) refused(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll(now)
	b.count++
}

// hashed folds one hash's duration into a moving average.
func (b *backoff) hashed(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.hashNanos == 0 {
		b.hashNanos = float64(d)
		return
	}
	b.hashNanos = 0.9*b.hashNanos + 0.1*float64(d)
}

func (b *backoff) roll(now time.Time) {
	s := now.Unix()
	switch {
	case s == b.second:
	case s == b.second+1:
		b.last, b.count, b.second = b.count, 0, s
	default:
		b.last, b.count, b.second = 0, 0, s
	}
}

// retryAfter is the wait to ask of a refused caller, between floor and ceiling.
func (b *backoff) retryAfter(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roll(now)
	crowd := float64(max(b.last, b.count))
	if b.hashNanos == 0 || crowd == 0 {
		return b.floor
	}
	perSecond := float64(b.workers) * float64(time.Second) / b.hashNanos
	wait := time.Duration(math.Ceil(crowd/perSecond)) * time.Second
	return min(max(wait, b.floor), b.ceiling)
}
