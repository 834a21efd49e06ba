package store

import (
	"testing"
	"time"
)

func TestSessionCache(t *testing.T) {
	now := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	alice := SessionUser{ID: 1, Role: "participant", FullName: "Nguyễn Thị An"}
	bob := SessionUser{ID: 2, Role: "participant", FullName: "Trần Văn Bình"}
	tokA, tokA2, tokB := []byte("a"), []byte("a2"), []byte("b")
	later := now.Add(time.Hour)

	tests := []struct {
		name  string
		steps func(c *sessionCache)
		token []byte
		at    time.Time
		want  bool
	}{
		{"a stored session is served", func(c *sessionCache) { c.put(tokA, alice, later, c.begin(), now) }, tokA, now, true},
		{"nothing is served while notifications are not arriving", func(c *sessionCache) {
			c.put(tokA, alice, later, c.begin(), now)
			c.setLive(false)
		}, tokA, now, false},
		{"nothing is stored while notifications are not arriving", func(c *sessionCache) {
			c.setLive(false)
			since := c.begin()
			c.setLive(true)
			c.put(tokA, alice, later, since, now)
		}, tokA, now, false},
		{"a read that overlapped an eviction is not stored", func(c *sessionCache) {
			since := c.begin()
			c.evictUser(1) // the revocation's notice arrived while the session was being read
			c.put(tokA, alice, later, since, now)
		}, tokA, now, false},
		{"evicting an account forgets all its sessions", func(c *sessionCache) {
			c.put(tokA, alice, later, c.begin(), now)
			c.put(tokA2, alice, later, c.begin(), now)
			c.evictUser(1)
		}, tokA2, now, false},
		{"evicting an account keeps the others'", func(c *sessionCache) {
			c.put(tokA, alice, later, c.begin(), now)
			c.put(tokB, bob, later, c.begin(), now)
			c.evictUser(1)
		}, tokB, now, true},
		{"evicting a token forgets that session only", func(c *sessionCache) {
			c.put(tokA, alice, later, c.begin(), now)
			c.put(tokA2, alice, later, c.begin(), now)
			c.evictToken(tokA)
		}, tokA2, now, true},
		{"an entry ends after the cache's ttl", func(c *sessionCache) { c.put(tokA, alice, later, c.begin(), now) },
			tokA, now.Add(time.Minute), false},
		{"an entry ends when its session expires", func(c *sessionCache) { c.put(tokA, alice, now.Add(10*time.Second), c.begin(), now) },
			tokA, now.Add(10 * time.Second), false},
		{"a full cache starts over", func(c *sessionCache) {
			c.put(tokA, alice, later, c.begin(), now)
			c.put(tokA2, alice, later, c.begin(), now)
			c.put(tokB, bob, later, c.begin(), now) // third entry: the limit is 2
		}, tokA, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSessionCache(time.Minute, 2)
			c.setLive(true)
			tt.steps(c)
			u, ok := c.get(tt.token, tt.at)
			if ok != tt.want {
				t.Fatalf("served %v (%+v), want %v", ok, u, tt.want)
			}
		})
	}
}
