package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// SessionUser is the account behind a valid bearer token.
type SessionUser struct {
	ID       int64
	Role     string
	AgencyID *int64
	FullName string
	// IsTester marks a participant the committee lets sit rehearsal rounds.
	IsTester bool
	// MustChangePassword is set by a reset: the account logged in with a one-time password
	// and may do nothing but choose its own.
	MustChangePassword bool
}

// CreateSession stores the hash of a new token; the token itself is never stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, tokenHash []byte, ttl time.Duration) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + $3::interval)`,
		tokenHash, userID, fmt.Sprintf("%d milliseconds", ttl.Milliseconds()))
	if err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// UserBySession resolves a token hash to its account if the session is live.
func (s *Store) UserBySession(ctx context.Context, tokenHash []byte) (SessionUser, error) {
	c := s.sessions.Load()
	if c == nil {
		u, _, err := s.loadSession(ctx, tokenHash)
		return u, err
	}
	if u, ok := c.get(tokenHash, time.Now()); ok {
		return u, nil
	}
	since := c.begin()
	u, expires, err := s.loadSession(ctx, tokenHash)
	if err == nil {
		c.put(tokenHash, u, expires, since, time.Now())
	}
	return u, err
}

func (s *Store) loadSession(ctx context.Context, tokenHash []byte) (SessionUser, time.Time, error) {
	var (
		u       SessionUser
		expires time.Time
	)
	err := s.pool.QueryRow(ctx, `
		SELECT u.id, u.role, u.agency_id, u.full_name, u.is_tester, u.must_change_password, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`, tokenHash).
		Scan(&u.ID, &u.Role, &u.AgencyID, &u.FullName, &u.IsTester, &u.MustChangePassword, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, expires, contest.ErrNotFound
	}
	if err != nil {
		return u, expires, fmt.Errorf("load session: %w", err)
	}
	return u, expires, nil
}

// RevokeSession ends a session (logout).
func (s *Store) RevokeSession(ctx context.Context, tokenHash []byte) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash); err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	s.sessionEnded(tokenHash)
	return nil
}
