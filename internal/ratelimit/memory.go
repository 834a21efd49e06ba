package ratelimit

import (
	"sync"
	"time"
)

// defaultMemoryKeys bounds the in-process failure counts: a flood of made-up phone numbers
// while Redis is away must not grow the process without end.
const defaultMemoryKeys = 100_000

// memoryFailures is the per-process stand-in for the Redis failure counts.
type memoryFailures struct {
	mu      sync.Mutex
	max     int
	entries map[string]memoryEntry
}

type memoryEntry struct {
	n       int
	last    time.Time
	expires time.Time
}

func newMemoryFailures(max int) *memoryFailures {
	return &memoryFailures{max: max, entries: map[string]memoryEntry{}}
}

func (m *memoryFailures) wait(key string, p FailurePolicy, now time.Time) (time.Duration, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.expires) {
		return 0, 0
	}
	return p.remaining(e.n, e.last, now), e.n
}

func (m *memoryFailures) fail(key string, p FailurePolicy, now time.Time) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || !now.Before(e.expires) {
		e = memoryEntry{}
		if !ok {
			m.makeRoom(now)
		}
	}
	e.n++
	e.last = now
	e.expires = now.Add(p.ttl(e.n))
	m.entries[key] = e
	return p.Delay(e.n)
}

func (m *memoryFailures) reset(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.entries, key)
}

// makeRoom keeps the map under its bound: expired entries go first, then, if a flood
// filled it with live ones, arbitrary ones (map order), which costs a throttled key its
// count at worst, never the process its memory.
func (m *memoryFailures) makeRoom(now time.Time) {
	if len(m.entries) < m.max {
		return
	}
	for k, e := range m.entries {
		if !now.Before(e.expires) {
			delete(m.entries, k)
		}
	}
	for k := range m.entries {
		if len(m.entries) < m.max {
			break
		}
		delete(m.entries, k)
	}
}

func (m *memoryFailures) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
