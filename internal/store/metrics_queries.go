package store

import (
	"context"
	"fmt"
)

// UnsentNotificationCount is the outbox backlog: notifications queued and not yet sent,
// however recent. notifications_unsent_idx (partial, sent_at IS NULL) keeps it cheap at
// scrape time.
func (s *Store) UnsentNotificationCount(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE sent_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count unsent notifications: %w", err)
	}
	return n, nil
}
