package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hpcontest/contest/internal/store"
)

// Rush kinds: who arrives at the front door.
const (
	RushLogin    = "login"    // existing accounts log in (POST /api/v1/sessions)
	RushRegister = "register" // new accounts register (POST /api/v1/participants)
)

// RushConfig is one front-door rush: Arrivals logins or registrations arriving evenly
// within Window, each retrying on 503 busy or 429 as the Retry-After header says, while
// InFlight participants already sitting an exam save an answer every SaveEvery.
type RushConfig struct {
	URL, DatabaseURL string
	Kind             string
	Arrivals         int
	Window           time.Duration
	InFlight         int
	SaveEvery        time.Duration
	// Target is how soon after its arrival a login or registration should succeed; a
	// client keeps trying until GiveUp after its arrival.
	Target, GiveUp time.Duration
	RequestTimeout time.Duration
	ServerPID      int
	// ForwardedFor sends each arrival from its own synthetic address in X-Forwarded-For,
	// as an ingress would: without it every arrival shares the load client's address and
	// meets the per-address limits instead of the hashing bound. The API must trust the
	// load client as a proxy (TRUSTED_PROXIES) for the header to count.
	ForwardedFor bool
	Label        string
}

// RushResult is what a rush measured.
type RushResult struct {
	Config  RushConfig    `json:"config"`
	Elapsed time.Duration `json:"elapsed_ns"`
	// Arrivals that succeeded, those within Target, and those that never did.
	Succeeded    int `json:"succeeded"`
	WithinTarget int `json:"within_target"`
	Failed       int `json:"failed"`
	// ArrivalToSuccess runs from an arrival to its success, retries included.
	ArrivalToSuccess Distribution   `json:"arrival_to_success_ms"`
	Requests         int            `json:"requests"`
	Statuses         map[string]int `json:"statuses"` // every answer by HTTP status ("error" for no answer)
	SuccessPerSecond float64        `json:"success_per_second"`
	// AnswerSave is the answer-save latency of the participants in flight during the rush.
	AnswerSave      Distribution `json:"answer_save_ms"`
	AnswerFailures  int          `json:"answer_failures"`
	APIPeakRSSMiB   float64      `json:"api_peak_rss_mib"`
	APICPUSeconds   float64      `json:"api_cpu_seconds"`
	HashesPerSecond float64      `json:"hashes_per_second"` // this machine's argon2id bound, measured before the rush
}

