// Package ratelimit counts requests in fixed windows in Redis, so that limits hold across
// API replicas. When Redis cannot be reached the request limits let requests through: a
// contest must go on without its abuse limits rather than stop. The failed-login throttle
// (failures.go) instead falls back to a count in this process.
package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter is a Redis-backed fixed-window counter.
type Limiter struct {
	Client *redis.Client
	Prefix string // separates installations sharing one Redis
	Log    *slog.Logger

	memOnce sync.Once
	mem     *memoryFailures // failure counts while Redis is away
}

// New connects a limiter to Redis at addr.
func New(addr, prefix string, log *slog.Logger) *Limiter {
	// MaxRetries -1: a count sent again after a slow reply would be counted twice (go-redis
	// reads 0 as "the default, 3 retries"); a missed count only lets one request through.
	return &Limiter{Client: redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 500 * time.Millisecond,
		ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond, MaxRetries: -1,
		// Redis down must cost a request one failed dial, not five (the default) 100 ms apart.
		DialerRetries: 1}), Prefix: prefix, Log: log}
}

var incrWithExpiry = redis.NewScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`)

// Allow counts one request against key and reports whether it is within max per window,
// and if not, how long until the window ends.
func (l *Limiter) Allow(ctx context.Context, key string, max int, window time.Duration) (bool, time.Duration) {
	return l.AllowN(ctx, key, 1, max, window)
}

// AllowN counts n requests at once (Shared's, counted in its process first) and reports
// whether the window's count is still within max.
func (l *Limiter) AllowN(ctx context.Context, key string, n, max int, window time.Duration) (bool, time.Duration) {
	slot := time.Now().UnixMilli() / window.Milliseconds()
	k := fmt.Sprintf("%s:rl:%s:%d", l.Prefix, key, slot)
	res, err := incrWithExpiry.Run(ctx, l.Client, []string{k}, window.Milliseconds(), n).Int64Slice()
	if err != nil || len(res) != 2 {
		l.Log.WarnContext(ctx, "rate limit not enforced: Redis unavailable", "key", key, "error", err)
		return true, 0
	}
	if res[0] > int64(max) {
		return false, time.Duration(res[1]) * time.Millisecond
	}
	return true, 0
}

// Close releases the connection pool.
func (l *Limiter) Close() error { return l.Client.Close() }
