//go:build faults

package faults

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// replica is one `contest serve` or `contest worker` process of a two-replica deployment,
// in its own process group so that SIGKILL takes it down at once, as a lost node would.
type replica struct {
	name, bin, log, ready string // ready: the URL answering 200 once it serves
	base                  string // an API's address
	args, env             []string
	prefix                []string // runs bin elsewhere, e.g. ip netns exec NAME
	cmd                   *exec.Cmd
	exited                chan error
}

func (r *replica) start(t *testing.T) {
	t.Helper()
	logFile, err := os.OpenFile(r.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	argv := slices.Concat(r.prefix, []string{r.bin}, r.args)
	r.cmd = exec.Command(argv[0], argv[1:]...)
	r.cmd.Env = r.env
	r.cmd.Stdout, r.cmd.Stderr = logFile, logFile
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", r.name, err)
	}
	r.exited = make(chan error, 1)
	go func(c *exec.Cmd) { r.exited <- c.Wait() }(r.cmd)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if res := call("GET", r.ready, "", nil); res.Err == nil && res.Status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(r.log)
			t.Fatalf("%s not ready at %s; its log:\n%s", r.name, r.ready, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (r *replica) kill() {
	if r.cmd != nil {
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		<-r.exited
		r.cmd = nil
	}
}

// stop ends the process the way an orchestrator does (SIGTERM) and returns how it exited.
func (r *replica) stop(t *testing.T) error {
	t.Helper()
	if r.cmd == nil {
		return nil
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-r.exited:
		r.cmd = nil
		return err
	case <-time.After(60 * time.Second):
		r.kill()
		return fmt.Errorf("%s did not exit within 60 s of SIGTERM", r.name)
	}
}

// ackedAnswer is an answer an API acknowledged with 200.
type ackedAnswer struct {
	attempt int64
	no      int
	choice  string
}

// Two `contest serve` and two `contest worker` processes share PostgreSQL, Redis and
// Temporal (TEMPORAL_ADDRESS: the dev server, or the PostgreSQL-backed server with
// FAULTS_TEMPORAL=server in make faults). Each API is on a host of its own (a network
// namespace, or a loopback address of its own without one: netns_test.go). Participants answer and submit through both
// APIs in turn, as a load balancer spreads them; a third of the way into the answers one
// API and one worker are SIGKILLed, and the clients go on through the survivors, retrying
// a request that got no answer or a 5xx on the other address. Afterwards every answer an
// API acknowledged is in PostgreSQL, and every attempt, submitted or left to its timer,
// ends in exactly one final state with exactly one result.
func TestReplicasSurviveAKilledAPIAndWorker(t *testing.T) {
	const participants = 40
	const timeLimit = 45 * time.Second
	// The stack supplies the database, the registrations and the campaign; its in-process
	// worker and exam dispatcher stay off, so that only the four processes run exams.
	s := testenv.New(t, testenv.Options{TimeLimit: timeLimit, NoWorker: true, HoldExamStarts: true})
	dir := t.TempDir()
	bin := filepath.Join(dir, "contest")
	build := exec.Command("go", "build", "-o", bin, "./cmd/contest")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/contest: %v\n%s", err, out)
	}
	// contest serve refuses to open while the demo staff keep their published passwords.
	if _, err := seed.ReplaceDemoPasswords(context.Background(), s.Store, func(seed.DemoAccount, string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// Each process gets the service addresses from its own host's point of view.
	env := func(h *apiHost) []string {
		return slices.Concat(os.Environ(), h.serviceEnv(t, s.Store.Pool().Config().ConnString(), testenv.RedisAddr(), testenv.TemporalAddress()), []string{
			"TEMPORAL_TASK_QUEUE=" + s.TaskQueue(),
			"VIDEO_DIR=" + filepath.Join(dir, "videos"),
			"OTEL_SDK_DISABLED=true",
		})
	}
	// The workers stay on the test's host; each API is on one of its own (netns_test.go).
	local := &apiHost{addr: "127.0.0.1", gateway: "127.0.0.1"}
	var apis, workers []*replica
	for i := range 2 {
		h := newAPIHost(t, i)
		port, metricsPort := freePort(t), freePort(t)
		apis = append(apis, &replica{name: fmt.Sprintf("api-%d", i), bin: bin, args: []string{"serve"}, prefix: h.prefix,
			base: fmt.Sprintf("http://%s:%d", h.addr, port),
			log:  filepath.Join(dir, fmt.Sprintf("api-%d.log", i)), ready: fmt.Sprintf("http://%s:%d/healthz", h.addr, port),
			env: slices.Concat(env(h), []string{fmt.Sprintf("HTTP_ADDR=%s:%d", h.addr, port), fmt.Sprintf("METRICS_ADDR=%s:%d", h.addr, metricsPort)})})
		wport := freePort(t)
		workers = append(workers, &replica{name: fmt.Sprintf("worker-%d", i), bin: bin, args: []string{"worker"},
			log: filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)), ready: fmt.Sprintf("http://127.0.0.1:%d/readyz", wport),
			env: slices.Concat(env(local), []string{fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", wport)})})
	}
	for _, r := range append(append([]*replica{}, workers...), apis...) {
		r.start(t)
		t.Cleanup(r.kill)
	}

	// send makes one request through the API whose turn it is, and on no answer or a 5xx
	// through the other one, until an answer below 500 or the deadline.
	var turn atomic.Int64
	send := func(method, path, token string, body any, until time.Time) reply {
		for {
			r := call(method, apis[turn.Add(1)%2].base+path, token, body)
			if r.Err == nil && r.Status < 500 || time.Now().After(until) {
				return r
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	type sitting struct {
		token     string
		attempt   int64
		questions int
		submits   bool   // the others are left to their exam's timer
		submitted string // what submit answered
	}
	sittings := make([]*sitting, participants)
	for i := range sittings {
		sittings[i] = &sitting{token: s.Participant(t).Token, submits: i%4 != 3}
	}
	roundID := s.CurrentRoundID(t)
	var lastDeadline time.Time
	for _, st := range sittings {
		r := send("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID), st.token, nil, time.Now().Add(30*time.Second))
		var a struct {
			AttemptID int64              `json:"attempt_id"`
			Deadline  time.Time          `json:"deadline"`
			Questions []struct{ No int } `json:"questions"`
		}
		if r.Err != nil || r.Status != http.StatusCreated || jsonUnmarshal(r.Body, &a) != nil {
			t.Fatalf("start an attempt: %v %d %s", r.Err, r.Status, r.Body)
		}
		st.attempt, st.questions, lastDeadline = a.AttemptID, len(a.Questions), a.Deadline
	}
	planned := 0
	for _, st := range sittings {
		planned += st.questions
	}

	var mu sync.Mutex
	var acked []ackedAnswer
	var refused []string
	var wg sync.WaitGroup
	submitBy := lastDeadline.Add(-5 * time.Second)
	for _, st := range sittings {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for no := 1; no <= st.questions; no++ {
				choice := []string{"A", "B", "C", "D"}[(int(st.attempt)+no)%4]
				r := send("PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", st.attempt, no), st.token, map[string]string{"choice": choice}, submitBy)
				mu.Lock()
				if r.Err == nil && r.Status == http.StatusOK {
					acked = append(acked, ackedAnswer{st.attempt, no, choice})
				} else {
					refused = append(refused, fmt.Sprintf("attempt %d question %d: %v %d %s", st.attempt, no, r.Err, r.Status, r.Body))
				}
				mu.Unlock()
				time.Sleep(40 * time.Millisecond) // a fast reader, so the kill lands mid-load
			}
			if !st.submits {
				return
			}
			r := send("POST", fmt.Sprintf("/api/v1/attempts/%d/submit", st.attempt), st.token, nil, submitBy)
			var res struct{ Status string }
			if r.Err == nil && r.Status == http.StatusOK && jsonUnmarshal(r.Body, &res) == nil {
				st.submitted = res.Status
			}
		}()
	}
	ackedSoFar := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	loadStart := time.Now()
	for ackedSoFar() < planned/3 && time.Since(loadStart) < 30*time.Second {
		time.Sleep(time.Millisecond)
	}
	ackedAtKill := ackedSoFar()
	apis[0].kill()
	workers[0].kill()
	killedAfter := time.Since(loadStart)
	wg.Wait()

	// The exams left to their timers close on the surviving worker; the sweeper's grace
	// (60 s) is the bound past which a close would be the safety net's, not the workflow's.
	ids := make([]int64, len(sittings))
	for i, st := range sittings {
		ids[i] = st.attempt
	}
	deadline := lastDeadline.Add(90 * time.Second)
	for {
		var open int
		if err := s.Store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM attempts WHERE id = ANY($1) AND status = 'in_progress'`, ids).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d attempts still in progress 90 s after the last deadline", open)
		}
		time.Sleep(200 * time.Millisecond)
	}
	closedAfterDeadline := time.Since(lastDeadline).Round(100 * time.Millisecond)
	// The remaining processes finish as an orchestrator ends them.
	for _, r := range []*replica{apis[1], workers[1]} {
		if err := r.stop(t); err != nil {
			t.Errorf("%s on SIGTERM: %v", r.name, err)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	for _, a := range acked {
		want, _ := rules.OptionIndex(a.choice)
		var got *int
		if err := s.Store.Pool().QueryRow(context.Background(),
			`SELECT choice FROM attempt_questions WHERE attempt_id = $1 AND no = $2`, a.attempt, a.no).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got == nil || *got != want {
			t.Errorf("attempt %d question %d: %s acknowledged, stored %v", a.attempt, a.no, a.choice, got)
		}
	}
	byStatus := map[string]int{}
	for _, st := range sittings {
		var status string
		var results int
		if err := s.Store.Pool().QueryRow(context.Background(), `
			SELECT a.status, (SELECT count(*) FROM results r WHERE r.attempt_id = a.id) FROM attempts a WHERE a.id = $1`,
			st.attempt).Scan(&status, &results); err != nil {
			t.Fatal(err)
		}
		byStatus[status]++
		switch {
		case status != "submitted" && status != "auto_submitted":
			t.Errorf("attempt %d ended %q", st.attempt, status)
		case results != 1:
			t.Errorf("attempt %d (%s) has %d results", st.attempt, status, results)
		case st.submits && st.submitted == "":
			t.Errorf("attempt %d: its submit got no 200 through the surviving API", st.attempt)
		case st.submits && st.submitted != status:
			t.Errorf("attempt %d: submit answered %q, the database says %q", st.attempt, st.submitted, status)
		case !st.submits && status != "auto_submitted":
			t.Errorf("attempt %d was left to its timer but is %q", st.attempt, status)
		}
	}
	t.Logf("%d participants through 2 APIs and 2 workers; api-0 and worker-0 SIGKILLed %v into the load with %d of %d answers acknowledged; "+
		"%d answers acknowledged in all (%d not, e.g. closed attempts), every one stored; final states %v, one result each; the last exams closed %v after their deadline",
		participants, killedAfter.Round(time.Millisecond), ackedAtKill, planned, len(acked), len(refused), byStatus, closedAfterDeadline)
	if len(refused) > 0 {
		t.Logf("not acknowledged, first: %s", refused[0])
	}
}
