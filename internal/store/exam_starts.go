package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PendingExam is an attempt whose exam workflow is not known to be started.
type PendingExam struct {
	AttemptID int64
	Deadline  time.Time
}

// MarkExamWorkflowsStarted records that the workflows of these attempts are running.
// Attempts already closed are left alone: the recovery scan only looks at open ones, and
// rewriting the row of every exam submitted before its workflow was confirmed (the usual
// case under load) would cost a row version each.
func (s *Store) MarkExamWorkflowsStarted(ctx context.Context, attemptIDs []int64) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE attempts SET workflow_started_at = now()
		WHERE id = ANY($1) AND workflow_started_at IS NULL AND status = 'in_progress'`, attemptIDs)
	if err != nil {
		return fmt.Errorf("mark %d exam workflows started: %w", len(attemptIDs), err)
	}
	return nil
}

// ExamsAwaitingWorkflow lists open attempts started more than olderThan ago whose workflow
// was never confirmed started, earliest deadline first.
func (s *Store) ExamsAwaitingWorkflow(ctx context.Context, olderThan time.Duration, limit int) ([]PendingExam, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, deadline FROM attempts
		WHERE workflow_started_at IS NULL AND status = 'in_progress'
		  AND started_at < now() - make_interval(secs => $1)
		ORDER BY started_at LIMIT $2`, olderThan.Seconds(), limit)
	if err != nil {
		return nil, fmt.Errorf("list exams awaiting their workflow: %w", err)
	}
	pending, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PendingExam, error) {
		var p PendingExam
		return p, r.Scan(&p.AttemptID, &p.Deadline)
	})
	if err != nil {
		return nil, fmt.Errorf("scan exams awaiting their workflow: %w", err)
	}
	return pending, nil
}
