package auth

import (
	"context"
	"errors"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// ErrBusy means the hashing pool is saturated: every slot is hashing, and either the wait
// queue is full or the wait for a slot ran out. The caller should answer "try again".
var ErrBusy = errors.New("password hashing pool busy")

// Pool bounds concurrent argon2id work. Each hash holds argonMemory KiB for its duration,
// so bounding concurrency bounds memory: at most Workers hashes run, at most MaxWaiters
// callers wait (holding no hash memory), each for at most MaxWait.
//
// Waiters are served oldest arrival first, and a full queue makes room for an older
// arrival by refusing its youngest waiter. An arrival is when the caller first came (see
// WithArrival): a participant refused with 503 during a rush and coming back keeps the
// place it first had, so retries do not turn the queue into a lottery in which an unlucky
// participant waits minutes while later ones get in.
type Pool struct {
	mu         sync.Mutex
	free       int
	workers    int
	queue      []*waiter // sorted by arrival, then by when it joined
	joined     uint64
	maxWaiters int
	maxWait    time.Duration
	hasher     Hasher

	inFlight  atomic.Int64
	peak      atomic.Int64
	rejected  atomic.Int64
	hashed    atomic.Int64
	busyNanos atomic.Int64 // summed over the slots: its rate over Workers is how busy the pool is
	backoff   backoff
}

type waiter struct {
	arrival time.Time
	order   uint64
	granted chan bool // true: a slot is handed over; false: pushed out by an older arrival
}

// NewPool returns a pool of workers slots with up to maxWaiters waiting callers, each
// waiting at most maxWait, hashing in this process. workers < 1 is taken as 1;
// maxWaiters < 0 as 0.
func NewPool(workers, maxWaiters int, maxWait time.Duration) *Pool {
	workers = max(workers, 1)
	return &Pool{free: workers, workers: workers, maxWaiters: max(maxWaiters, 0), maxWait: maxWait,
		hasher: InProcess{}, backoff: backoff{workers: workers, floor: 2 * time.Second, ceiling: 30 * time.Second}}
}

// WithHasher makes the pool hash with h (a subprocess, say) and returns it.
func (p *Pool) WithHasher(h Hasher) *Pool {
	p.hasher = h
	return p
}

// NewDefaultPool sizes a pool to the machine for hashing in the API's own process: one
// hash fewer than the cores (at least one), so that a login rush always leaves a core to
// the answers of those already sitting (with every core hashing in process, a 2-core API
// answered saves at p99 2.6 s during a rush); 4×workers waiters, 2 s wait.
func NewDefaultPool() *Pool {
	n := max(1, runtime.GOMAXPROCS(0)-1)
	return NewPool(n, 4*n, 2*time.Second)
}

var defaultPool atomic.Pointer[Pool]

func init() { defaultPool.Store(NewDefaultPool()) }

// DefaultPool is the pool HashPasswordCtx and CheckPasswordCtx use.
func DefaultPool() *Pool { return defaultPool.Load() }

// SetDefaultPool replaces the default pool and returns the previous one (the binary sets
// the production pool at start; tests shrink the bound; not meant to be called while
// requests are being served).
func SetDefaultPool(p *Pool) *Pool { return defaultPool.Swap(p) }

type arrivalKey struct{}

// WithArrival records when the caller first asked (the time a retry ticket vouches for),
// which places it in a pool's queue; without it a call arrives when it calls Do.
func WithArrival(ctx context.Context, arrival time.Time) context.Context {
	return context.WithValue(ctx, arrivalKey{}, arrival)
}

func arrivalOf(ctx context.Context) time.Time {
	if t, ok := ctx.Value(arrivalKey{}).(time.Time); ok {
		return t
	}
	return time.Now()
}

// Do runs fn once a slot is free. It returns ErrBusy when the wait queue is full of older
// arrivals or the wait exceeds MaxWait, and ctx.Err() when ctx ends first; fn then does
// not run.
func (p *Pool) Do(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := p.acquire(ctx, arrivalOf(ctx)); err != nil {
		return err
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
		p.release()
	}()
	began := time.Now()
	fn()
	took := time.Since(began)
	p.hashed.Add(1)
	p.busyNanos.Add(int64(took))
	p.backoff.hashed(took)
	return nil
}

// RetryAfter is how long a caller refused with ErrBusy should wait before trying again:
// 2 s when few are refused, up to 30 s when the crowd refused in the last second would
// take that long to drain at the pool's measured pace.
func (p *Pool) RetryAfter() time.Duration { return p.backoff.retryAfter(time.Now()) }

func (p *Pool) acquire(ctx context.Context, arrival time.Time) error {
	p.mu.Lock()
	if p.free > 0 && len(p.queue) == 0 {
		p.free--
		p.mu.Unlock()
		return nil
	}
	w := &waiter{arrival: arrival, granted: make(chan bool, 1)}
	if !p.enqueue(w) {
		p.mu.Unlock()
		return p.refuse()
	}
	p.mu.Unlock()

	timer := time.NewTimer(p.maxWait)
	defer timer.Stop()
	select {
	case got := <-w.granted:
		if got {
			return nil
		}
		return p.refuse()
	case <-timer.C:
		if p.leave(w) {
			return p.refuse()
		}
	case <-ctx.Done():
		if p.leave(w) {
			return ctx.Err()
		}
	}
	// The slot or the push-out arrived while we were giving up: a slot is used unless the
	// caller has gone, and then handed on.
	got := <-w.granted
	if got && ctx.Err() == nil {
		return nil
	}
	if got {
		p.release()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.refuse()
}

// enqueue places w by arrival; a full queue refuses its youngest waiter to make room for
// an older w, or refuses w (false). Called with p.mu held.
func (p *Pool) enqueue(w *waiter) bool {
	p.joined++
	w.order = p.joined
	if len(p.queue) >= p.maxWaiters {
		if len(p.queue) == 0 || !w.arrival.Before(p.queue[len(p.queue)-1].arrival) {
			return false
		}
		youngest := p.queue[len(p.queue)-1]
		p.queue = p.queue[:len(p.queue)-1]
		youngest.granted <- false
	}
	i := sort.Search(len(p.queue), func(i int) bool { return w.arrival.Before(p.queue[i].arrival) })
	p.queue = append(p.queue, nil)
	copy(p.queue[i+1:], p.queue[i:])
	p.queue[i] = w
	return true
}

// leave takes w out of the queue; false when it was no longer there (a slot or a refusal
// was already sent to it).
func (p *Pool) leave(w *waiter) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, q := range p.queue {
		if q == w {
			p.queue = append(p.queue[:i], p.queue[i+1:]...)
			return true
		}
	}
	return false
}

// release hands the slot to the oldest waiter, or frees it.
func (p *Pool) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.queue) == 0 {
		p.free++
		return
	}
	oldest := p.queue[0]
	p.queue = p.queue[1:]
	oldest.granted <- true
}

