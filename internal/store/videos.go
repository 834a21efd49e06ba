package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest"
)

// Video errors the API maps to answers.

// NewVideoEntry is a clip the secretariat records.
type NewVideoEntry struct {
	CampaignID      int64
	AgencyID        int64
	Title           string
	Author          string
	Format          string
	DurationSeconds int
	ReceivedAt      time.Time
	FileName        string
	FilePath        string
	FileSize        int64
	FileSHA256      string
	RecordedBy      int64
}

// VideoEntry is a recorded clip as staff see it.
type VideoEntry struct {
	ID              int64     `json:"id"`
	AgencyID        int64     `json:"agency_id"`
	AgencyName      string    `json:"agency_name"`
	Title           string    `json:"title"`
	Author          string    `json:"author"`
	Format          string    `json:"format"`
	DurationSeconds int       `json:"duration_seconds"`
	ReceivedAt      time.Time `json:"received_at"`
	HasFile         bool      `json:"has_file"`
	FileName        string    `json:"file_name,omitempty"`
	FileSize        int64     `json:"file_size,omitempty"`
	FileSHA256      string    `json:"file_sha256,omitempty"`
	ScoredBy        int       `json:"scored_by"`
	MyScore         *float64  `json:"my_score,omitempty"`
	FilePath        string    `json:"-"`
}

// CreateVideoEntry records a clip.
func (s *Store) CreateVideoEntry(ctx context.Context, e NewVideoEntry) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `
		INSERT INTO video_entries (campaign_id, agency_id, title, format, duration_seconds, received_at,
		                           file_name, file_path, file_size, file_sha256, recorded_by, author)
		SELECT $1, $2, $3, $4, $5, $6, nullif($7, ''), nullif($8, ''), nullif($9, 0), nullif($10, ''), $11, $12
		WHERE EXISTS (SELECT 1 FROM agencies WHERE id = $2)
		RETURNING id`,
		e.CampaignID, e.AgencyID, e.Title, e.Format, e.DurationSeconds, e.ReceivedAt,
		e.FileName, e.FilePath, e.FileSize, e.FileSHA256, e.RecordedBy, e.Author).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, contest.ErrUnknownAgency
	}
	if err != nil {
		return 0, fmt.Errorf("insert video entry: %w", err)
	}
	return id, nil
}

// VideoEntries lists a campaign's clips; viewer's own score is filled when viewerID > 0.
func (s *Store) VideoEntries(ctx context.Context, campaignID, viewerID int64) ([]VideoEntry, error) {
	return s.videoEntries(ctx, campaignID, viewerID, 0)
}

// videoEntries lists a campaign's clips, or only clip entryID when it is not 0.
func (s *Store) videoEntries(ctx context.Context, campaignID, viewerID, entryID int64) ([]VideoEntry, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT v.id, v.agency_id, a.name, v.title, v.author, v.format, v.duration_seconds, v.received_at,
		       v.file_path IS NOT NULL, coalesce(v.file_name, ''), coalesce(v.file_size, 0), coalesce(v.file_sha256, ''),
		       (SELECT count(*)::int FROM jury_scores j WHERE j.entry_id = v.id),
		       (SELECT j.total::float8 FROM jury_scores j WHERE j.entry_id = v.id AND j.juror_id = $2),
		       coalesce(v.file_path, '')
		FROM video_entries v JOIN agencies a ON a.id = v.agency_id
		WHERE v.campaign_id = $1 AND ($3 = 0 OR v.id = $3) ORDER BY v.id`, campaignID, viewerID, entryID)
	if err != nil {
		return nil, fmt.Errorf("list video entries: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[VideoEntry])
	if err != nil {
		return nil, fmt.Errorf("scan video entries: %w", err)
	}
	return out, nil
}

// VideoEntry loads one clip of a campaign.
func (s *Store) VideoEntry(ctx context.Context, campaignID, id int64) (VideoEntry, error) {
	entries, err := s.videoEntries(ctx, campaignID, 0, id)
	if err != nil {
		return VideoEntry{}, err
	}
	if len(entries) == 0 {
		return VideoEntry{}, contest.ErrNotFound
	}
	return entries[0], nil
}

// JuryClosed reports whether the committee (or the last juror's score) closed jury scoring.
func (s *Store) JuryClosed(ctx context.Context, campaignID int64) (bool, error) {
	var closed bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM decisions WHERE campaign_id = $1 AND kind = 'close_jury' AND outcome <> 'sent_back')`, campaignID).Scan(&closed)
	if err != nil {
		return false, fmt.Errorf("check jury closed: %w", err)
	}
	return closed, nil
}

