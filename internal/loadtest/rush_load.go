package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hpcontest/contest/internal/auth"
)

// answerLoad keeps participants who are already sitting saving an answer every `every`,
// which is what a login rush must not slow down.
type answerLoad struct {
	client  *http.Client
	base    string
	every   time.Duration
	timeout time.Duration

	sitters   []sitter
	mu        sync.Mutex
	latencies []time.Duration
	failures  int
}

type sitter struct {
	token     string
	attemptID int64
	questions int
}

// start opens one attempt per participant in the round.
func (l *answerLoad) start(ctx context.Context, ps []Participant, roundID int64) error {
	l.sitters = make([]sitter, len(ps))
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for i, p := range ps {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var a struct {
				AttemptID int64 `json:"attempt_id"`
				Questions []any `json:"questions"`
			}
			status, err := l.do(ctx, http.MethodPost, fmt.Sprintf("/rounds/%d/attempts", roundID), p.Token, nil, &a)
			if err != nil || status != http.StatusCreated {
				firstErr.CompareAndSwap(nil, fmt.Errorf("start an attempt for a sitting participant: status %d: %v", status, err))
				return
			}
			l.sitters[i] = sitter{token: p.Token, attemptID: a.AttemptID, questions: max(len(a.Questions), 1)}
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return err
	}
	return nil
}

// run saves answers until ctx ends; the returned channel closes when every saver stopped.
func (l *answerLoad) run(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i, s := range l.sitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Spread the sitters over the interval so saves arrive evenly.
			if !sleepCtx(ctx, time.Duration(int64(l.every)*int64(i)/int64(max(len(l.sitters), 1)))) {
				return
			}
			t := time.NewTicker(l.every)
			defer t.Stop()
			for n := 0; ; n++ {
				no := 1 + n%s.questions
				choice := string(rune('A' + rand.IntN(4)))
				began := time.Now()
				status, err := l.do(ctx, http.MethodPut, fmt.Sprintf("/attempts/%d/answers/%d", s.attemptID, no), s.token,
					map[string]string{"choice": choice}, nil)
				took := time.Since(began)
				if ctx.Err() != nil {
					return
				}
				l.mu.Lock()
				if err != nil || status != http.StatusOK {
					l.failures++
				} else {
					l.latencies = append(l.latencies, took)
				}
				l.mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

func (l *answerLoad) do(ctx context.Context, method, path, token string, body, into any) (int, error) {
	rctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(rctx, method, l.base+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if into != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(into)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// MeasureHashRate is how many argon2id hashes with the production parameters this machine
// computes per second on all its cores: the ceiling of logins and registrations per second
// whatever the API does around them.
func MeasureHashRate(d time.Duration) float64 {
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := auth.HashPassword(Password); err == nil {
					n.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