// Rush runs one rush against a local API and its database.
func Rush(ctx context.Context, cfg RushConfig, progress io.Writer) (*RushResult, error) {
	if err := CheckLoopbackURL(cfg.URL); err != nil {
		return nil, err
	}
	if err := CheckLocalDatabase(cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if cfg.Kind != RushLogin && cfg.Kind != RushRegister {
		return nil, fmt.Errorf("rush kind %q: want %s or %s", cfg.Kind, RushLogin, RushRegister)
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
	round, err := PrepareCampaign(ctx, st, cfg.GiveUp+cfg.Window+5*time.Minute)
	if err != nil {
		return nil, err
	}
	hashes := MeasureHashRate(2 * time.Second)
	fmt.Fprintf(progress, "[rush %s] this machine hashes %.1f passwords/s (argon2id, production parameters)\n", cfg.Label, hashes)

	sitting, err := CreateParticipants(ctx, st, cfg.InFlight, time.Hour)
	if err != nil {
		return nil, err
	}
	tag := rand.IntN(90) + 10
	var agencies []int64
	if err := st.Pool().QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM agencies`).Scan(&agencies); err != nil {
		return nil, fmt.Errorf("list agencies: %w", err)
	}
	if cfg.Kind == RushLogin {
		if err := createLoginAccounts(ctx, st, tag, cfg.Arrivals, agencies); err != nil {
			return nil, err
		}
	}
	client := newHTTPClient(Config{Participants: cfg.Arrivals + cfg.InFlight})
	defer client.CloseIdleConnections()
	base := strings.TrimRight(cfg.URL, "/") + "/api/v1"

	inflight := &answerLoad{client: client, base: base, every: cfg.SaveEvery, timeout: cfg.RequestTimeout}
	if err := inflight.start(ctx, sitting, round.ID); err != nil {
		return nil, err
	}
	settled := waitForWorkflowStarts(ctx, st, round.ID)
	fmt.Fprintf(progress, "[rush %s] %d participants sitting (their workflows started in %s); %d %s arrivals over %s\n",
		cfg.Label, len(sitting), settled.Round(100*time.Millisecond), cfg.Arrivals, cfg.Kind, cfg.Window)

	procs := newProcWatcher(cfg.ServerPID, 0, pgcfg.ConnConfig.Database)
	procs.sample()
	startSnap := procs.snapshot()
	stopSampling := make(chan struct{})
	procs.sampleEvery(500*time.Millisecond, stopSampling)

	saveCtx, stopSaves := context.WithCancel(ctx)
	savesDone := inflight.run(saveCtx)
	front := &frontDoor{cfg: cfg, client: client, base: base, tag: tag, agencies: agencies, statuses: map[string]int{}}
	t0 := time.Now()
	front.rush(ctx)
	elapsed := time.Since(t0)
	stopSaves()
	<-savesDone
	close(stopSampling)
	procs.samplers.Wait()
	procs.sample()

	res := &RushResult{Config: cfg, Elapsed: elapsed, Requests: front.requests, Statuses: front.statuses,
		HashesPerSecond: hashes, AnswerSave: Summarize(inflight.latencies), AnswerFailures: inflight.failures}
	res.Config.DatabaseURL = pgcfg.ConnConfig.Host + "/" + pgcfg.ConnConfig.Database
	for _, d := range front.waits {
		if d < 0 {
			res.Failed++
			continue
		}
		res.Succeeded++
		if d <= cfg.Target {
			res.WithinTarget++
		}
	}
	res.ArrivalToSuccess = Summarize(successes(front.waits))
	if front.lastSuccess > 0 {
		res.SuccessPerSecond = float64(res.Succeeded) / front.lastSuccess.Seconds()
	}
	for _, p := range procs.delta(startSnap, procs.snapshot()) {
		if p.Group == GroupContest {
			res.APIPeakRSSMiB, res.APICPUSeconds = p.PeakSumMB, p.CPUSeconds
		}
	}
	return res, nil
}

func successes(waits []time.Duration) []time.Duration {
	var out []time.Duration
	for _, d := range waits {
		if d >= 0 {
			out = append(out, d)
		}
	}
	return out
}

// rushPhone is a valid Vietnamese mobile number unique to a run's tag and index.
func rushPhone(tag, i int) string { return fmt.Sprintf("09%02d%06d", tag, i) }

// rushName spells the index in letters: a person's name may not hold digits.
func rushName(i int) string {
	const letters = "abcdeghiklmnopqrstuvxy"
	var b []byte
	for n := i; ; n /= len(letters) {
		b = append(b, letters[n%len(letters)])
		if n < len(letters) {
			break
		}
	}
	return "Người Thử " + strings.ToUpper(string(b[:1])) + string(b[1:])
}

// createLoginAccounts inserts the accounts that will log in, all with Password (its hash
// made once with the production parameters, see passwordHash).
func createLoginAccounts(ctx context.Context, st *store.Store, tag, n int, agencies []int64) error {
	hash, err := passwordHash()
	if err != nil {
		return err
	}
	_, err = st.Pool().Exec(ctx, `
		INSERT INTO users (full_name, date_of_birth, phone, agency_id, position, password_hash, role)
		SELECT 'Người Thử Đăng Nhập', DATE '1970-01-01' + (g % 12000), '09' || lpad($2::int::text, 2, '0') || lpad(g::text, 6, '0'),
		       ($4::bigint[])[1 + g % cardinality($4::bigint[])], 'Chuyên viên', $3, 'participant'
		FROM generate_series(0, $1::int - 1) AS g`, n, tag, hash, agencies)
	if err != nil {
		return fmt.Errorf("insert login accounts: %w", err)
	}
	return nil
}

// frontDoor sends the rush's arrivals.
type frontDoor struct {
	cfg      RushConfig
	client   *http.Client
	base     string
	tag      int
	agencies []int64

	mu          sync.Mutex
	requests    int
	statuses    map[string]int
	waits       []time.Duration // per arrival: to success, or -1
	lastSuccess time.Duration   // since the first arrival
}

func (f *frontDoor) rush(ctx context.Context) {
	t0 := time.Now()
	var wg sync.WaitGroup
	f.waits = make([]time.Duration, f.cfg.Arrivals)
	for i := range f.cfg.Arrivals {
		at := time.Duration(int64(f.cfg.Window) * int64(i) / int64(max(f.cfg.Arrivals, 1)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !sleepCtx(ctx, time.Until(t0.Add(at))) {
				f.waits[i] = -1
				return
			}
			arrived := time.Now()
			ok := f.arrive(ctx, i, arrived)
			f.mu.Lock()
			defer f.mu.Unlock()
			if !ok {
				f.waits[i] = -1
				return
			}
			f.waits[i] = time.Since(arrived)
			f.lastSuccess = max(f.lastSuccess, time.Since(t0))
		}()
	}
	wg.Wait()
}

// arrive tries until it succeeds or GiveUp has passed since its arrival.
func (f *frontDoor) arrive(ctx context.Context, i int, arrived time.Time) bool {
	path, body, want := f.request(i)
	ticket := ""
	for time.Since(arrived) < f.cfg.GiveUp {
		status, retryAfter, next := f.send(ctx, path, body, i, ticket)
		if next != "" {
			ticket = next // as the pages do: the retry keeps the first try's place in the queue
		}
		f.mu.Lock()
		f.requests++
		key := "error"
		if status != 0 {
			key = strconv.Itoa(status)
		}
		f.statuses[key]++
		f.mu.Unlock()
		switch {
		case status == want:
			return true
		case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests || status == 0:
			// As the pages do: wait what the server asked, with jitter so retries spread.
			wait := retryAfter + time.Duration(rand.Int64N(int64(time.Second)))
			if !sleepCtx(ctx, wait) {
				return false
			}
		default:
			return false
		}
	}
	return false
}

func (f *frontDoor) request(i int) (path string, body []byte, want int) {
	if f.cfg.Kind == RushLogin {
		b, _ := json.Marshal(map[string]string{"phone": rushPhone(f.tag, i), "password": Password})
		return "/sessions", b, http.StatusOK
	}
	b, _ := json.Marshal(map[string]any{
		"full_name": rushName(i), "date_of_birth": "1985-04-12", "phone": rushPhone(f.tag, i),
		"agency_id": f.agencies[i%len(f.agencies)], "position": "Chuyên viên", "password": Password,
	})
	return "/participants", b, http.StatusCreated
}

func (f *frontDoor) send(ctx context.Context, path string, body []byte, i int, ticket string) (status int, retryAfter time.Duration, nextTicket string) {
	rctx, cancel := context.WithTimeout(ctx, f.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, f.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, time.Second, ""
	}
	req.Header.Set("Content-Type", "application/json")
	if ticket != "" {
		req.Header.Set("X-Retry-Ticket", ticket)
	}
	if f.cfg.ForwardedFor {
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, time.Second, ""
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	retryAfter = 2 * time.Second
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return resp.StatusCode, retryAfter, resp.Header.Get("X-Retry-Ticket")
}

// sleepCtx waits d, or less if ctx ends first (then false).
func sleepCtx(ctx context.Context, d time.Duration) bool { return sleepUntil(ctx, time.Now().Add(d)) }

// waitForWorkflowStarts waits until every open attempt of the round has its exam workflow
// (the dispatcher starts them after answering): the rush meets participants who are already
// sitting, not a thousand workflow starts in its first seconds. It gives up after a minute,
// or after 5 s without progress (a bare-mode API starts no workflows).
func waitForWorkflowStarts(ctx context.Context, st *store.Store, roundID int64) time.Duration {
	began := time.Now()
	last, lastChange := -1, began
	for time.Since(began) < time.Minute && ctx.Err() == nil {
		var open int
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM attempts
			WHERE round_id = $1 AND status = 'in_progress' AND workflow_started_at IS NULL`, roundID).Scan(&open); err != nil || open == 0 {
			break
		}
		if open != last {
			last, lastChange = open, time.Now()
		} else if time.Since(lastChange) > 5*time.Second {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return time.Since(began)
}
