package loadtest

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

// Result is everything one run measured.
type Result struct {
	Config    Config          `json:"config"`
	StartedAt time.Time       `json:"started_at"`
	Elapsed   time.Duration   `json:"elapsed_ns"` // first arrival → end of the watch
	Endpoints []EndpointStats `json:"endpoints"`
	Errors    []ErrorCount    `json:"errors"`
	Exams     ExamStats       `json:"exams"`
	// Lateness is, for every attempt left open (abandoned, or its participant's call
	// failed), how long after its deadline it was first seen closed in PostgreSQL. The
	// attempts table is polled every Config.Poll, so each figure is late by at most Poll
	// plus one query (an upper bound of the true lateness).
	Lateness Distribution `json:"lateness_ms"`
	// LatenessCensored attempts were still open when the watch ended; they count in
	// Lateness with their age past the deadline at that moment, a lower bound.
	LatenessCensored int            `json:"lateness_censored"`
	Processes        []ProcessStats `json:"processes"`
	// Temporal is the difference of Temporal's own metrics over the run (when given).
	Temporal      []TemporalFigure `json:"temporal,omitempty"`
	TemporalError string           `json:"temporal_error,omitempty"`
	// Orchestration is nil for a bare-mode API.
	Orchestration *OrchestrationStats `json:"orchestration,omitempty"`
}

// ExamStats counts participants by what happened to them.
type ExamStats struct {
	Participants  int `json:"participants"`
	NotStarted    int `json:"not_started"` // arrivals had stopped, or the cap came first
	Started       int `json:"started"`     // start answered 201
	Submitted     int `json:"submitted"`   // submit answered 200 with status submitted
	SubmittedLate int `json:"submitted_after_deadline"`
	Abandoned     int `json:"abandoned"` // left on purpose without submitting
	Failed        int `json:"failed"`    // a call failed and the participant gave up
	Cut           int `json:"cut"`       // still inside when the duration cap stopped the run
	LeftOpen      int `json:"left_open"` // attempts watched for their automatic closing
	AutoFinalized int `json:"auto_finalized"`
	NotFinalized  int `json:"not_finalized"` // still open when the watch ended
	// ClosedAs counts the watched attempts by the status they were closed with.
	ClosedAs     map[string]int `json:"closed_as"`
	PeakInFlight int            `json:"peak_in_flight"`
	// ExamsPerSecond is Submitted over the time from the first arrival to the last
	// submit answer: the arrival rate for an open run, the capacity for a closed loop.
	ExamsPerSecond float64 `json:"exams_per_second"`
	// StartSpan is from the first arrival to the last start answer: for a burst, how
	// long serving every start took.
	StartSpan time.Duration `json:"start_span_ns"`
	// FlowsSpan is from the first arrival to the end of the last participant flow.
	FlowsSpan time.Duration `json:"flows_span_ns"`
}

