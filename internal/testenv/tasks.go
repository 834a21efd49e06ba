package testenv

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"

	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/notify"
)

// RecordingSender is the notification sender of a test stack: it keeps what it delivered.
type RecordingSender struct {
	mu   sync.Mutex
	sent []notify.Message
}

// Send records the message.
func (r *RecordingSender) Send(_ context.Context, m notify.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

// Sent returns a copy of what was delivered.
func (r *RecordingSender) Sent() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.sent...)
}

// startTaskServer runs the stack's asynq server on its own queue in the shared Redis.
func (s *Stack) startTaskServer(t testing.TB) {
	t.Helper()
	srv := s.TaskServer(slog.Default())
	if err := srv.Start(); err != nil {
		t.Fatalf("start asynq server (is Redis at %s up?): %v", RedisAddr(), err)
	}
	t.Cleanup(srv.Shutdown)
}

// RunPublishTaskAgain runs the publication handler for a round once more, bypassing the
// task-id check, as a duplicate delivery would.
func (s *Stack) RunPublishTaskAgain(ctx context.Context, roundID int64) error {
	payload, err := json.Marshal(jobs.PublishRoundPayload{RoundID: roundID})
	if err != nil {
		return err
	}
	return s.Handlers().Process(ctx, jobs.TaskPublishRound, payload)
}
