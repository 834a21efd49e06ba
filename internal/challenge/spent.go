package challenge

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Spent remembers which challenges were used, so one solution cannot register two
// accounts. Redis makes that hold across replicas; while Redis is away this process's own
// memory decides, so a replay is still refused by the replica that saw the first use
// (a second replica may take it once: the cost of a solution doubles at worst, it does
// not drop to nothing).
type Spent struct {
	Redis  *redis.Client // nil: memory only
	Prefix string        // separates installations sharing one Redis
	Log    *slog.Logger

	mu      sync.Mutex
	entries map[string]time.Time // key -> when it may be forgotten
}

// maxMemoryEntries bounds the fallback: a flood of solved challenges while Redis is away
// must not grow the process without end. Challenges expire in minutes, so the oldest are
// dropped first by the sweep below.
const maxMemoryEntries = 200_000

// First marks key as used for ttl and reports whether it had not been used before.
func (s *Spent) First(ctx context.Context, key string, ttl time.Duration) bool {
	if ttl <= 0 {
		ttl = time.Second
	}
	now := time.Now()
	memFirst := s.memoryFirst(key, now.Add(ttl), now)
	if s.Redis == nil {
		return memFirst
	}
	ok, err := s.Redis.SetNX(ctx, s.Prefix+":challenge:"+key, 1, ttl).Result()
	if err != nil {
		if s.Log != nil {
			s.Log.WarnContext(ctx, "challenge reuse checked by this process only: Redis unavailable", "error", err)
		}
		return memFirst
	}
	return ok && memFirst
}

func (s *Spent) memoryFirst(key string, forget, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[string]time.Time{}
	}
	if until, ok := s.entries[key]; ok && now.Before(until) {
		return false
	}
	if len(s.entries) >= maxMemoryEntries {
		for k, until := range s.entries {
			if !now.Before(until) {
				delete(s.entries, k)
			}
		}
	}
	if len(s.entries) < maxMemoryEntries {
		s.entries[key] = forget
	}
	return true
}
