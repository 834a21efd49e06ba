package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

// RosterMember is one staff member of an agency's roster.
type RosterMember struct {
	AgencyID    int64
	FullName    string
	DateOfBirth time.Time
	Phone       string
	CCCD        string
}

// RosterImport replaces the rosters of the agencies it lists, all of them or none.
type RosterImport struct {
	AgencyIDs []int64 // every agency the file names, even one whose roster becomes empty
	Members   []RosterMember
	By        int64
	// SetHeadcount makes each agency's headcount its roster's size (recorded in the
	// headcount history as an import).
	SetHeadcount bool
}

// RosterAgencyOutcome is what an import did to one agency.
type RosterAgencyOutcome struct {
	AgencyID     int64  `json:"agency_id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Members      int    `json:"members"`
	OldHeadcount int    `json:"old_headcount"`
	Headcount    int    `json:"headcount"`
	// Matched and Pending count the agency's existing accounts after matching them again:
	// on the roster, or waiting for the focal point.
	Matched int `json:"matched"`
	Pending int `json:"pending"`
}

// ImportRoster writes a roster import in one transaction: each listed agency's roster is
// replaced, its accounts not yet decided by a focal point are matched again (an account
// that registered before the roster existed is matched now, or waits), and, when asked,
// its headcount becomes the roster's size.
func (s *Store) ImportRoster(ctx context.Context, in RosterImport) ([]RosterAgencyOutcome, error) {
	var out []RosterAgencyOutcome
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		out = nil
		// Lock the agencies in id order, so that two imports of the same agencies queue.
		rows, err := tx.Query(ctx, `SELECT id, code, name, headcount FROM agencies WHERE id = ANY($1) ORDER BY id FOR UPDATE`, in.AgencyIDs)
		if err != nil {
			return fmt.Errorf("lock agencies: %w", err)
		}
		byID := map[int64]int{}
		var o RosterAgencyOutcome
		if _, err := pgx.ForEachRow(rows, []any{&o.AgencyID, &o.Code, &o.Name, &o.OldHeadcount}, func() error {
			o.Headcount = o.OldHeadcount
			byID[o.AgencyID] = len(out)
			out = append(out, o)
			return nil
		}); err != nil {
			return fmt.Errorf("scan agencies: %w", err)
		}
		if len(out) != len(in.AgencyIDs) {
			return contest.ErrUnknownAgency
		}
		if _, err := tx.Exec(ctx, `DELETE FROM roster_members WHERE agency_id = ANY($1)`, in.AgencyIDs); err != nil {
			return fmt.Errorf("clear rosters: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"roster_members"},
			[]string{"agency_id", "full_name", "name_key", "date_of_birth", "phone", "cccd", "imported_by"},
			pgx.CopyFromSlice(len(in.Members), func(i int) ([]any, error) {
				m := in.Members[i]
				var cccd *string
				if m.CCCD != "" {
					cccd = &m.CCCD
				}
				return []any{m.AgencyID, m.FullName, rules.NameKey(m.FullName), m.DateOfBirth, m.Phone, cccd, in.By}, nil
			})); err != nil {
			return fmt.Errorf("copy roster: %w", err)
		}
		for _, m := range in.Members {
			out[byID[m.AgencyID]].Members++
		}
		if err := rematchAccounts(ctx, tx, in.AgencyIDs, in.Members, out, byID); err != nil {
			return err
		}
		if in.SetHeadcount {
			return headcountsFromRoster(ctx, tx, out, in.By)
		}
		return nil
	})
	return out, err
}

// rematchAccounts puts every participant of the agencies whose standing no focal point has
// decided on the roster (matched) or before the focal point (pending).
func rematchAccounts(ctx context.Context, tx pgx.Tx, agencyIDs []int64, members []RosterMember, out []RosterAgencyOutcome, byID map[int64]int) error {
	rows, err := tx.Query(ctx, `
		SELECT id, agency_id, full_name, date_of_birth, phone, coalesce(cccd, '') FROM users
		WHERE role = 'participant' AND agency_id = ANY($1) AND roster_status IN ('unchecked', 'matched', 'pending')
		ORDER BY id FOR UPDATE`, agencyIDs)
	if err != nil {
		return fmt.Errorf("load accounts to match: %w", err)
	}
	byPhone := map[string][]RosterMember{}
	for _, m := range members {
		byPhone[m.Phone] = append(byPhone[m.Phone], m)
	}
	var ids []int64
	var statuses []string
	var (
		id, agencyID int64
		p            rules.Person
		dob          *time.Time
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &agencyID, &p.FullName, &dob, &p.Phone, &p.CCCD}, func() error {
		if dob != nil {
			p.DateOfBirth = *dob
		}
		status := rules.RosterPending
		for _, m := range byPhone[p.Phone] {
			if m.AgencyID == agencyID && rules.MatchesRoster(rules.Person{FullName: m.FullName, DateOfBirth: m.DateOfBirth, Phone: m.Phone, CCCD: m.CCCD}, p) {
				status = rules.RosterMatched
			}
		}
		if status == rules.RosterMatched {
			out[byID[agencyID]].Matched++
		} else {
			out[byID[agencyID]].Pending++
		}
		ids, statuses = append(ids, id), append(statuses, status)
		return nil
	}); err != nil {
		return fmt.Errorf("match accounts: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		UPDATE users u SET roster_status = v.status FROM unnest($1::bigint[], $2::text[]) AS v(id, status)
		WHERE u.id = v.id`, ids, statuses); err != nil {
		return fmt.Errorf("record roster matches: %w", err)
	}
	return nil
}

