package api

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// ConnectionLimit caps the open connections the HTTP server holds (MAX_CONNECTIONS). The
// read timeouts (deadlines.go) bound how long one slow client keeps a connection; the cap
// bounds how many it can keep at once: beyond it a new connection waits in the kernel's
// accept queue, instead of costing this process a goroutine, buffers and a file descriptor.
//
// Kept-alive connections must not hold the next participants back: every phone keeps its
// connection open between answers, so with a plain cap the participant after the first
// MAX_CONNECTIONS waited for someone's idle timeout (a burst of 3,000 starts against a cap
// of 2,000 left 367 without an answer after 20 s). So while someone waits for a slot,
// every response says "Connection: close": each client that is answered gives its slot
// back and connects again for its next request, and the waiting ones get in. (Doing so
// from seven eighths of the cap, before anyone waited, the login rush missed its target
// twice where it met it without a cap: reconnections are CPU the hashing does not get.) Closing idle connections instead races the
// clients' next requests on them (833 of the same burst failed so); a response that says
// it is the last is never misread.
type ConnectionLimit struct {
	slots   chan struct{}
	waiting atomic.Int64 // Accept calls blocked for a slot
}

// NewConnectionLimit caps connections at max; max <= 0 returns nil, which limits nothing.
func NewConnectionLimit(max int) *ConnectionLimit {
	if max <= 0 {
		return nil
	}
	return &ConnectionLimit{slots: make(chan struct{}, max)}
}

// Serve serves srv on l under the limit (none when cl is nil).
func (cl *ConnectionLimit) Serve(srv *http.Server, l net.Listener) error {
	cl.Attach(srv)
	return srv.Serve(cl.Listener(l))
}

// Attach makes srv's responses end their connection while the limit is under pressure
// (for servers started elsewhere, such as httptest's); Listener must wrap the listener
// srv serves.
func (cl *ConnectionLimit) Attach(srv *http.Server) {
	if cl == nil {
		return
	}
	next := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cl.underPressure() {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

func (cl *ConnectionLimit) underPressure() bool { return cl.waiting.Load() > 0 }

// Listener wraps l so that it accepts only within the limit.
func (cl *ConnectionLimit) Listener(l net.Listener) net.Listener {
	if cl == nil {
		return l
	}
	return &limitedListener{Listener: l, cl: cl, done: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	cl        *ConnectionLimit
	done      chan struct{}
	closeOnce sync.Once
}

func (l *limitedListener) Accept() (net.Conn, error) {
	if !l.cl.acquire(l.done) {
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		l.cl.release()
		return nil, err
	}
	return &limitedConn{Conn: c, cl: l.cl}, nil
}

func (l *limitedListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

type limitedConn struct {
	net.Conn
	cl          *ConnectionLimit
	releaseOnce sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.releaseOnce.Do(c.cl.release)
	return err
}

// acquire takes a slot, waiting for one when there is none; false when the listener
// closed first.
func (cl *ConnectionLimit) acquire(done <-chan struct{}) bool {
	select {
	case cl.slots <- struct{}{}:
		return true
	default:
	}
	cl.waiting.Add(1)
	defer cl.waiting.Add(-1)
	select {
	case cl.slots <- struct{}{}:
		return true
	case <-done:
		return false
	}
}

func (cl *ConnectionLimit) release() { <-cl.slots }
