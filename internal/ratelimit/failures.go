package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// FailurePolicy is how failed attempts on one key (a login's account and address) slow it
// down: the first Free failures cost nothing; from then on each failure makes the key wait
// Base, doubling with every further failure, never more than Cap. Failures are forgotten
// Window after the last one (or once the wait it imposed is over, if that is later).
type FailurePolicy struct {
	Free   int
	Window time.Duration
	Base   time.Duration
	Cap    time.Duration
}

// Delay is the wait imposed right after the failures-th failure.
func (p FailurePolicy) Delay(failures int) time.Duration {
	if failures < p.Free || p.Base <= 0 {
		return 0
	}
	d := p.Base
	for i := p.Free; i < failures && d < p.Cap; i++ {
		d *= 2
	}
	return min(d, p.Cap)
}

// remaining is how much of the wait after failures failures, the last at last, is left at now.
func (p FailurePolicy) remaining(failures int, last, now time.Time) time.Duration {
	return max(0, p.Delay(failures)-now.Sub(last))
}

// ttl is how long a key's count must be kept after its last failure.
func (p FailurePolicy) ttl(failures int) time.Duration {
	return max(p.Window, p.Delay(failures))
}

var countFailure = redis.NewScript(`
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n`)

// FailureWait reports how long key must wait before its next attempt under p, and how
// many failures it has on record (none: a success has nothing to reset). When Redis cannot
// answer, this process's own count decides: a throttle that switched off with Redis would
// let a password be guessed at full speed exactly when nobody is watching.
func (l *Limiter) FailureWait(ctx context.Context, key string, p FailurePolicy) (time.Duration, int) {
	now := time.Now()
	vals, err := l.Client.HMGet(ctx, l.failureKey(key), "n", "last").Result()
	if err != nil || len(vals) != 2 {
		l.Log.WarnContext(ctx, "login throttle falls back to this process: Redis unavailable", "error", err)
		return l.memory().wait(key, p, now)
	}
	n, last := parseFailures(vals)
	return p.remaining(n, last, now), n
}

// Fail counts one failed attempt on key and returns the wait it now imposes.
func (l *Limiter) Fail(ctx context.Context, key string, p FailurePolicy) time.Duration {
	now := time.Now()
	// Kept at least Window; a longer wait extends the key below, once its count is known.
	n, err := countFailure.Run(ctx, l.Client, []string{l.failureKey(key)}, now.UnixMilli(), p.Window.Milliseconds()).Int()
	if err != nil {
		l.Log.WarnContext(ctx, "login throttle falls back to this process: Redis unavailable", "error", err)
		return l.memory().fail(key, p, now)
	}
	if ttl := p.ttl(n); ttl > p.Window {
		_ = l.Client.PExpire(ctx, l.failureKey(key), ttl).Err()
	}
	return p.Delay(n)
}

// Reset forgets key's failures (after a successful attempt).
func (l *Limiter) Reset(ctx context.Context, key string) {
	l.memory().reset(key)
	if err := l.Client.Del(ctx, l.failureKey(key)).Err(); err != nil {
		l.Log.WarnContext(ctx, "login throttle reset not stored: Redis unavailable", "error", err)
	}
}

func (l *Limiter) failureKey(key string) string { return fmt.Sprintf("%s:lf:%s", l.Prefix, key) }

func (l *Limiter) memory() *memoryFailures {
	l.memOnce.Do(func() {
		if l.mem == nil {
			l.mem = newMemoryFailures(defaultMemoryKeys)
		}
	})
	return l.mem
}

func parseFailures(vals []any) (int, time.Time) {
	s, _ := vals[0].(string)
	n, _ := strconv.Atoi(s)
	s, _ = vals[1].(string)
	ms, _ := strconv.ParseInt(s, 10, 64)
	return n, time.UnixMilli(ms)
}
