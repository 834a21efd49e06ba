package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// StaffRoles may sit a rehearsal without being marked: they run it. They never sit a real
// round (plan II.1).
var StaffRoles = []string{RoleCommittee, RoleSecretariat, RoleJury, RoleAdmin}

// MayRehearse says whether an account may sit (and see) rehearsal rounds: staff, and
// participants the committee marked as testers.
func MayRehearse(role string, isTester bool) bool {
	if role == RoleParticipant {
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
// id is 0) by phone. A staff account is refused with ErrNotParticipant: it needs no mark.
func (s *Store) SetTester(ctx context.Context, id int64, phone string, tester bool) (Tester, error) {
	var t Tester
	var role string
	err := s.pool.QueryRow(ctx, `
		UPDATE users SET is_tester = $3 AND role = 'participant'
		WHERE ($1 > 0 AND id = $1) OR ($1 = 0 AND phone = $2)
		RETURNING id, full_name, phone, is_tester, role`, id, phone, tester).Scan(&t.ID, &t.FullName, &t.Phone, &t.IsTester, &role)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, ErrNotFound
	}
	if err != nil {
		return t, fmt.Errorf("mark tester: %w", err)
	}
	if role != RoleParticipant {
		return t, ErrNotParticipant
	}
	return t, nil
}
