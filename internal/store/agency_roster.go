package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest/internal/rules"
)

// RosterRound is one week of a campaign as the focal point's roster shows it. Published
// says the week's results are public: only then does the roster carry correct counts,
// which before that only the committee reads (a participant sees their own score no
// earlier than the ranking, and a focal point must not learn it before them).
type RosterRound struct {
	Number    int    `json:"number"`
	State     string `json:"state"`
	Published bool   `json:"published"`
}

// RosterWeek is whether one person sat one week, and their best correct count when the
// week is published (nil otherwise, or when they did not sit).
type RosterWeek struct {
	Round   int  `json:"round"`
	Sat     bool `json:"sat"`
	Correct *int `json:"correct,omitempty"`
}

// RosterPerson is one person of an agency's list and their weeks, in round order: a
// registered participant, or a member of the agency's staff roster who has no account yet
// (ID 0, Registered false, never sat). Standing says where they stand against the roster
// (Standing* constants); RosterStatus is the account's roster_status ("" without one).
// DateOfBirth is masked (**/**/yyyy): the roster's when on it, else the account's.
type RosterPerson struct {
	ID             int64        `json:"id"`
	FullName       string       `json:"full_name"`
	Position       string       `json:"position"`
	AgencyID       int64        `json:"agency_id"`
	AgencyName     string       `json:"agency_name"`
	WeeksSat       int          `json:"weeks_sat"`
	Weeks          []RosterWeek `json:"weeks"`
	Registered     bool         `json:"registered"`
	Standing       string       `json:"standing"`
	RosterStatus   string       `json:"roster_status"`
	RosterMemberID *int64       `json:"roster_member_id,omitempty"`
	DateOfBirth    string       `json:"date_of_birth"`
}

// AgencyRoster lists the people of the given agencies with, for each round of the
// campaign, whether they sat it: every member of an agency's staff roster (matched to
// their account when they registered) and every participant registered in the agencies
// (their current agency), whether the roster lists them or not. Testers are left out:
// they sit rehearsals, not the contest.
func (s *Store) AgencyRoster(ctx context.Context, campaignID int64, agencyIDs []int64) ([]RosterRound, []RosterPerson, error) {
	rows, err := s.pool.Query(ctx, `SELECT number, state, state = 'published' FROM rounds WHERE campaign_id = $1 ORDER BY number`, campaignID)
	if err != nil {
		return nil, nil, fmt.Errorf("load rounds: %w", err)
	}
	rounds, err := pgx.CollectRows(rows, pgx.RowToStructByPos[RosterRound])
	if err != nil {
		return nil, nil, fmt.Errorf("scan rounds: %w", err)
	}
	index := map[int]int{}
	for i, r := range rounds {
		index[r.Number] = i
	}
	userIDs, memberIDs, withRoster, err := rosterLinks(ctx, s.pool, agencyIDs)
	if err != nil {
		return nil, nil, err
	}
	if userIDs == nil {
		userIDs, memberIDs = []int64{}, []int64{}
	}
	rows, err = s.pool.Query(ctx, `
		WITH link AS (SELECT * FROM unnest($3::bigint[], $4::bigint[]) AS l(user_id, member_id)),
		people AS (
			SELECT u.id AS user_id, l.member_id, u.full_name, u.position, u.agency_id,
			       coalesce(m.date_of_birth, u.date_of_birth) AS dob, u.roster_status
			FROM users u LEFT JOIN link l ON l.user_id = u.id LEFT JOIN roster_members m ON m.id = l.member_id
			WHERE u.role = 'participant' AND NOT u.is_tester AND u.agency_id = ANY($2)
			UNION ALL
			SELECT NULL, m.id, m.full_name, '', m.agency_id, m.date_of_birth, ''
			FROM roster_members m
			WHERE m.agency_id = ANY($2) AND NOT EXISTS (SELECT 1 FROM link WHERE link.member_id = m.id)
		)
		SELECT p.user_id, p.member_id, p.full_name, p.position, a.id, a.name, p.dob, p.roster_status, r.number, max(res.correct_count)
		FROM people p
		JOIN agencies a ON a.id = p.agency_id
		LEFT JOIN (results res JOIN rounds r ON r.id = res.round_id AND r.campaign_id = $1) ON res.participant_id = p.user_id
		GROUP BY p.user_id, p.member_id, p.full_name, p.position, a.id, a.name, p.dob, p.roster_status, r.number
		ORDER BY a.name, a.id, p.full_name, p.user_id NULLS LAST, p.member_id, r.number`, campaignID, agencyIDs, userIDs, memberIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("load roster: %w", err)
	}
	var (
		people                    []RosterPerson
		userID, memberID          *int64
		agencyID                  int64
		name, pos, agency, status string
		dob                       *time.Time
		number, correct           *int
		lastUser, lastMember      int64 = -1, -1
	)
	_, err = pgx.ForEachRow(rows, []any{&userID, &memberID, &name, &pos, &agencyID, &agency, &dob, &status, &number, &correct}, func() error {
		u, m := deref(userID), deref(memberID)
		if len(people) == 0 || u != lastUser || m != lastMember {
			lastUser, lastMember = u, m
			p := RosterPerson{ID: u, FullName: name, Position: pos, AgencyID: agencyID, AgencyName: agency,
				Weeks: make([]RosterWeek, len(rounds)), Registered: userID != nil, RosterStatus: status,
				DateOfBirth: rules.MaskBirthDate(dob)}
			if memberID != nil {
				id := *memberID
				p.RosterMemberID = &id
			}
			switch {
			case userID == nil:
				p.Standing = StandingNotRegistered
			case memberID != nil:
				p.Standing = StandingOnRoster
			case withRoster[agencyID]:
				p.Standing = StandingOffRoster
			default:
				p.Standing = StandingNoRoster
			}
			for i, r := range rounds {
				p.Weeks[i].Round = r.Number
			}
			people = append(people, p)
		}
		if number == nil {
			return nil
		}
		i, ok := index[*number]
		if !ok {
			return nil
		}
		p := &people[len(people)-1]
		p.Weeks[i].Sat = true
		p.WeeksSat++
		if rounds[i].Published && correct != nil {
			c := *correct
			p.Weeks[i].Correct = &c
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("scan roster: %w", err)
	}
	return rounds, people, nil
}

// deref is a nullable id, 0 when null (no id is 0).
func deref(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}
