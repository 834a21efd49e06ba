package auth

import (
	"testing"
	"time"
)

func TestBackoffGrowsWithTheCrowdAndIsBounded(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	tests := []struct {
		name     string
		hash     time.Duration
		workers  int
		refusals int
		want     time.Duration
	}{
		{"nobody refused yet", 50 * time.Millisecond, 1, 0, 2 * time.Second},
		{"a few refused: the floor", 50 * time.Millisecond, 1, 10, 2 * time.Second},
		{"200 refused at 20 hashes/s: 10 s", 50 * time.Millisecond, 1, 200, 10 * time.Second},
		{"two workers drain twice as fast", 50 * time.Millisecond, 2, 200, 5 * time.Second},
		{"a storm: the ceiling", 50 * time.Millisecond, 1, 5000, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := backoff{workers: tt.workers, floor: 2 * time.Second, ceiling: 30 * time.Second}
			b.hashed(tt.hash)
			for range tt.refusals {
				b.refused(now)
			}
			if got := b.retryAfter(now.Add(time.Second)); got != tt.want {
				t.Fatalf("retry after %s, want %s", got, tt.want)
			}
		})
	}
}

// Refusals older than the last full second no longer count.
func TestBackoffForgetsAnOldCrowd(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	b := backoff{workers: 1, floor: 2 * time.Second, ceiling: 30 * time.Second}
	b.hashed(50 * time.Millisecond)
	for range 1000 {
		b.refused(now)
	}
	if got := b.retryAfter(now.Add(5 * time.Second)); got != 2*time.Second {
		t.Fatalf("retry after %s five seconds later, want the floor", got)
	}
}
