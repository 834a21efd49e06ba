package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// PasswordOwner is what a password change or reset needs to know about the account.
type PasswordOwner struct {
	UserID       int64
	Phone        string
	FullName     string
	Role         string
	AgencyID     *int64
	PasswordHash string
}

// PasswordOwner loads the account whose password is to change.
func (s *Store) PasswordOwner(ctx context.Context, userID int64) (PasswordOwner, error) {
	var o PasswordOwner
	err := s.pool.QueryRow(ctx, `SELECT id, phone, full_name, role, agency_id, password_hash FROM users WHERE id = $1`, userID).
		Scan(&o.UserID, &o.Phone, &o.FullName, &o.Role, &o.AgencyID, &o.PasswordHash)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, contest.ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("load password owner: %w", err)
	}
	return o, nil
}

// ChangePassword stores the account's own new password, lifts must_change_password and
// ends every other session: whoever knew the old password is logged out, the device that
// changed it is not.
func (s *Store) ChangePassword(ctx context.Context, userID int64, hash string, keepSession []byte) error {
	return s.setPassword(ctx, userID, hash, false, keepSession)
}

// ResetPassword stores a one-time password someone else chose, which must be changed at
// the next login, and ends every session of the account.
func (s *Store) ResetPassword(ctx context.Context, userID int64, hash string) error {
	return s.setPassword(ctx, userID, hash, true, nil)
}

func (s *Store) setPassword(ctx context.Context, userID int64, hash string, mustChange bool, keepSession []byte) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1`, userID, hash, mustChange)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return contest.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = now()
			WHERE user_id = $1 AND revoked_at IS NULL AND ($2::bytea IS NULL OR token_hash <> $2)`, userID, keepSession); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
	if err == nil {
		s.sessionsChanged(userID)
	}
	return err
}

// RevokeAllSessions ends every session of the account ("log out everywhere").
func (s *Store) RevokeAllSessions(ctx context.Context, userID int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, userID); err != nil {
		return fmt.Errorf("revoke sessions: %w", err)
	}
	s.sessionsChanged(userID)
	return nil
}
