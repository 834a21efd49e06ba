package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// sessionChangesChannel is what the triggers of migration 0018 NOTIFY, with the id of the
// account whose session or row changed, or "all" after a TRUNCATE.
const sessionChangesChannel = "contest_session_changes"

// maxCachedSessions bounds the cache (about 200 bytes an entry): past it the cache starts
// over rather than choosing what to drop.
const maxCachedSessions = 200_000

// CacheSessions serves UserBySession from memory for up to ttl per session while this
// process receives PostgreSQL's notifications of session and account changes, until ctx
// ends. With ttl 0 every request reads its session from the database. Call it once, before
// serving.
func (s *Store) CacheSessions(ctx context.Context, ttl time.Duration, log *slog.Logger) {
	if ttl <= 0 {
		return
	}
	c := newSessionCache(ttl, maxCachedSessions)
	s.sessions.Store(c)
	go listenForSessionChanges(ctx, c, s.pool.Config().ConnConfig.Copy(), log)
}

// listenForSessionChanges keeps a connection LISTENing and evicts what each notification
// names; while it is not connected the cache serves nothing.
func listenForSessionChanges(ctx context.Context, c *sessionCache, cfg *pgx.ConnConfig, log *slog.Logger) {
	wait := time.Second
	for {
		err := listenOnce(ctx, c, cfg)
		c.setLive(false)
		if ctx.Err() != nil {
			return
		}
		log.Warn("session cache off until PostgreSQL's notifications are back", "retry_in", wait, "error", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// listenOnce listens until the connection fails. A quiet channel is checked every
// 30 seconds, so that a connection lost without a word does not leave the cache trusted.
func listenOnce(ctx context.Context, c *sessionCache, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+sessionChangesChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	c.setLive(true)
	for {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			if _, err := conn.Exec(ctx, "SELECT 1"); err != nil {
				return fmt.Errorf("check the listening connection: %w", err)
			}
			continue
		case err != nil:
			return fmt.Errorf("wait for a notification: %w", err)
		}
		if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
			c.evictUser(id)
		} else {
			c.setLive(true) // "all", or a payload it cannot read: start over
		}
	}
}

// SessionCacheStats reports the session cache (zero when it is off).
func (s *Store) SessionCacheStats() SessionCacheStats {
	if c := s.sessions.Load(); c != nil {
		return c.stats()
	}
	return SessionCacheStats{}
}

// sessionsChanged evicts the cached sessions of accounts this process just changed,
// before the notification of the change comes back.
func (s *Store) sessionsChanged(userIDs ...int64) {
	if c := s.sessions.Load(); c != nil {
		for _, id := range userIDs {
			c.evictUser(id)
		}
	}
}

// sessionEnded evicts one session this process just ended.
func (s *Store) sessionEnded(tokenHash []byte) {
	if c := s.sessions.Load(); c != nil {
		c.evictToken(tokenHash)
	}
}
