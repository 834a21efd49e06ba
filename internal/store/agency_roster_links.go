package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest/internal/rules"
)

// Where a person of the focal point's list stands against their agency's staff roster.
const (
	StandingOnRoster      = "on_roster"      // a roster member with an account
	StandingNotRegistered = "not_registered" // a roster member without one
	StandingOffRoster     = "off_roster"     // an account the agency's roster does not list
	StandingNoRoster      = "no_roster"      // an account of an agency that has no roster
)

// rosterLinks pairs the roster members of the given agencies with the accounts matched to
// them. The users table keeps only that an account is matched (roster_status), not to
// whom, so the pairing is found again the way matching found it: same agency and
// rules.MatchesRoster. Each member takes at most one account. It also answers which of
// the agencies have a roster at all.
func rosterLinks(ctx context.Context, q querier, agencyIDs []int64) (userIDs, memberIDs []int64, withRoster map[int64]bool, err error) {
	type member struct {
		id    int64
		agent int64
		who   rules.Person
	}
	rows, err := q.Query(ctx, `
		SELECT id, agency_id, full_name, date_of_birth, phone, coalesce(cccd, '') FROM roster_members
		WHERE agency_id = ANY($1) ORDER BY id`, agencyIDs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load roster members: %w", err)
	}
	withRoster = map[int64]bool{}
	byPhone := map[string][]member{}
	var m member
	if _, err := pgx.ForEachRow(rows, []any{&m.id, &m.agent, &m.who.FullName, &m.who.DateOfBirth, &m.who.Phone, &m.who.CCCD}, func() error {
		withRoster[m.agent] = true
		byPhone[m.who.Phone] = append(byPhone[m.who.Phone], m)
		return nil
	}); err != nil {
		return nil, nil, nil, fmt.Errorf("scan roster members: %w", err)
	}
	if len(withRoster) == 0 {
		return nil, nil, withRoster, nil
	}
	rows, err = q.Query(ctx, `
		SELECT id, agency_id, full_name, date_of_birth, phone, coalesce(cccd, '') FROM users
		WHERE role = 'participant' AND NOT is_tester AND roster_status = 'matched' AND agency_id = ANY($1)
		ORDER BY id`, agencyIDs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load matched accounts: %w", err)
	}
	taken := map[int64]bool{}
	var (
		id, agencyID int64
		p            rules.Person
		dob          *time.Time
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &agencyID, &p.FullName, &dob, &p.Phone, &p.CCCD}, func() error {
		p.DateOfBirth = time.Time{}
		if dob != nil {
			p.DateOfBirth = *dob
		}
		for _, c := range byPhone[p.Phone] {
			if c.agent == agencyID && !taken[c.id] && rules.MatchesRoster(c.who, p) {
				taken[c.id] = true
				userIDs, memberIDs = append(userIDs, id), append(memberIDs, c.id)
				return nil
			}
		}
		return nil
	}); err != nil {
		return nil, nil, nil, fmt.Errorf("scan matched accounts: %w", err)
	}
	return userIDs, memberIDs, withRoster, nil
}
