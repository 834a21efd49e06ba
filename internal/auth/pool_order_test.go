package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// holdPool returns a one-slot pool whose slot is held until the returned func is called.
func holdPool(t *testing.T, waiters int) (*Pool, func()) {
	t.Helper()
	p := NewPool(1, waiters, time.Minute)
	started, release := make(chan struct{}), make(chan struct{})
	go func() { _ = p.Do(context.Background(), func() { close(started); <-release }) }()
	<-started
	var once sync.Once
	return p, func() { once.Do(func() { close(release) }) }
}

func waitQueued(t *testing.T, p *Pool, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.Stats().Waiting != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d waiting, want %d", p.Stats().Waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPoolServesOldestArrivalFirst(t *testing.T) {
	p, release := holdPool(t, 8)
	base := time.Now().Add(-time.Minute)
	// Callers come in this order but first arrived in another (retries holding tickets).
	arrivals := []int{5, 1, 4, 2, 3}
	var mu sync.Mutex
	var served []int
	var wg sync.WaitGroup
	for i, a := range arrivals {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := WithArrival(context.Background(), base.Add(time.Duration(a)*time.Second))
			if err := p.Do(ctx, func() { mu.Lock(); served = append(served, a); mu.Unlock() }); err != nil {
				t.Errorf("arrival %d: %v", a, err)
			}
		}()
		waitQueued(t, p, int64(i+1))
	}
	release()
	wg.Wait()
	for i, a := range served {
		if a != i+1 {
			t.Fatalf("served in order %v, want oldest arrival first", served)
		}
	}
}

func TestPoolFullQueueMakesRoomForOlderArrival(t *testing.T) {
	p, release := holdPool(t, 2)
	defer release()
	base := time.Now().Add(-time.Minute)
	at := func(s int) context.Context {
		return WithArrival(context.Background(), base.Add(time.Duration(s)*time.Second))
	}
	results := map[int]chan error{}
	for i, s := range []int{20, 30} {
		results[s] = make(chan error, 1)
		go func() { results[s] <- p.Do(at(s), func() {}) }()
		waitQueued(t, p, int64(i+1))
	}
	// Younger than everyone queued: refused at once, the queue unchanged.
	if err := p.Do(at(40), func() {}); !errors.Is(err, ErrBusy) {
		t.Fatalf("younger arrival on a full queue: %v, want ErrBusy", err)
	}
	// Older than the youngest: it takes the youngest's place, which is refused.
	results[10] = make(chan error, 1)
	go func() { results[10] <- p.Do(at(10), func() {}) }()
	select {
	case err := <-results[30]:
		if !errors.Is(err, ErrBusy) {
			t.Fatalf("pushed-out waiter: %v, want ErrBusy", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the youngest waiter was not pushed out")
	}
	waitQueued(t, p, 2)
	release()
	for _, s := range []int{10, 20} {
		if err := <-results[s]; err != nil {
			t.Fatalf("arrival %d: %v", s, err)
		}
	}
	if st := p.Stats(); st.Rejected != 2 || st.Waiting != 0 {
		t.Fatalf("stats %+v, want 2 refused and nobody waiting", st)
	}
}
