package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
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

// RosterPerson is one registered participant of an agency and their weeks, in round order.
type RosterPerson struct {
	ID         int64        `json:"id"`
	FullName   string       `json:"full_name"`
	Position   string       `json:"position"`
	AgencyID   int64        `json:"agency_id"`
	AgencyName string       `json:"agency_name"`
	WeeksSat   int          `json:"weeks_sat"`
	Weeks      []RosterWeek `json:"weeks"`
}

// AgencyRoster lists the participants registered in the given agencies (their current
// agency) with, for each round of the campaign, whether they sat it. Testers are left
// out: they sit rehearsals, not the contest.
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
	rows, err = s.pool.Query(ctx, `
		SELECT u.id, u.full_name, u.position, a.id, a.name, r.number, max(res.correct_count)
		FROM users u
		JOIN agencies a ON a.id = u.agency_id
		LEFT JOIN (results res JOIN rounds r ON r.id = res.round_id AND r.campaign_id = $1) ON res.participant_id = u.id
		WHERE u.role = 'participant' AND NOT u.is_tester AND u.agency_id = ANY($2)
		GROUP BY u.id, a.id, r.number
		ORDER BY a.name, a.id, u.full_name, u.id, r.number`, campaignID, agencyIDs)
	if err != nil {
		return nil, nil, fmt.Errorf("load roster: %w", err)
	}
	var (
		people            []RosterPerson
		id, agencyID      int64
		name, pos, agency string
		number, correct   *int
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &name, &pos, &agencyID, &agency, &number, &correct}, func() error {
		if len(people) == 0 || people[len(people)-1].ID != id {
			p := RosterPerson{ID: id, FullName: name, Position: pos, AgencyID: agencyID, AgencyName: agency, Weeks: make([]RosterWeek, len(rounds))}
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