// Run prepares the database, runs the participants, watches the attempts they left open
// and measures the stack's processes. Progress lines go to progress.
func Run(ctx context.Context, cfg Config, progress io.Writer) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	pgcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	round, err := PrepareCampaign(ctx, st, cfg.TimeLimit)
	if err != nil {
		return nil, err
	}
	prepStart := time.Now()
	ps, err := CreateParticipants(ctx, st, cfg.Participants, cfg.Duration+time.Hour)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "[loadtest %s] round %d open, time limit %s; %d participants with sessions created in %s\n",
		cfg.Label, round.Number, cfg.TimeLimit, len(ps), time.Since(prepStart).Round(time.Millisecond))
	if cfg.Seed == 0 {
		var b [8]byte
		_, _ = crand.Read(b[:])
		cfg.Seed = binary.LittleEndian.Uint64(b[:])
	}
	r := &run{cfg: cfg, st: st, participants: ps, rec: newRecorder(), base: strings.TrimRight(cfg.URL, "/") + "/api/v1",
		client: newHTTPClient(cfg)}
	defer r.client.CloseIdleConnections()
	if err := r.checkSameDatabase(ctx); err != nil {
		return nil, err
	}

	procs := newProcWatcher(cfg.ServerPID, cfg.TemporalPID, pgcfg.ConnConfig.Database)
	procs.sample()
	startSnap := procs.snapshot()
	stopSampling := make(chan struct{})
	procs.sampleEvery(time.Second, stopSampling)

	var before metricsSnapshot
	var metricsErr error
	if cfg.TemporalMetrics != "" {
		before, metricsErr = scrapeMetrics(ctx, cfg.TemporalMetrics, cfg.TaskQueue)
	}
	res := &Result{Config: cfg, StartedAt: time.Now()}
	res.Config.DatabaseURL = pgcfg.ConnConfig.Host + "/" + pgcfg.ConnConfig.Database // no password in reports
	r.execute(ctx, progress)
	res.Orchestration = r.measureOrchestration(ctx, round.ID, max(cfg.WatchGrace, time.Minute))
	close(stopSampling)
	procs.samplers.Wait()
	procs.sample()
	endSnap := procs.snapshot()

	res.Elapsed = time.Since(r.t0)
	res.Endpoints = r.rec.endpointStats()
	res.Errors = r.rec.errorCounts()
	res.Exams = r.examStats()
	res.Lateness = Summarize(append(slices.Clone(r.lateness), r.censored...))
	res.LatenessCensored = len(r.censored)
	res.Processes = procs.delta(startSnap, endSnap)
	if cfg.TemporalMetrics != "" && metricsErr == nil {
		var after metricsSnapshot
		if after, metricsErr = scrapeMetrics(ctx, cfg.TemporalMetrics, cfg.TaskQueue); metricsErr == nil {
			res.Temporal = temporalFigures(before, after)
		}
	}
	if metricsErr != nil {
		res.TemporalError = metricsErr.Error()
	}
	return res, nil
}

func newHTTPClient(cfg Config) *http.Client {
	conns := cfg.Participants
	if cfg.Concurrency > 0 {
		conns = cfg.Concurrency
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:               nil, // loopback only: never through a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: min(conns, 8000),
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}}
}

type watched struct {
	id       int64
	deadline time.Time
}

type run struct {
	cfg          Config
	st           *store.Store
	participants []Participant
	rec          *recorder
	base         string
	client       *http.Client
	t0           time.Time

	notStarted, started, submitted, submittedLate, abandoned, failed, cut atomic.Int64
	arrived, inFlight, peakInFlight                                       atomic.Int64

	mu              sync.Mutex
	lastStartAnswer time.Time
	lastSubmit      time.Time
	flowsEnded      time.Time
	newWatches      []watched
	leftOpen        int
	lateness        []time.Duration
	censored        []time.Duration
	notFinalized    int
	finalizedStatus map[string]int
}

