package ratelimit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"
)

var loginPolicy = FailurePolicy{Free: 5, Window: 15 * time.Minute, Base: 30 * time.Second, Cap: 15 * time.Minute}

func TestFailureDelayGrowsAndIsCapped(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     time.Duration
	}{
		{0, 0}, {1, 0}, {4, 0},
		{5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute}, {8, 4 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {11, 15 * time.Minute}, {1000, 15 * time.Minute},
	} {
		if got := loginPolicy.Delay(tc.failures); got != tc.want {
			t.Errorf("Delay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
	if got := (FailurePolicy{}).Delay(100); got != 0 {
		t.Errorf("zero policy delays %v", got)
	}
}

func TestMemoryFailuresThrottleResetAndExpire(t *testing.T) {
	m := newMemoryFailures(10)
	now := time.Unix(1_700_000_000, 0)
	for i := 1; i <= 4; i++ {
		if d := m.fail("k", loginPolicy, now); d != 0 {
			t.Fatalf("failure %d delays %v", i, d)
		}
	}
	if d := m.fail("k", loginPolicy, now); d != 30*time.Second {
		t.Fatalf("fifth failure delays %v", d)
	}
	if w, n := m.wait("k", loginPolicy, now.Add(10*time.Second)); w != 20*time.Second || n != 5 {
		t.Fatalf("wait 10 s later = %v after %d failures", w, n)
	}
	if w, n := m.wait("other", loginPolicy, now); w != 0 || n != 0 {
		t.Fatalf("another key waits %v after %d failures", w, n)
	}
	if w, _ := m.wait("k", loginPolicy, now.Add(31*time.Second)); w != 0 {
		t.Fatalf("wait after the delay = %v", w)
	}
	if d := m.fail("k", loginPolicy, now.Add(31*time.Second)); d != time.Minute {
		t.Fatalf("sixth failure delays %v", d)
	}
	m.reset("k")
	if w, _ := m.wait("k", loginPolicy, now.Add(32*time.Second)); w != 0 {
		t.Fatalf("wait after reset = %v", w)
	}
	// Forgotten Window after the last failure.
	m.fail("j", loginPolicy, now)
	if d := m.fail("j", loginPolicy, now.Add(16*time.Minute)); d != 0 {
		t.Fatalf("an old failure still counted: %v", d)
	}
}

func TestMemoryFailuresStayBounded(t *testing.T) {
	m := newMemoryFailures(100)
	now := time.Unix(1_700_000_000, 0)
	for i := 0; i < 10_000; i++ {
		m.fail(fmt.Sprintf("k%d", i), loginPolicy, now)
	}
	if n := m.len(); n > 100 {
		t.Fatalf("%d entries kept, bound 100", n)
	}
}

// Without Redis the throttle still throttles, from this process's own counts.
func TestFailuresFallBackToMemoryWithoutRedis(t *testing.T) {
	l := New("127.0.0.1:1", "t", slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer l.Close()
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		l.Fail(ctx, "login:x", loginPolicy)
	}
	if w, n := l.FailureWait(ctx, "login:x", loginPolicy); w != 0 || n != 4 {
		t.Fatalf("waits %v after %d failures, want 0 after 4", w, n)
	}
	if d := l.Fail(ctx, "login:x", loginPolicy); d != 30*time.Second {
		t.Fatalf("fifth failure delays %v", d)
	}
	if w, _ := l.FailureWait(ctx, "login:x", loginPolicy); w <= 0 || w > 30*time.Second {
		t.Fatalf("wait %v after the fifth failure", w)
	}
	l.Reset(ctx, "login:x")
	if w, n := l.FailureWait(ctx, "login:x", loginPolicy); w != 0 || n != 0 {
		t.Fatalf("wait %v, %d failures after reset", w, n)
	}
}
