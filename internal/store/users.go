package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
)

// Roles, kept for callers written before the domain package.
const ()

// NewUser is what registration stores.
type NewUser struct {
	FullName     string
	DateOfBirth  *time.Time
	Phone        string
	Email        *string
	AgencyID     *int64
	Position     string
	PasswordHash string
	Role         string
	// CCCD is the citizen ID number (12 digits), nil when not given.
	CCCD *string
	// RosterStatus is where the account stands against its agency's roster
	// (rules.Roster*); empty means unchecked.
	RosterStatus string
}

// Credentials is what login needs.
type Credentials struct {
	UserID       int64
	PasswordHash string
	Role         string
	// MustChangePassword: the password is a one-time password from a reset.
	MustChangePassword bool
}

// CreateUser inserts an account and returns its id.
func (s *Store) CreateUser(ctx context.Context, u NewUser) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO users (full_name, date_of_birth, phone, email, agency_id, position, password_hash, role, cccd, roster_status)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce(nullif($10, ''), 'unchecked')
		WHERE $5::bigint IS NULL OR EXISTS (SELECT 1 FROM agencies WHERE id = $5)
		RETURNING id`,
		u.FullName, u.DateOfBirth, u.Phone, u.Email, u.AgencyID, u.Position, u.PasswordHash, u.Role, u.CCCD, u.RosterStatus).Scan(&id)
	switch {
	case isUniqueViolation(err, "users_phone_key"):
		return 0, contest.ErrDuplicatePhone
	case isUniqueViolation(err, "users_cccd_key"):
		return 0, contest.ErrDuplicateCCCD
	case errors.Is(err, pgx.ErrNoRows):
		return 0, contest.ErrUnknownAgency
	case err != nil:
		return 0, fmt.Errorf("insert user: %w", err)
	}
	return id, nil
}

// CredentialsByPhone loads what a login checks.
func (s *Store) CredentialsByPhone(ctx context.Context, phone string) (Credentials, error) {
	var c Credentials
	err := s.pool.QueryRow(ctx, `SELECT id, password_hash, role, must_change_password FROM users WHERE phone = $1`, phone).
		Scan(&c.UserID, &c.PasswordHash, &c.Role, &c.MustChangePassword)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, contest.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load credentials: %w", err)
	}
	return c, nil
}

// ReplacePassword sets a new password hash for a user and ends every session the user
// had, so whoever knew the old password is logged out too.
func (s *Store) ReplacePassword(ctx context.Context, userID int64, hash string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
		if err != nil {
			return fmt.Errorf("replace password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return contest.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
	if err == nil {
		s.sessionsChanged(userID)
	}
	return err
}
