package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// StaffRoles may sit a rehearsal without being marked: they run it. They never sit a real
// round (plan II.1).
var StaffRoles = []string{contest.RoleCommittee, contest.RoleSecretariat, contest.RoleJury, contest.RoleAdmin}

// MayRehearse says whether an account may sit (and see) rehearsal rounds: staff, and
// participants the committee marked as testers.
func MayRehearse(role string, isTester bool) bool {
	if role == contest.RoleParticipant {
		return isTester
	}
	for _, r := range StaffRoles {
		if r == role {
			return true
		}
	}
	return false
}

// Tester is a participant account with its tester mark.
type Tester struct {
	ID       int64  `json:"id"`
	FullName string `json:"full_name"`
	Phone    string `json:"phone"`
	IsTester bool   `json:"tester"`
}

// SetTester marks or unmarks a participant account as a rehearsal tester, by id or (when
// id is 0) by phone. A staff account is refused with contest.ErrNotParticipant: it needs no mark.
// A change made outside the API (the command line) passes the audit entry to record in
// the same transaction; the API's audit middleware records its own.
func (s *Store) SetTester(ctx context.Context, id int64, phone string, tester bool, audit *AuditEntry) (Tester, error) {
	var t Tester
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var role string
		err := tx.QueryRow(ctx, `
			UPDATE users SET is_tester = $3
			WHERE (($1 > 0 AND id = $1) OR ($1 = 0 AND phone = $2)) AND role = 'participant'
			RETURNING id, full_name, phone, is_tester, role`, id, phone, tester).Scan(&t.ID, &t.FullName, &t.Phone, &t.IsTester, &role)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE ($1 > 0 AND id = $1) OR ($1 = 0 AND phone = $2))`,
				id, phone).Scan(&exists); err != nil {
				return fmt.Errorf("find account: %w", err)
			}
			if exists {
				return contest.ErrNotParticipant
			}
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("mark tester: %w", err)
		}
		if audit == nil {
			return nil
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO audit_log (user_id, role, method, route, path, status, ip, user_agent)
			VALUES (NULL, $1, $2, $3, $4, $5, $6, $7)`,
			audit.Role, audit.Method, audit.Route, audit.Path, audit.Status, audit.IP, audit.UserAgent)
		if err != nil {
			return fmt.Errorf("audit tester mark: %w", err)
		}
		return nil
	})
	if err == nil {
		s.sessionsChanged(t.ID)
	}
	return t, err
}
