package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest/internal/rules"
)

// DuplicateGroup is a set of participant accounts that look like one person registered
// more than once: the same date of birth and agency, and names with one skeleton
// (rules.NameSkeleton: case, spacing, Unicode forms and Cyrillic/Greek look-alike letters
// ignored).
type DuplicateGroup struct {
	FullName    string          `json:"full_name"`
	DateOfBirth *time.Time      `json:"date_of_birth"`
	AgencyID    *int64          `json:"agency_id"`
	AgencyName  string          `json:"agency_name"`
	Accounts    json.RawMessage `json:"accounts"`
}

type duplicateAccount struct {
	ID        int64     `json:"id"`
	FullName  string    `json:"full_name"`
	Phone     string    `json:"phone"`
	CreatedAt time.Time `json:"created_at"`
}

type duplicateCandidate struct {
	duplicateAccount
	DateOfBirth *time.Time
	AgencyID    *int64
	AgencyName  string
}

// SuspectedDuplicates lists groups of participants the committee should look at. SQL
// narrows to accounts sharing a date of birth and an agency with another; the names are
// compared in Go, because the skeleton (a Unicode mapping) has no PostgreSQL equivalent.
func (s *Store) SuspectedDuplicates(ctx context.Context) ([]DuplicateGroup, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.full_name, u.phone, u.created_at, u.date_of_birth, u.agency_id, coalesce(a.name, '')
		FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE u.role = 'participant' AND (u.date_of_birth, u.agency_id) IN (
			SELECT date_of_birth, agency_id FROM users WHERE role = 'participant'
			GROUP BY date_of_birth, agency_id HAVING count(*) > 1)
		ORDER BY u.created_at, u.id`)
	if err != nil {
		return nil, fmt.Errorf("find duplicate registrations: %w", err)
	}
	candidates, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (duplicateCandidate, error) {
		var c duplicateCandidate
		err := row.Scan(&c.ID, &c.FullName, &c.Phone, &c.CreatedAt, &c.DateOfBirth, &c.AgencyID, &c.AgencyName)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan duplicate registrations: %w", err)
	}
	return groupDuplicates(candidates)
}

// groupDuplicates groups candidates (oldest first) by date of birth, agency and name
// skeleton; groups come in the order of their first registration, accounts oldest first.
func groupDuplicates(candidates []duplicateCandidate) ([]DuplicateGroup, error) {
	type key struct {
		dob      string
		agency   int64
		skeleton string
	}
	index := map[key]int{}
	var members [][]duplicateCandidate
	for _, c := range candidates {
		k := key{skeleton: rules.NameSkeleton(c.FullName)}
		if c.DateOfBirth != nil {
			k.dob = c.DateOfBirth.Format(time.DateOnly)
		}
		if c.AgencyID != nil {
			k.agency = *c.AgencyID
		}
		i, ok := index[k]
		if !ok {
			i = len(members)
			index[k] = i
			members = append(members, nil)
		}
		members[i] = append(members[i], c)
	}
	var out []DuplicateGroup
	for _, m := range members {
		if len(m) < 2 {
			continue
		}
		accounts := make([]duplicateAccount, len(m))
		names := make([]string, len(m))
		for i, c := range m {
			accounts[i], names[i] = c.duplicateAccount, c.FullName
		}
		raw, err := json.Marshal(accounts)
		if err != nil {
			return nil, err
		}
		// min(full_name), as the query before the skeleton gave: a stable label.
		out = append(out, DuplicateGroup{FullName: slices.Min(names), DateOfBirth: m[0].DateOfBirth,
			AgencyID: m[0].AgencyID, AgencyName: m[0].AgencyName, Accounts: raw})
	}
	return out, nil
}