// checkSameDatabase makes sure the API serves from the database the harness prepared:
// the first synthetic session must work there.
func (r *run) checkSameDatabase(ctx context.Context) error {
	var me struct {
		ID int64 `json:"id"`
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.base+"/me", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.participants[0].Token)
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("reach the API at %s: %w", r.cfg.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &me) != nil || me.ID != r.participants[0].UserID {
		return fmt.Errorf("the API at %s does not serve from the database given (GET /me with a synthetic session: %d %s)",
			r.cfg.URL, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}

// arrivalOffsets places each participant's arrival after the start of the run.
func (r *run) arrivalOffsets(rng *rand.Rand) []time.Duration {
	n := len(r.participants)
	out := make([]time.Duration, n)
	for i := range out {
		switch r.cfg.Arrival {
		case ArrivalSteady:
			out[i] = r.cfg.Ramp * time.Duration(i) / time.Duration(n)
		case ArrivalBurst:
			if r.cfg.BurstWindow > 0 {
				out[i] = time.Duration(rng.Int64N(int64(r.cfg.BurstWindow)))
			}
		}
	}
	return out
}

func (r *run) execute(ctx context.Context, progress io.Writer) {
	hardCtx, cancel := context.WithTimeout(ctx, r.cfg.Duration)
	defer cancel()
	arrivalsCtx := hardCtx
	if r.cfg.ArrivalsFor > 0 {
		var cancelArrivals context.CancelFunc
		arrivalsCtx, cancelArrivals = context.WithTimeout(hardCtx, r.cfg.ArrivalsFor)
		defer cancelArrivals()
	}
	rng := rand.New(rand.NewPCG(r.cfg.Seed, 0x6c6f6164))
	offsets := r.arrivalOffsets(rng)
	n := len(r.participants)
	abandon := make([]bool, n)
	for _, i := range rng.Perm(n)[:int(float64(n)*r.cfg.AbandonShare+0.5)] {
		abandon[i] = true
	}
	var sem chan struct{}
	if r.cfg.Concurrency > 0 {
		sem = make(chan struct{}, r.cfg.Concurrency)
	}
	r.finalizedStatus = map[string]int{}

	flowsDone := make(chan struct{})
	watchDone := make(chan struct{})
	go func() { defer close(watchDone); r.watch(hardCtx, flowsDone) }()
	stopProgress := make(chan struct{})
	go r.progress(progress, stopProgress)
	defer close(stopProgress)

	r.t0 = time.Now()
	var wg sync.WaitGroup
	for i := range r.participants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sleepUntil(arrivalsCtx, r.t0.Add(offsets[i])) {
				r.notStarted.Add(1)
				return
			}
			if sem != nil {
				select {
				case sem <- struct{}{}:
					defer func() { <-sem }()
				case <-arrivalsCtx.Done():
					r.notStarted.Add(1)
					return
				}
				if arrivalsCtx.Err() != nil {
					r.notStarted.Add(1)
					return
				}
			}
			r.arrived.Add(1)
			prng := rand.New(rand.NewPCG(r.cfg.Seed, uint64(i)+1))
			r.participant(hardCtx, r.participants[i], abandon[i], prng)
		}()
	}
	wg.Wait()
	r.mu.Lock()
	r.flowsEnded = time.Now()
	r.mu.Unlock()
	close(flowsDone)
	<-watchDone
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

func (r *run) think(ctx context.Context, rng *rand.Rand) bool {
	if r.cfg.Think <= 0 {
		return ctx.Err() == nil
	}
	f := 1 + r.cfg.Jitter*(2*rng.Float64()-1)
	return sleepUntil(ctx, time.Now().Add(time.Duration(float64(r.cfg.Think)*f)))
}

func (r *run) enterFlight() {
	n := r.inFlight.Add(1)
	for {
		p := r.peakInFlight.Load()
		if n <= p || r.peakInFlight.CompareAndSwap(p, n) {
			return
		}
	}
}

var choiceKeys = [...]string{"A", "B", "C", "D"}

// participant is one person's visit: the current round, start, answers with pauses,
// prediction, submit; or, for an abandoning participant, some answers and then nothing.
func (r *run) participant(ctx context.Context, p Participant, abandon bool, rng *rand.Rand) {
	var round struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	if ok, cut := r.call(ctx, EpCurrentRound, http.MethodGet, "/rounds/current", "", nil, &round); !ok {
		r.gaveUp(cut)
		return
	}
	var attempt struct {
		AttemptID int64     `json:"attempt_id"`
		Deadline  time.Time `json:"deadline"`
		Questions []struct {
			No int `json:"no"`
		} `json:"questions"`
	}
	ok, cut := r.call(ctx, EpStart, http.MethodPost, fmt.Sprintf("/rounds/%d/attempts", round.ID), p.Token, nil, &attempt)
	r.mu.Lock()
	if now := time.Now(); now.After(r.lastStartAnswer) && !cut {
		r.lastStartAnswer = now
	}
	r.mu.Unlock()
	if !ok {
		r.gaveUp(cut)
		return
	}
	r.started.Add(1)
	r.enterFlight()
	leave := func(cut bool) {
		r.gaveUp(cut)
		if !cut {
			r.watchAttempt(attempt.AttemptID, attempt.Deadline)
		} else {
			r.inFlight.Add(-1)
		}
	}
	answers := len(attempt.Questions)
	if abandon {
		answers = rng.IntN(answers + 1)
	}
	for i := 0; i < answers; i++ {
		if !r.think(ctx, rng) {
			leave(true)
			return
		}
		path := fmt.Sprintf("/attempts/%d/answers/%d", attempt.AttemptID, attempt.Questions[i].No)
		if ok, cut := r.call(ctx, EpAnswer, http.MethodPut, path, p.Token, map[string]string{"choice": choiceKeys[rng.IntN(4)]}, nil); !ok {
			leave(cut)
			return
		}
	}
	if abandon {
		r.abandoned.Add(1)
		r.watchAttempt(attempt.AttemptID, attempt.Deadline)
		return
	}
	if !r.think(ctx, rng) {
		leave(true)
		return
	}
	path := fmt.Sprintf("/attempts/%d/prediction", attempt.AttemptID)
	if ok, cut := r.call(ctx, EpPrediction, http.MethodPut, path, p.Token, map[string]int{"count": rng.IntN(2000)}, nil); !ok {
		leave(cut)
		return
	}
	if !r.think(ctx, rng) {
		leave(true)
		return
	}
	var result struct {
		Status string `json:"status"`
	}
	path = fmt.Sprintf("/attempts/%d/submit", attempt.AttemptID)
	if ok, cut := r.call(ctx, EpSubmit, http.MethodPost, path, p.Token, nil, &result); !ok {
		leave(cut)
		return
	}
	r.inFlight.Add(-1)
	if result.Status == contest.StatusSubmitted {
		r.submitted.Add(1)
	} else {
		r.submittedLate.Add(1)
	}
	r.mu.Lock()
	if now := time.Now(); now.After(r.lastSubmit) {
		r.lastSubmit = now
	}
	r.mu.Unlock()
}

func (r *run) gaveUp(cut bool) {
	if cut {
		r.cut.Add(1)
	} else {
		r.failed.Add(1)
	}
}

// call sends one request and records it. ok is false on a transport error or a non-2xx
// answer; cut is true when the duration cap cancelled the call.
func (r *run) call(ctx context.Context, ep Endpoint, method, path, token string, body, out any) (ok, cut bool) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			panic(err) // only maps of strings and ints are sent
		}
		rd = bytes.NewReader(b)
	}
	rctx, cancel := context.WithTimeout(ctx, r.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, method, r.base+path, rd)
	if err != nil {
		panic(err) // the base URL was validated
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	sent := time.Now()
	resp, err := r.client.Do(req)
	if err == nil {
		var data []byte
		data, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			took := time.Since(sent)
			if resp.StatusCode/100 != 2 {
				r.rec.record(ep, sent, took, true, &ErrorKey{Endpoint: ep, Status: resp.StatusCode, Code: apiErrorCode(data)}, false)
				return false, false
			}
			if out != nil {
				if err := json.Unmarshal(data, out); err != nil {
					r.rec.record(ep, sent, took, true, &ErrorKey{Endpoint: ep, Status: resp.StatusCode, Code: "undecodable_body"}, false)
					return false, false
				}
			}
			r.rec.record(ep, sent, took, true, nil, false)
			return true, false
		}
	}
	took := time.Since(sent)
	if ctx.Err() != nil {
		r.rec.record(ep, sent, took, false, nil, true)
		return false, true
	}
	r.rec.record(ep, sent, took, false, &ErrorKey{Endpoint: ep, Code: transportProblem(err)}, false)
	return false, false
}

func apiErrorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Code == "" {
		return "(no error code)"
	}
	return e.Error.Code
}

func transportProblem(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "transport: no answer within --request-timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "transport: connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "transport: connection reset"
	case errors.Is(err, syscall.EMFILE):
		return "transport: too many open files"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "transport: connection closed by the server"
	}
	msg := err.Error()
	if len(msg) > 80 {
		msg = msg[len(msg)-80:]
	}
	return "transport: " + msg
}

func (r *run) watchAttempt(id int64, deadline time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.newWatches = append(r.newWatches, watched{id: id, deadline: deadline})
	r.leftOpen++
}

// watch polls PostgreSQL for the attempts left open once their deadline has passed and
// records, for each, how long after its deadline it was first seen closed. It ends when
// every participant flow has ended and every watched attempt is closed, or WatchGrace
// after the last deadline, or at the cap.
func (r *run) watch(ctx context.Context, flowsDone <-chan struct{}) {
	ticker := time.NewTicker(r.cfg.Poll)
	defer ticker.Stop()
	pending := map[int64]time.Time{}
	var lastDeadline time.Time
	flowsOver := false
	defer func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, w := range r.newWatches {
			pending[w.id] = w.deadline
		}
		r.newWatches = nil
		r.notFinalized = len(pending)
		now := time.Now()
		for _, d := range pending {
			if now.After(d) {
				r.censored = append(r.censored, now.Sub(d))
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-flowsDone:
			flowsOver, flowsDone = true, nil
		case <-ticker.C:
		}
		r.mu.Lock()
		for _, w := range r.newWatches {
			pending[w.id] = w.deadline
			if w.deadline.After(lastDeadline) {
				lastDeadline = w.deadline
			}
		}
		r.newWatches = r.newWatches[:0]
		r.mu.Unlock()
		now := time.Now()
		var due []int64
		for id, d := range pending {
			if !d.After(now) {
				due = append(due, id)
			}
		}
		if len(due) > 0 {
			r.checkClosed(ctx, due, pending)
		}
		if flowsOver && (len(pending) == 0 || now.After(lastDeadline.Add(r.cfg.WatchGrace))) {
			return
		}
	}
}

