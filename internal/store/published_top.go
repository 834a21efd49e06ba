package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// TopRow is one line of a published round's public top list: what national contests
// publish each week (name, agency, correct answers, time used), never a phone or an email.
type TopRow struct {
	Rank         int    `json:"rank"`
	FullName     string `json:"full_name"`
	AgencyName   string `json:"agency_name"`
	CorrectCount int    `json:"correct_count"`
	TimeUsedMS   int64  `json:"time_used_ms"`
	Prize        string `json:"prize,omitempty"`
}

// PublishedTop is the head of a published round's ranking.
type PublishedTop struct {
	CampaignCode string    `json:"campaign_code"`
	RoundID      int64     `json:"round_id"`
	RoundNumber  int       `json:"round_number"`
	PublishedAt  time.Time `json:"published_at"`
	Participants int       `json:"participants"`
	Rows         []TopRow  `json:"rows"`
}

// published is what the public reads need of a published round.
type published struct {
	code         string
	number       int
	at           time.Time
	participants int // as frozen in the publication: no count over the ranking per request
	settings     []byte
}

// publishedRound is how the public reads find a round: contest.ErrRehearsalOnly for a rehearsal
// round (nothing of it is public, published or not), contest.ErrNotFound for one not published.
func publishedRound(ctx context.Context, q querier, roundID int64) (published, error) {
	var (
		p            published
		rehearsal    bool
		practice     bool
		at           *time.Time
		participants *int
	)
	err := q.QueryRow(ctx, `
		SELECT c.code, r.number, p.published_at, (p.payload->>'participants')::int, c.rehearsal_of IS NOT NULL, c.practice_of IS NOT NULL, c.settings
		FROM rounds r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN publications p ON p.round_id = r.id
		WHERE r.id = $1`, roundID).Scan(&p.code, &p.number, &at, &participants, &rehearsal, &practice, &p.settings)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return p, contest.ErrNotFound
	case err != nil:
		return p, fmt.Errorf("load round %d: %w", roundID, err)
	case rehearsal:
		return p, contest.ErrRehearsalOnly
	case practice:
		return p, ErrPracticeRound
	case at == nil:
		return p, contest.ErrNotFound
	}
	p.at = *at
	if participants != nil {
		p.participants = *participants
	}
	return p, nil
}

// PublishedTopRows returns the first size places of a published round's ranking. The
// ranking of a published round no longer changes (a re-rank needs the committee to send
// it back, which publication ends), so the list is as frozen as the prize list.
func (s *Store) PublishedTopRows(ctx context.Context, roundID int64, size func(settings []byte) int) (PublishedTop, error) {
	var v PublishedTop
	p, err := publishedRound(ctx, s.pool, roundID)
	if err != nil {
		return v, err
	}
	v.CampaignCode, v.RoundID, v.RoundNumber, v.PublishedAt, v.Participants = p.code, roundID, p.number, p.at, p.participants
	rows, err := s.pool.Query(ctx, `
		SELECT rr.rank, u.full_name, coalesce(a.name, ''), rr.correct_count, rr.time_used_ms, coalesce(rr.prize, '')
		FROM round_rankings rr JOIN users u ON u.id = rr.participant_id LEFT JOIN agencies a ON a.id = u.agency_id
		WHERE rr.round_id = $1 AND rr.rank <= $2
		ORDER BY rr.rank, rr.participant_id LIMIT $2`, roundID, size(p.settings))
	if err != nil {
		return v, fmt.Errorf("load top of round %d: %w", roundID, err)
	}
	v.Rows, err = pgx.CollectRows(rows, pgx.RowToStructByPos[TopRow])
	if err != nil {
		return v, fmt.Errorf("scan top of round %d: %w", roundID, err)
	}
	if v.Rows == nil {
		v.Rows = []TopRow{}
	}
	return v, nil
}

// Standing is a participant's place in a published round.
type Standing struct {
	RoundNumber  int    `json:"round_number"`
	Rank         int    `json:"rank"`
	Participants int    `json:"participants"`
	Prize        string `json:"prize,omitempty"`
}

// PublishedStanding returns a participant's place once the round is published;
// ok is false before that, for a rehearsal, or when the participant was not ranked.
func (s *Store) PublishedStanding(ctx context.Context, roundID, participantID int64) (st Standing, ok bool, err error) {
	p, err := publishedRound(ctx, s.pool, roundID)
	if errors.Is(err, contest.ErrNotFound) || errors.Is(err, contest.ErrRehearsalOnly) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	st.RoundNumber, st.Participants = p.number, p.participants
	err = s.pool.QueryRow(ctx, `
		SELECT rr.rank, coalesce(rr.prize, '') FROM round_rankings rr WHERE rr.round_id = $1 AND rr.participant_id = $2`,
		roundID, participantID).Scan(&st.Rank, &st.Prize)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("load standing in round %d: %w", roundID, err)
	}
	return st, true, nil
}
