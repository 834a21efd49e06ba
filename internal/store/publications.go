package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// Winner is a prize winner as published.
type Winner struct {
	Prize        string `json:"prize"`
	Rank         int    `json:"rank"`
	FullName     string `json:"full_name"`
	AgencyName   string `json:"agency_name"`
	CorrectCount int    `json:"correct_count"`
	TimeUsedMS   int64  `json:"time_used_ms"`
	UserID       int64  `json:"-"`
	Email        string `json:"-"`
	Phone        string `json:"-"`
}

// Publication is what portals and the results page show for a round.
type Publication struct {
	CampaignCode string    `json:"campaign_code"`
	RoundID      int64     `json:"round_id"`
	RoundNumber  int       `json:"round_number"`
	OpensAt      time.Time `json:"opens_at"`
	ClosesAt     time.Time `json:"closes_at"`
	PublishedAt  time.Time `json:"published_at"`
	Participants int       `json:"participants"`
	PerfectCount int       `json:"perfect_count"`
	Winners      []Winner  `json:"winners"`
}

// PublishRound freezes a round's approved results into a publication and queues one
// notification per winner, in one transaction. It returns created=false and changes
// nothing when the round was published before: publishing twice has one effect.
func (s *Store) PublishRound(ctx context.Context, roundID int64, message func(Winner, Publication) (subject, body string)) (pub Publication, notificationIDs []int64, created bool, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var state string
		if err := tx.QueryRow(ctx, `
			SELECT c.code, r.id, r.number, r.opens_at, r.closes_at, coalesce(r.perfect_count, 0), r.state,
			       (SELECT count(*) FROM round_rankings WHERE round_id = r.id)
			FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1 FOR UPDATE OF r`, roundID).
			Scan(&pub.CampaignCode, &pub.RoundID, &pub.RoundNumber, &pub.OpensAt, &pub.ClosesAt, &pub.PerfectCount, &state, &pub.Participants); err != nil {
			return fmt.Errorf("lock round %d: %w", roundID, err)
		}
		if state != "approved" && state != "published" {
			return fmt.Errorf("round %d is %s, not approved: %w", roundID, state, contest.ErrNotApproved)
		}
		rows, err := tx.Query(ctx, `
			SELECT rr.prize, rr.rank, u.full_name, coalesce(a.name, ''), rr.correct_count, rr.time_used_ms,
			       u.id, coalesce(u.email, ''), u.phone
			FROM round_rankings rr JOIN users u ON u.id = rr.participant_id LEFT JOIN agencies a ON a.id = u.agency_id
			WHERE rr.round_id = $1 AND rr.prize IS NOT NULL ORDER BY rr.rank, rr.participant_id`, roundID)
		if err != nil {
			return fmt.Errorf("load winners: %w", err)
		}
		pub.Winners, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Winner, error) {
			var w Winner
			err := r.Scan(&w.Prize, &w.Rank, &w.FullName, &w.AgencyName, &w.CorrectCount, &w.TimeUsedMS, &w.UserID, &w.Email, &w.Phone)
			return w, err
		})
		if err != nil {
			return fmt.Errorf("scan winners: %w", err)
		}
		payload, err := json.Marshal(pub)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO publications (round_id, payload) VALUES ($1, $2)
			ON CONFLICT (round_id) DO NOTHING RETURNING published_at`, roundID, payload).Scan(&pub.PublishedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // published before
		}
		if err != nil {
			return fmt.Errorf("insert publication: %w", err)
		}
		created = true
		// Store the publication time in the frozen payload too.
		if payload, err = json.Marshal(pub); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE publications SET payload = $2 WHERE round_id = $1`, roundID, payload); err != nil {
			return fmt.Errorf("stamp publication: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET state = 'published' WHERE id = $1`, roundID); err != nil {
			return fmt.Errorf("mark published: %w", err)
		}
		for _, w := range pub.Winners {
			subject, body := message(w, pub)
			recipient := w.Email
			if recipient == "" {
				recipient = w.Phone
			}
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO notifications (kind, dedupe_key, user_id, recipient, subject, body)
				VALUES ('weekly_prize', $1, $2, $3, $4, $5)
				ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
				fmt.Sprintf("weekly_prize:%d:%d", roundID, w.UserID), w.UserID, recipient, subject, body).Scan(&id)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("queue notification: %w", err)
			}
			if err == nil {
				notificationIDs = append(notificationIDs, id)
			}
		}
		return nil
	})
	return pub, notificationIDs, created, err
}

// Publication returns a round's published results. A rehearsal round's are never public:
// asking for them is contest.ErrRehearsalOnly, published or not.
func (s *Store) Publication(ctx context.Context, roundID int64) (Publication, error) {
	var p Publication
	var raw []byte
	var rehearsal, practice bool
	err := s.pool.QueryRow(ctx, `
		SELECT p.payload, c.rehearsal_of IS NOT NULL, c.practice_of IS NOT NULL
		FROM rounds r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN publications p ON p.round_id = r.id
		WHERE r.id = $1`, roundID).Scan(&raw, &rehearsal, &practice)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return p, contest.ErrNotFound
	case err != nil:
		return p, fmt.Errorf("load publication: %w", err)
	case rehearsal:
		return p, contest.ErrRehearsalOnly
	case practice:
		return p, ErrPracticeRound
	case raw == nil:
		return p, contest.ErrNotFound
	}
	return p, json.Unmarshal(raw, &p)
}

// PublishedRounds returns every publication of a campaign, newest round first.
func (s *Store) PublishedRounds(ctx context.Context, campaignID int64) ([]Publication, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT p.payload FROM publications p JOIN rounds r ON r.id = p.round_id
		WHERE r.campaign_id = $1 ORDER BY r.number DESC`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("load publications: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Publication, error) {
		var raw []byte
		var p Publication
		if err := r.Scan(&raw); err != nil {
			return p, err
		}
		return p, json.Unmarshal(raw, &p)
	})
	if err != nil {
		return nil, fmt.Errorf("scan publications: %w", err)
	}
	return out, nil
}

// ApprovedUnpublishedRounds lists rounds approved more than age ago and still not
// published: their publish task was lost (Redis restarted without persistence).
func (s *Store) ApprovedUnpublishedRounds(ctx context.Context, age time.Duration) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.id FROM rounds r
		WHERE r.state = 'approved' AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.round_id = r.id)
		  AND EXISTS (SELECT 1 FROM decisions d WHERE d.campaign_id = r.campaign_id AND d.kind = 'weekly_results'
		              AND d.round_number = r.number AND d.outcome = 'approved'
		              AND d.decided_at < now() - make_interval(secs => $1))`, age.Seconds())
	if err != nil {
		return nil, fmt.Errorf("list unpublished rounds: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("scan unpublished rounds: %w", err)
	}
	return ids, nil
}
