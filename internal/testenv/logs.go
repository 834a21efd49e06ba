package testenv

import (
	"context"
	"log/slog"
	"sync"
)

// LogRecorder is a slog handler that keeps what was logged, for tests that assert a
// warning was given (and given once).
type LogRecorder struct {
	mu      sync.Mutex
	records []LogRecord
	attrs   []slog.Attr
	parent  *LogRecorder
}

// LogRecord is one logged line: its level, message and attributes as text.
type LogRecord struct {
	Level   slog.Level
	Message string
	Attrs   map[string]string
}

// Logger logs into the recorder.
func (r *LogRecorder) Logger() *slog.Logger { return slog.New(r) }

// Records is what was logged so far.
func (r *LogRecorder) Records() []LogRecord {
	root := r.root()
	root.mu.Lock()
	defer root.mu.Unlock()
	return append([]LogRecord(nil), root.records...)
}

func (r *LogRecorder) root() *LogRecorder {
	if r.parent != nil {
		return r.parent.root()
	}
	return r
}

func (r *LogRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *LogRecorder) Handle(_ context.Context, rec slog.Record) error {
	attrs := map[string]string{}
	for _, a := range r.attrs {
		attrs[a.Key] = a.Value.String()
	}
	rec.Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value.String()
		return true
	})
	root := r.root()
	root.mu.Lock()
	defer root.mu.Unlock()
	root.records = append(root.records, LogRecord{Level: rec.Level, Message: rec.Message, Attrs: attrs})
	return nil
}

func (r *LogRecorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &LogRecorder{parent: r.root(), attrs: append(append([]slog.Attr(nil), r.attrs...), attrs...)}
}

// WithGroup is not needed by the loggers under test; attributes stay ungrouped.
func (r *LogRecorder) WithGroup(string) slog.Handler { return r }