// SaveScore stores a juror's one score sheet for a clip, unless scoring is closed.
func (s *Store) SaveScore(ctx context.Context, campaignID, entryID, jurorID int64, points map[string]float64, total float64, comment string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// Serialize with the committee's close: the campaign row is the jury's lock.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM campaigns WHERE id = $1 FOR SHARE`, campaignID); err != nil {
			return fmt.Errorf("lock campaign: %w", err)
		}
		var closed, exists bool
		if err := tx.QueryRow(ctx, `
			SELECT EXISTS (SELECT 1 FROM decisions WHERE campaign_id = $1 AND kind = 'close_jury' AND outcome <> 'sent_back'),
			       EXISTS (SELECT 1 FROM video_entries WHERE id = $2 AND campaign_id = $1)`, campaignID, entryID).Scan(&closed, &exists); err != nil {
			return fmt.Errorf("check clip: %w", err)
		}
		if !exists {
			return contest.ErrNotFound
		}
		if closed {
			return contest.ErrJuryClosed
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO jury_scores (entry_id, juror_id, points, total, comment) VALUES ($1, $2, $3, $4, $5)`,
			entryID, jurorID, points, total, comment)
		if isUniqueViolation(err, "") {
			return contest.ErrAlreadyScored
		}
		if err != nil {
			return fmt.Errorf("insert score: %w", err)
		}
		return nil
	})
}

// JurorScore is one stored score sheet.
type JurorScore struct {
	EntryID  int64              `json:"entry_id"`
	JurorID  int64              `json:"juror_id"`
	Juror    string             `json:"juror"`
	Points   map[string]float64 `json:"points"`
	Total    float64            `json:"total"`
	Comment  string             `json:"comment"`
	ScoredAt time.Time          `json:"scored_at"`
}

// Scores lists a campaign's score sheets; jurorID > 0 limits them to one juror's.
func (s *Store) Scores(ctx context.Context, campaignID, jurorID int64) ([]JurorScore, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT j.entry_id, j.juror_id, u.full_name, j.points, j.total::float8, j.comment, j.scored_at
		FROM jury_scores j JOIN video_entries v ON v.id = j.entry_id JOIN users u ON u.id = j.juror_id
		WHERE v.campaign_id = $1 AND ($2 = 0 OR j.juror_id = $2) ORDER BY j.entry_id, j.juror_id`, campaignID, jurorID)
	if err != nil {
		return nil, fmt.Errorf("list scores: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[JurorScore])
	if err != nil {
		return nil, fmt.Errorf("scan scores: %w", err)
	}
	return out, nil
}

// JuryProgress counts jurors, clips and score sheets: scoring is complete when every
// juror scored every clip.
func (s *Store) JuryProgress(ctx context.Context, campaignID int64) (jurors, clips, sheets int, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM users WHERE role = 'jury'),
		       (SELECT count(*) FROM video_entries WHERE campaign_id = $1),
		       (SELECT count(*) FROM jury_scores j JOIN video_entries v ON v.id = j.entry_id
		        JOIN users u ON u.id = j.juror_id AND u.role = 'jury' WHERE v.campaign_id = $1)`, campaignID).
		Scan(&jurors, &clips, &sheets)
	if err != nil {
		err = fmt.Errorf("jury progress: %w", err)
	}
	return jurors, clips, sheets, err
}
