package auth

import (
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
)

// Subprocess hashes in a child process (the binary's `hasher` command) that lowers its own
// CPU priority (nice). A hash is 20–30 ms of pure CPU; inside the API, hashes
// compete with answer saves on the Go scheduler's equal terms, so hashing on every core
// during a rush took answer-save p99 to 2.6 s, and keeping a core free halved the rate of
// logins. In a niced child the kernel runs the API's threads first whenever they are
// runnable, and the hashes take the cycles the API leaves (and, at a moderate nice, a
// share even when it leaves none, so logins never starve).
//
// A child that dies fails the calls it had (as ErrBusy, so clients retry) and is started
// again by the next call.
type Subprocess struct {
	path string
	args []string
	env  []string
	log  *slog.Logger

	mu    sync.Mutex
	child *hashChild
	next  uint64
}

type hashRequest struct {
	ID       uint64
	Check    bool
	Password string
	Hash     string
}

type hashReply struct {
	ID        uint64
	Hash      string
	OK        bool
	Malformed bool
	Err       string
}

type hashChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	send  sync.Mutex
	enc   *gob.Encoder

	mu      sync.Mutex
	pending map[uint64]chan hashReply
	dead    bool
	closing atomic.Bool   // Close asked it to exit: its end is not news
	exited  chan struct{} // closed once receive has reaped the child
}

// errHasherGone is what calls in flight get when the child dies under them.
var errHasherGone = fmt.Errorf("hashing process exited: %w", ErrBusy)

// NewSubprocess prepares a hasher that runs path with args as its child, with GOMAXPROCS
// set to workers (the pool's bound: more threads would only queue). The child starts on
// Start or on the first call.
func NewSubprocess(path string, args []string, workers int, log *slog.Logger) *Subprocess {
	env := append(os.Environ(), "GOMAXPROCS="+strconv.Itoa(max(workers, 1)))
	return &Subprocess{path: path, args: args, env: env, log: log}
}

// Start starts the child now, so that a binary that cannot run it fails at start-up
// rather than on the first login.
func (s *Subprocess) Start() error {
	_, err := s.running()
	return err
}

// Close stops the child: it exits once its input closes.
func (s *Subprocess) Close() error {
	s.mu.Lock()
	c := s.child
	s.child = nil
	s.mu.Unlock()
	if c == nil {
		return nil
	}
	c.closing.Store(true)
	_ = c.stdin.Close()
	<-c.exited
	return nil
}

// Hash hashes password in the child.
func (s *Subprocess) Hash(password string) (string, error) {
	r, err := s.call(hashRequest{Password: password})
	return r.Hash, err
}

// Check checks password against hash in the child.
func (s *Subprocess) Check(password, hash string) (bool, error) {
	r, err := s.call(hashRequest{Check: true, Password: password, Hash: hash})
	return r.OK, err
}

func (s *Subprocess) call(req hashRequest) (hashReply, error) {
	c, err := s.running()
	if err != nil {
		return hashReply{}, fmt.Errorf("start hashing process: %v: %w", err, ErrBusy)
	}
	s.mu.Lock()
	s.next++
	req.ID = s.next
	s.mu.Unlock()
	replies := make(chan hashReply, 1)
	c.mu.Lock()
	if c.dead {
		c.mu.Unlock()
		return hashReply{}, errHasherGone
	}
	c.pending[req.ID] = replies
	c.mu.Unlock()
	c.send.Lock()
	err = c.enc.Encode(req)
	c.send.Unlock()
	if err != nil {
		c.mu.Lock()
		delete(c.pending, req.ID)
		c.mu.Unlock()
		return hashReply{}, errHasherGone
	}
	r, ok := <-replies
	switch {
	case !ok:
		return hashReply{}, errHasherGone
	case r.Malformed:
		return r, ErrMalformedHash
	case r.Err != "":
		return r, errors.New(r.Err)
	}
	return r, nil
}

// running returns the live child, starting one when there is none or it has died.
func (s *Subprocess) running() (*hashChild, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.child != nil {
		s.child.mu.Lock()
		dead := s.child.dead
		s.child.mu.Unlock()
		if !dead {
			return s.child, nil
		}
	}
	cmd := exec.Command(s.path, s.args...)
	cmd.Env = s.env
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &hashChild{cmd: cmd, stdin: stdin, enc: gob.NewEncoder(stdin), pending: map[uint64]chan hashReply{}, exited: make(chan struct{})}
	go c.receive(stdout, s.log)
	s.child = c
	s.log.Info("hashing process started", "pid", cmd.Process.Pid)
	return c, nil
}

// receive hands each reply to its caller until the child's output ends, then fails the
// calls still waiting and reaps the child.
func (c *hashChild) receive(stdout io.Reader, log *slog.Logger) {
	defer close(c.exited)
	dec := gob.NewDecoder(stdout)
	for {
		var r hashReply
		if err := dec.Decode(&r); err != nil {
			break
		}
		c.mu.Lock()
		ch := c.pending[r.ID]
		delete(c.pending, r.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
	c.mu.Lock()
	c.dead = true
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.mu.Unlock()
	_ = c.stdin.Close()
	if err := c.cmd.Wait(); err != nil && !c.closing.Load() {
		log.Warn("hashing process exited", "error", err)
	}
}

// ServeHashes is the child's side: it answers requests from r on w, each in its own
// goroutine (the parent's pool bounds how many are sent at once), until r ends.
func ServeHashes(r io.Reader, w io.Writer) error {
	dec := gob.NewDecoder(r)
	enc := gob.NewEncoder(w)
	var send sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	// One hash per thread; requests beyond wait here, already read, so the next hash
	// starts the moment one ends instead of after a round trip to the API.
	running := make(chan struct{}, runtime.GOMAXPROCS(0))
	for {
		var req hashRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read hash request: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			running <- struct{}{}
			reply := answer(req)
			<-running
			send.Lock()
			defer send.Unlock()
			_ = enc.Encode(reply)
		}()
	}
}

func answer(req hashRequest) hashReply {
	r := hashReply{ID: req.ID}
	var err error
	if req.Check {
		r.OK, err = CheckPassword(req.Password, req.Hash)
	} else {
		r.Hash, err = HashPassword(req.Password)
	}
	switch {
	case errors.Is(err, ErrMalformedHash):
		r.Malformed = true
	case err != nil:
		r.Err = err.Error()
	}
	return r
}
