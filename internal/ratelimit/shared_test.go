package ratelimit

import (
	"context"
	"testing"
	"time"
)

// fakeRemote is Redis's count for one window.
type fakeRemote struct {
	count int
	calls []int
}

func (f *fakeRemote) AllowN(_ context.Context, _ string, n, max int, _ time.Duration) (bool, time.Duration) {
	f.count += n
	f.calls = append(f.calls, n)
	return f.count <= max, time.Second
}

func TestSharedCountsHalfALimitLocally(t *testing.T) {
	tests := []struct {
		name      string
		max       int
		requests  int
		allowed   int
		remoteFor []int // what each call to Redis counted
	}{
		{"a participant saving every few seconds never asks Redis", 240, 20, 20, nil},
		{"half the limit is counted here", 240, 120, 120, nil},
		{"past half, what was counted goes to Redis at once, then one by one", 240, 123, 123, []int{121, 1, 1}},
		{"the limit itself holds in one process", 10, 14, 10, []int{6, 1, 1, 1, 1, 1, 1, 1, 1}},
		{"a limit of one always asks Redis", 1, 2, 1, []int{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			remote := &fakeRemote{}
			s := NewShared(remote)
			allowed := 0
			for range tt.requests {
				// A day-long window: the test cannot cross a window's end.
				if ok, _ := s.Allow(context.Background(), "answer:user:7", tt.max, 24*time.Hour); ok {
					allowed++
				}
			}
			if allowed != tt.allowed {
				t.Errorf("allowed %d of %d, want %d", allowed, tt.requests, tt.allowed)
			}
			if len(remote.calls) != len(tt.remoteFor) {
				t.Fatalf("Redis counted %v, want %v", remote.calls, tt.remoteFor)
			}
			for i := range tt.remoteFor {
				if remote.calls[i] != tt.remoteFor[i] {
					t.Fatalf("Redis counted %v, want %v", remote.calls, tt.remoteFor)
				}
			}
		})
	}
}

func TestSharedKeysAndWindowsAreApart(t *testing.T) {
	remote := &fakeRemote{}
	s := NewShared(remote)
	for range 5 {
		s.Allow(context.Background(), "answer:user:1", 10, 24*time.Hour)
		s.Allow(context.Background(), "answer:user:2", 10, 24*time.Hour)
	}
	if len(remote.calls) != 0 {
		t.Fatalf("two accounts at half the limit each asked Redis: %v", remote.calls)
	}
	// Windows that ended are forgotten.
	s.counts["answer:user:3:1"] = &localCount{n: 3, ends: time.Unix(0, 0)}
	s.swept = time.Time{}
	s.Allow(context.Background(), "answer:user:1", 10, 24*time.Hour)
	if _, ok := s.counts["answer:user:3:1"]; ok {
		t.Fatal("a count of an ended window was kept")
	}
}
