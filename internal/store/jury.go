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

// Juror is a jury account: every one of them is expected to score every clip.
type Juror struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Jurors lists the jury accounts in id order.
func (s *Store) Jurors(ctx context.Context) ([]Juror, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, full_name FROM users WHERE role = 'jury' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list jurors: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Juror])
	if err != nil {
		return nil, fmt.Errorf("scan jurors: %w", err)
	}
	return out, nil
}

// SheetKey says that a juror sent a sheet for a clip.
type SheetKey struct {
	EntryID int64
	JurorID int64
}

// SheetKeys lists which juror scored which clip of a campaign.
func (s *Store) SheetKeys(ctx context.Context, campaignID int64) ([]SheetKey, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT j.entry_id, j.juror_id FROM jury_scores j JOIN video_entries v ON v.id = j.entry_id
		WHERE v.campaign_id = $1 ORDER BY j.entry_id, j.juror_id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("list sheets: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SheetKey])
	if err != nil {
		return nil, fmt.Errorf("scan sheets: %w", err)
	}
	return out, nil
}

// Now is the database's clock, the one every time rule is judged against.
func (s *Store) Now(ctx context.Context) (time.Time, error) {
	var now time.Time
	if err := s.pool.QueryRow(ctx, `SELECT now()`).Scan(&now); err != nil {
		return now, fmt.Errorf("read database clock: %w", err)
	}
	return now, nil
}

// FinalResultsApproved reports whether the committee approved the decision on the results,
// which turns the provisional video and collective results into final ones.
func (s *Store) FinalResultsApproved(ctx context.Context, campaignID int64) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM decisions WHERE campaign_id = $1 AND kind = 'final_results' AND outcome = 'approved')`, campaignID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check final results: %w", err)
	}
	return ok, nil
}

// VideoCorrection is what a clerk may correct on a recorded clip.
type VideoCorrection struct {
	AgencyID        int64     `json:"agency_id"`
	Title           string    `json:"title"`
	Author          string    `json:"author"`
	Format          string    `json:"format"`
	DurationSeconds int       `json:"duration_seconds"`
	ReceivedAt      time.Time `json:"received_at"`
}

// CorrectionOf is a recorded clip's correctable fields.
func CorrectionOf(e VideoEntry) VideoCorrection {
	return VideoCorrection{AgencyID: e.AgencyID, Title: e.Title, Author: e.Author, Format: e.Format,
		DurationSeconds: e.DurationSeconds, ReceivedAt: e.ReceivedAt}
}

// CorrectVideoEntry corrects a clip while jury scoring is open. correct receives the clip
// as recorded and the database's clock, and returns the corrected fields or why they are
// refused. reason is the clerk's note, if any. The correction and its audit entry (before, after, who: audit's user) are
// written in one transaction: there is no correction without its record.
func (s *Store) CorrectVideoEntry(ctx context.Context, campaignID, entryID int64, audit AuditEntry, reason string,
	correct func(before VideoCorrection, now time.Time) (VideoCorrection, error)) (VideoCorrection, error) {
	var after VideoCorrection
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// The campaign row is the jury's lock (see SaveScore): no correction slips past a close.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM campaigns WHERE id = $1 FOR UPDATE`, campaignID); err != nil {
			return fmt.Errorf("lock campaign: %w", err)
		}
		var before VideoCorrection
		var closed bool
		var now time.Time
		err := tx.QueryRow(ctx, `
			SELECT v.agency_id, v.title, v.author, v.format, v.duration_seconds, v.received_at, now(),
			       EXISTS (SELECT 1 FROM decisions WHERE campaign_id = $1 AND kind = 'close_jury' AND outcome <> 'sent_back')
			FROM video_entries v WHERE v.id = $2 AND v.campaign_id = $1 FOR UPDATE`, campaignID, entryID).
			Scan(&before.AgencyID, &before.Title, &before.Author, &before.Format, &before.DurationSeconds, &before.ReceivedAt, &now, &closed)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("load clip: %w", err)
		}
		if closed {
			return contest.ErrJuryClosed
		}
		if after, err = correct(before, now); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE video_entries SET agency_id = $3, title = $4, author = $5, format = $6, duration_seconds = $7,
			       received_at = $8, updated_at = now()
			WHERE id = $2 AND campaign_id = $1 AND EXISTS (SELECT 1 FROM agencies WHERE id = $3)`,
			campaignID, entryID, after.AgencyID, after.Title, after.Author, after.Format, after.DurationSeconds, after.ReceivedAt)
		if err != nil {
			return fmt.Errorf("correct clip: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return contest.ErrUnknownAgency
		}
		audit.Details, err = json.Marshal(map[string]any{"action": "correct_video_entry", "entry_id": entryID, "before": before, "after": after, "reason": reason})
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, audit)
	})
	return after, err
}
