package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPool(t *testing.T) {
	cases := []struct {
		name             string
		workers, waiters int
		wait             time.Duration
		callers          int
		hold             time.Duration
		wantOK, wantBusy int
	}{
		{"all fit in slots", 4, 0, 0, 4, 50 * time.Millisecond, 4, 0},
		{"queue absorbs the rest", 2, 4, time.Second, 6, 30 * time.Millisecond, 6, 0},
		{"queue full answers busy", 1, 1, time.Second, 4, 200 * time.Millisecond, 2, 2},
		{"wait too long answers busy", 1, 3, 20 * time.Millisecond, 4, 300 * time.Millisecond, 1, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPool(tc.workers, tc.waiters, tc.wait)
			var running, maxRunning atomic.Int64
			var ok, busy atomic.Int64
			var wg sync.WaitGroup
			for i := 0; i < tc.callers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := p.Do(context.Background(), func() {
						n := running.Add(1)
						for {
							m := maxRunning.Load()
							if n <= m || maxRunning.CompareAndSwap(m, n) {
								break
							}
						}
						time.Sleep(tc.hold)
						running.Add(-1)
					})
					switch {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, ErrBusy):
						busy.Add(1)
					default:
						t.Errorf("unexpected error %v", err)
					}
				}()
			}
			wg.Wait()
			if got := maxRunning.Load(); got > int64(tc.workers) {
				t.Fatalf("%d ran at once, bound %d", got, tc.workers)
			}
			if ok.Load() != int64(tc.wantOK) || busy.Load() != int64(tc.wantBusy) {
				t.Fatalf("ok %d busy %d, want %d/%d", ok.Load(), busy.Load(), tc.wantOK, tc.wantBusy)
			}
			st := p.Stats()
			if st.PeakFlight > int64(tc.workers) || st.InFlight != 0 || st.Waiting != 0 || st.Rejected != int64(tc.wantBusy) {
				t.Fatalf("stats %+v", st)
			}
		})
	}
}

func TestPoolContextCancel(t *testing.T) {
	p := NewPool(1, 4, 10*time.Second)
	release := make(chan struct{})
	started := make(chan struct{})
	go func() { _ = p.Do(context.Background(), func() { close(started); <-release }) }()
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	ran := false
	go func() { errc <- p.Do(ctx, func() { ran = true }) }()
	for p.Stats().Waiting != 1 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) || ran {
			t.Fatalf("err %v ran %v", err, ran)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled waiter kept waiting")
	}
	close(release)
	// A context already done never runs.
	if err := p.Do(ctx, func() { t.Error("ran") }); !errors.Is(err, context.Canceled) {
		t.Fatalf("done context: %v", err)
	}
}

func TestPasswordCtxRoundTrip(t *testing.T) {
	h, err := HashPasswordCtx(context.Background(), "mat-khau")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPasswordCtx(context.Background(), "mat-khau", h); !ok || err != nil {
		t.Fatalf("ok %v err %v", ok, err)
	}
	old := SetDefaultPool(NewPool(1, 0, 0))
	defer SetDefaultPool(old)
	release := make(chan struct{})
	started := make(chan struct{})
	go func() { _ = DefaultPool().Do(context.Background(), func() { close(started); <-release }) }()
	<-started
	defer close(release)
	if _, err := CheckPasswordCtx(context.Background(), "mat-khau", h); !errors.Is(err, ErrBusy) {
		t.Fatalf("full pool: %v", err)
	}
}