func (r *run) checkClosed(ctx context.Context, due []int64, pending map[int64]time.Time) {
	rows, err := r.st.Pool().Query(ctx, `
		SELECT id, status, clock_timestamp() FROM attempts WHERE id = ANY($1) AND status <> 'in_progress'`, due)
	if err != nil {
		return // the next tick asks again
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id     int64
			status string
			seenAt time.Time
		)
		if err := rows.Scan(&id, &status, &seenAt); err != nil {
			return
		}
		deadline, ok := pending[id]
		if !ok {
			continue
		}
		delete(pending, id)
		r.inFlight.Add(-1)
		r.mu.Lock()
		r.lateness = append(r.lateness, seenAt.Sub(deadline))
		r.finalizedStatus[status]++
		r.mu.Unlock()
	}
}

func (r *run) progress(w io.Writer, stop <-chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.mu.Lock()
			closed, open := len(r.lateness), r.leftOpen
			r.mu.Unlock()
			fmt.Fprintf(w, "[loadtest %s] t=%4.0fs arrived=%d started=%d in_flight=%d submitted=%d abandoned=%d failed=%d closed_after_deadline=%d/%d\n",
				r.cfg.Label, time.Since(r.t0).Seconds(), r.arrived.Load(), r.started.Load(), r.inFlight.Load(),
				r.submitted.Load(), r.abandoned.Load(), r.failed.Load(), closed, open)
		}
	}
}

func (r *run) examStats() ExamStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := ExamStats{
		Participants: len(r.participants), NotStarted: int(r.notStarted.Load()), Started: int(r.started.Load()),
		Submitted: int(r.submitted.Load()), SubmittedLate: int(r.submittedLate.Load()), Abandoned: int(r.abandoned.Load()),
		Failed: int(r.failed.Load()), Cut: int(r.cut.Load()), LeftOpen: r.leftOpen, AutoFinalized: len(r.lateness),
		NotFinalized: r.notFinalized, PeakInFlight: int(r.peakInFlight.Load()), ClosedAs: maps.Clone(r.finalizedStatus),
	}
	if !r.lastSubmit.IsZero() {
		if span := r.lastSubmit.Sub(r.t0); span > 0 {
			s.ExamsPerSecond = float64(s.Submitted) / span.Seconds()
		}
	}
	if !r.lastStartAnswer.IsZero() {
		s.StartSpan = r.lastStartAnswer.Sub(r.t0)
	}
	s.FlowsSpan = r.flowsEnded.Sub(r.t0)
	return s
}