func headcountsFromRoster(ctx context.Context, tx pgx.Tx, out []RosterAgencyOutcome, by int64) error {
	for i := range out {
		o := &out[i]
		o.Headcount = o.Members
		tag, err := tx.Exec(ctx, `
			WITH old AS (SELECT headcount, headcount_is_sample FROM agencies WHERE id = $1)
			INSERT INTO headcount_changes (agency_id, old_headcount, new_headcount, old_was_sample, changed_by, source, note)
			SELECT $1, old.headcount, $2, old.headcount_is_sample, $3, 'import', 'Theo danh sách cán bộ, công chức đã nhập'
			FROM old WHERE old.headcount <> $2 OR old.headcount_is_sample`, o.AgencyID, o.Members, by)
		if err != nil {
			return fmt.Errorf("record headcount of agency %d: %w", o.AgencyID, err)
		}
		if tag.RowsAffected() == 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `UPDATE agencies SET headcount = $2, headcount_is_sample = false WHERE id = $1`, o.AgencyID, o.Members); err != nil {
			return fmt.Errorf("set headcount of agency %d: %w", o.AgencyID, err)
		}
	}
	return nil
}

// RosterCandidates answers whether an agency has a roster, and its members with a phone:
// what a registration is matched against.
func (s *Store) RosterCandidates(ctx context.Context, agencyID int64, phone string) (hasRoster bool, members []rules.Person, err error) {
	err = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM roster_members WHERE agency_id = $1)`, agencyID).Scan(&hasRoster)
	if err != nil || !hasRoster {
		return hasRoster, nil, wrapErr("check roster", err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT full_name, date_of_birth, phone, coalesce(cccd, '') FROM roster_members WHERE agency_id = $1 AND phone = $2`, agencyID, phone)
	if err != nil {
		return true, nil, fmt.Errorf("load roster members: %w", err)
	}
	members, err = pgx.CollectRows(rows, pgx.RowToStructByPos[rules.Person])
	return true, members, wrapErr("scan roster members", err)
}

func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}

// RosterAccount is a participant account as a focal point decides on it.
type RosterAccount struct {
	ID           int64      `json:"id"`
	FullName     string     `json:"full_name"`
	DateOfBirth  *time.Time `json:"-"`
	CCCD         string     `json:"-"`
	Phone        string     `json:"phone"`
	AgencyID     int64      `json:"agency_id"`
	AgencyName   string     `json:"agency_name"`
	Position     string     `json:"position"`
	RosterStatus string     `json:"roster_status"`
	CreatedAt    time.Time  `json:"created_at"`
}

const rosterAccountColumns = `u.id, u.full_name, u.date_of_birth, coalesce(u.cccd, ''), u.phone, u.agency_id, a.name,
	u.position, u.roster_status, u.created_at`

// UnconfirmedRegistrations lists the participants of the given agencies (all when nil)
// not on their roster: pending ones first, then those already decided, newest first.
func (s *Store) UnconfirmedRegistrations(ctx context.Context, agencyIDs []int64) ([]RosterAccount, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+rosterAccountColumns+`
		FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE u.role = 'participant' AND u.roster_status IN ('pending', 'confirmed', 'rejected')
		  AND ($1::bigint[] IS NULL OR u.agency_id = ANY($1))
		ORDER BY u.roster_status <> 'pending', u.created_at DESC, u.id DESC LIMIT 5000`, agencyIDs)
	if err != nil {
		return nil, fmt.Errorf("list unconfirmed registrations: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[RosterAccount])
	return out, wrapErr("scan unconfirmed registrations", err)
}

// RosterAccountByID loads one participant account with its roster standing.
func (s *Store) RosterAccountByID(ctx context.Context, id int64) (RosterAccount, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+rosterAccountColumns+` FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE u.id = $1 AND u.role = 'participant'`, id)
	if err != nil {
		return RosterAccount{}, fmt.Errorf("load account %d: %w", id, err)
	}
	acc, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[RosterAccount])
	if errors.Is(err, pgx.ErrNoRows) {
		return acc, contest.ErrNotFound
	}
	return acc, wrapErr("scan account", err)
}

// ErrOnRoster refuses a confirmation for an account its roster already lists (or that
// registered before the agency had a roster): there is nothing to decide.
var ErrOnRoster = errors.New("account is not waiting for a roster decision")

// DecideRegistration confirms or rejects an account its roster does not list. A decision
// may be changed later (a focal point who rejected by mistake confirms).
func (s *Store) DecideRegistration(ctx context.Context, id int64, status string, by int64) (RosterAccount, error) {
	if status != rules.RosterConfirmed && status != rules.RosterRejected {
		return RosterAccount{}, fmt.Errorf("unknown roster decision %q", status)
	}
	tag, err := s.pool.Exec(ctx, `
		UPDATE users SET roster_status = $2, roster_decided_by = $3, roster_decided_at = now()
		WHERE id = $1 AND role = 'participant' AND roster_status IN ('pending', 'confirmed', 'rejected')`, id, status, by)
	if err != nil {
		return RosterAccount{}, fmt.Errorf("decide registration %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return RosterAccount{}, ErrOnRoster
	}
	return s.RosterAccountByID(ctx, id)
}