func (p *Pool) refuse() error {
	p.rejected.Add(1)
	p.backoff.refused(time.Now())
	return ErrBusy
}

// PoolStats is a snapshot of a pool's gauges.
type PoolStats struct {
	Workers    int           // slot count: the bound on concurrent hashes
	InFlight   int64         // hashes running now
	Waiting    int64         // callers queued for a slot
	PeakFlight int64         // highest InFlight seen since the pool was made
	Rejected   int64         // calls answered ErrBusy
	Hashed     int64         // calls that ran
	Busy       time.Duration // slot time spent in those calls, summed over the slots
}

// Stats returns the pool's current gauges.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	waiting := int64(len(p.queue))
	p.mu.Unlock()
	return PoolStats{Workers: p.workers, InFlight: p.inFlight.Load(), Waiting: waiting,
		PeakFlight: p.peak.Load(), Rejected: p.rejected.Load(), Hashed: p.hashed.Load(),
		Busy: time.Duration(p.busyNanos.Load())}
}

// HashPasswordCtx hashes password in the default pool.
func HashPasswordCtx(ctx context.Context, password string) (hash string, err error) {
	p := DefaultPool()
	if perr := p.Do(ctx, func() { hash, err = p.hasher.Hash(password) }); perr != nil {
		return "", perr
	}
	return hash, err
}

// CheckPasswordCtx checks password against hash in the default pool.
func CheckPasswordCtx(ctx context.Context, password, hash string) (ok bool, err error) {
	p := DefaultPool()
	if perr := p.Do(ctx, func() { ok, err = p.hasher.Check(password, hash) }); perr != nil {
		return false, perr
	}
	return ok, err
}
