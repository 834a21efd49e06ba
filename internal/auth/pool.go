package auth

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"time"
)

// ErrBusy means the hashing pool is saturated: every slot is hashing, and either the wait
// queue is full or the wait for a slot ran out. The caller should answer "try again".
var ErrBusy = errors.New("password hashing pool busy")

// Pool bounds concurrent argon2id work. Each hash holds argonMemory KiB for its duration,
// so bounding concurrency bounds memory: at most Workers hashes run, at most MaxWaiters
// callers wait (holding no hash memory), each for at most MaxWait.
type Pool struct {
	slots      chan struct{}
	maxWaiters int64
	maxWait    time.Duration

	waiting  atomic.Int64
	inFlight atomic.Int64
	peak     atomic.Int64
	rejected atomic.Int64
	backoff  backoff
}

// NewPool returns a pool of workers slots with up to maxWaiters waiting callers, each
// waiting at most maxWait. workers < 1 is taken as 1; maxWaiters < 0 as 0.
func NewPool(workers, maxWaiters int, maxWait time.Duration) *Pool {
	if workers < 1 {
		workers = 1
	}
	if maxWaiters < 0 {
		maxWaiters = 0
	}
	return &Pool{slots: make(chan struct{}, workers), maxWaiters: int64(maxWaiters), maxWait: maxWait,
		backoff: backoff{workers: workers, floor: 2 * time.Second, ceiling: 30 * time.Second}}
}

// NewDefaultPool sizes a pool to the machine: one hash fewer than the cores (at least
// one), so that a login rush always leaves a core to the answers of those already sitting
// (with every core hashing, a 2-core API answered saves at p99 2.6 s during a rush);
// 4×workers waiters, 2 s wait.
func NewDefaultPool() *Pool {
	n := max(1, runtime.NumCPU()-1)
	return NewPool(n, 4*n, 2*time.Second)
}

var defaultPool atomic.Pointer[Pool]

func init() { defaultPool.Store(NewDefaultPool()) }

// DefaultPool is the pool HashPasswordCtx and CheckPasswordCtx use.
func DefaultPool() *Pool { return defaultPool.Load() }

// SetDefaultPool replaces the default pool and returns the previous one (tests use it to
// shrink the bound; it is not meant to be called while requests are being served).
func SetDefaultPool(p *Pool) *Pool { return defaultPool.Swap(p) }

// Do runs fn once a slot is free. It returns ErrBusy when the wait queue is full or the
// wait exceeds MaxWait, and ctx.Err() when ctx ends first; fn then does not run.
func (p *Pool) Do(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case p.slots <- struct{}{}:
	default:
		if err := p.wait(ctx); err != nil {
			return err
		}
	}
	n := p.inFlight.Add(1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	defer func() {
		p.inFlight.Add(-1)
		<-p.slots
	}()
	began := time.Now()
	fn()
	p.backoff.hashed(time.Since(began))
	return nil
}

// RetryAfter is how long a caller refused with ErrBusy should wait before trying again:
// 2 s when few are refused, up to 30 s when the crowd refused in the last second would
// take that long to drain at the pool's measured pace.
func (p *Pool) RetryAfter() time.Duration { return p.backoff.retryAfter(time.Now()) }

func (p *Pool) wait(ctx context.Context) error {
	if p.waiting.Add(1) > p.maxWaiters {
		p.waiting.Add(-1)
		p.rejected.Add(1)
		p.backoff.refused(time.Now())
		return ErrBusy
	}
	defer p.waiting.Add(-1)
	timer := time.NewTimer(p.maxWait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-timer.C:
		p.rejected.Add(1)
		p.backoff.refused(time.Now())
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PoolStats is a snapshot of a pool's gauges.
type PoolStats struct {
	Workers    int   // slot count: the bound on concurrent hashes
	InFlight   int64 // hashes running now
	Waiting    int64 // callers queued for a slot
	PeakFlight int64 // highest InFlight seen since the pool was made
	Rejected   int64 // calls answered ErrBusy
}

// Stats returns the pool's current gauges.
func (p *Pool) Stats() PoolStats {
	return PoolStats{Workers: cap(p.slots), InFlight: p.inFlight.Load(), Waiting: p.waiting.Load(),
		PeakFlight: p.peak.Load(), Rejected: p.rejected.Load()}
}

// HashPasswordCtx is HashPassword run in the default pool.
func HashPasswordCtx(ctx context.Context, password string) (hash string, err error) {
	if perr := DefaultPool().Do(ctx, func() { hash, err = HashPassword(password) }); perr != nil {
		return "", perr
	}
	return hash, err
}

// CheckPasswordCtx is CheckPassword run in the default pool.
func CheckPasswordCtx(ctx context.Context, password, hash string) (ok bool, err error) {
	if perr := DefaultPool().Do(ctx, func() { ok, err = CheckPassword(password, hash) }); perr != nil {
		return false, perr
	}
	return ok, err
}
