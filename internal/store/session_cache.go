package store

import (
	"sync"
	"time"
)

// sessionCache keeps the sessions this process has resolved, so that a participant's
// answer saves do not each read the session and the account again: that read was a third
// of the database round trips of a save, and during a login rush the CPU it took was the
// hashing's. It is only trusted while PostgreSQL's notifications reach it (listen in
// session_changes.go): a change to a session or an account anywhere — another replica, a
// psql session — evicts the account's entries in every process, and the store's own
// writes evict at once, before their notification comes back. An entry also ends at its
// session's expiry and after ttl, whichever is first.
type sessionCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	live    bool   // notifications are arriving: entries can be served
	epoch   uint64 // bumped by every eviction: a read that overlapped one is not stored
	byToken map[string]cachedSession
	byUser  map[int64]map[string]struct{}

	hits, misses uint64
}

type cachedSession struct {
	user  SessionUser
	until time.Time
}

func newSessionCache(ttl time.Duration, max int) *sessionCache {
	return &sessionCache{ttl: ttl, max: max, byToken: map[string]cachedSession{}, byUser: map[int64]map[string]struct{}{}}
}

// get returns the cached account of a token hash, if it is live.
func (c *sessionCache) get(token []byte, now time.Time) (SessionUser, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byToken[string(token)]
	if !ok || !c.live {
		c.misses++
		return SessionUser{}, false
	}
	if !now.Before(e.until) {
		c.forget(string(token), e.user.ID)
		c.misses++
		return SessionUser{}, false
	}
	c.hits++
	return e.user, true
}

// SessionCacheStats is what the session cache reports.
type SessionCacheStats struct {
	Enabled bool   // CacheSessions was called with a ttl
	Live    bool   // notifications are arriving, so entries are served
	Entries int    // sessions held
	Hits    uint64 // lookups served from memory
	Misses  uint64 // lookups that read the database
}

func (c *sessionCache) stats() SessionCacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return SessionCacheStats{Enabled: true, Live: c.live, Entries: len(c.byToken), Hits: c.hits, Misses: c.misses}
}

// begin is read before loading a session from the database; put stores the result only
// if nothing was evicted in between, so a read that raced a revocation is never kept.
func (c *sessionCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

func (c *sessionCache) put(token []byte, u SessionUser, expires time.Time, since uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.epoch != since {
		return
	}
	if len(c.byToken) >= c.max {
		c.clear() // bounded memory; the next reads fill it again
	}
	until := now.Add(c.ttl)
	if expires.Before(until) {
		until = expires
	}
	key := string(token)
	c.byToken[key] = cachedSession{user: u, until: until}
	tokens := c.byUser[u.ID]
	if tokens == nil {
		tokens = map[string]struct{}{}
		c.byUser[u.ID] = tokens
	}
	tokens[key] = struct{}{}
}

// evictUser forgets every session of an account.
func (c *sessionCache) evictUser(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for token := range c.byUser[id] {
		delete(c.byToken, token)
	}
	delete(c.byUser, id)
}

// evictToken forgets one session.
func (c *sessionCache) evictToken(token []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if e, ok := c.byToken[string(token)]; ok {
		c.forget(string(token), e.user.ID)
	}
}

// setLive empties the cache and says whether it may serve: false when the notifications
// stopped (they may have been missed), true once they arrive again.
func (c *sessionCache) setLive(live bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.live = live
	c.clear()
}

func (c *sessionCache) forget(token string, user int64) {
	delete(c.byToken, token)
	if tokens := c.byUser[user]; tokens != nil {
		delete(tokens, token)
		if len(tokens) == 0 {
			delete(c.byUser, user)
		}
	}
}

func (c *sessionCache) clear() {
	c.byToken = map[string]cachedSession{}
	c.byUser = map[int64]map[string]struct{}{}
}
