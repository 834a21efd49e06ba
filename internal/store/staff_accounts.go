package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// NewStaff is a staff account to create; AgencyCode is the focal point's agency.
type NewStaff struct {
	FullName     string
	Phone        string
	Role         string
	AgencyCode   string
	PasswordHash string
}

// CreateStaffAccounts creates the accounts in one transaction, all or none. A phone number
// already registered, by a participant or by staff, is refused rather than taken over.
// handOut runs after the inserts, before the commit: if it fails (the passwords could not
// be delivered), nothing is created.
func (s *Store) CreateStaffAccounts(ctx context.Context, accounts []NewStaff, handOut func() error) ([]int64, error) {
	ids := make([]int64, len(accounts))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for i, a := range accounts {
			var agencyID *int64
			if a.AgencyCode != "" {
				var id int64
				err := tx.QueryRow(ctx, `SELECT id FROM agencies WHERE code = $1`, a.AgencyCode).Scan(&id)
				if errors.Is(err, pgx.ErrNoRows) {
					return fmt.Errorf("%s: agency code %q: %w", a.Phone, a.AgencyCode, contest.ErrUnknownAgency)
				}
				if err != nil {
					return fmt.Errorf("look up agency %q: %w", a.AgencyCode, err)
				}
				agencyID = &id
			}
			err := tx.QueryRow(ctx, `
				INSERT INTO users (full_name, phone, agency_id, password_hash, role)
				VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				a.FullName, a.Phone, agencyID, a.PasswordHash, a.Role).Scan(&ids[i])
			if isUniqueViolation(err, "users_phone_key") {
				return fmt.Errorf("%s: %w", a.Phone, contest.ErrDuplicatePhone)
			}
			if err != nil {
				return fmt.Errorf("insert staff account %s: %w", a.Phone, err)
			}
		}
		return handOut()
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
