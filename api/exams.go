package api

import (
	"context"
	"time"

	"github.com/hpcontest/contest"
)

// ExamRunner owns the clock of an exam: it is told when an attempt starts and asked to
// close it on submission (internal/exams runs each exam as a Temporal workflow).
type ExamRunner interface {
	// Start arms the exam's deadline for an attempt already committed.
	Start(ctx context.Context, attemptID int64, deadline time.Time) error
	// Submit closes the attempt and returns its one result.
	Submit(ctx context.Context, attemptID int64, deadline time.Time) (contest.Result, error)
	// MoveDeadline tells the exam of a running attempt that its deadline, already moved in
	// PostgreSQL by a grant of extra time, is now deadline.
	MoveDeadline(ctx context.Context, attemptID int64, deadline time.Time) error
}
