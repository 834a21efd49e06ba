package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5"
)

// Notification is one message in the outbox.
type Notification struct {
	ID        int64
	Kind      string
	Recipient string
	Subject   string
	Body      string
	SentAt    *time.Time
}

// NewNotification is a message to queue; DedupeKey makes queuing it twice a no-op.
type NewNotification struct {
	Kind, DedupeKey, Recipient, Subject, Body string
	UserID                                    int64
}

// QueueNotifications inserts messages not queued before and returns the ids of those that
// are still unsent (new or left over from an interrupted run).
func (s *Store) QueueNotifications(ctx context.Context, msgs []NewNotification) ([]int64, error) {
	var ids []int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for _, m := range msgs {
			var userID *int64
			if m.UserID > 0 {
				userID = &m.UserID
			}
			var id int64
			err := tx.QueryRow(ctx, `
				INSERT INTO notifications (kind, dedupe_key, user_id, recipient, subject, body)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
				RETURNING id`, m.Kind, m.DedupeKey, userID, m.Recipient, m.Subject, m.Body).Scan(&id)
			if err != nil {
				return fmt.Errorf("queue notification %s: %w", m.DedupeKey, err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// ClaimNotification sends an unsent notification under its row lock, so two workers
// cannot send the same message at once, and marks it sent. sent is false when it had gone
// out before. A failed send is counted and returned for the caller to retry.
func (s *Store) ClaimNotification(ctx context.Context, id int64, send func(Notification) error) (sent bool, err error) {
	var sendErr error
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var n Notification
		err := tx.QueryRow(ctx, `
			SELECT id, kind, recipient, subject, body, sent_at FROM notifications WHERE id = $1 FOR UPDATE`, id).
			Scan(&n.ID, &n.Kind, &n.Recipient, &n.Subject, &n.Body, &n.SentAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return contest.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("lock notification %d: %w", id, err)
		}
		if n.SentAt != nil {
			return nil
		}
		if sendErr = send(n); sendErr != nil {
			// Commit the failure count; the caller retries.
			if _, err := tx.Exec(ctx, `UPDATE notifications SET tries = tries + 1, last_error = $2 WHERE id = $1`, id, sendErr.Error()); err != nil {
				return fmt.Errorf("record failed send: %w", err)
			}
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE notifications SET sent_at = now(), tries = tries + 1 WHERE id = $1`, id); err != nil {
			return fmt.Errorf("mark notification sent: %w", err)
		}
		sent = true
		return nil
	})
	if err == nil && sendErr != nil {
		return false, fmt.Errorf("send notification %d: %w", id, sendErr)
	}
	return sent, err
}

// UnsentNotifications lists messages queued more than age ago and still not sent, so a
// sweep can requeue what a lost task left behind.
func (s *Store) UnsentNotifications(ctx context.Context, age time.Duration, limit int) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id FROM notifications WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => $1)
		ORDER BY id LIMIT $2`, age.Seconds(), limit)
	if err != nil {
		return nil, fmt.Errorf("list unsent notifications: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("scan unsent notifications: %w", err)
	}
	return ids, nil
}

// Recipient is a staff member to notify.
type Recipient struct {
	UserID  int64
	Name    string
	Address string // email when known, else phone
}

// StaffWithRole lists the accounts of a role, for reminders.
func (s *Store) StaffWithRole(ctx context.Context, role string) ([]Recipient, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, full_name, coalesce(nullif(email, ''), phone) FROM users WHERE role = $1 ORDER BY id`, role)
	if err != nil {
		return nil, fmt.Errorf("list %s accounts: %w", role, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Recipient, error) {
		var x Recipient
		err := r.Scan(&x.UserID, &x.Name, &x.Address)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s accounts: %w", role, err)
	}
	return out, nil
}
