//go:build faults

package faults

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// apiProcess is `contest serve` run as a separate process, so that it can be SIGKILLed.
type apiProcess struct {
	bin, log string
	env      []string
	port     int
	cmd      *exec.Cmd
}

func (a *apiProcess) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", a.port) }

func (a *apiProcess) start(t *testing.T) {
	t.Helper()
	logFile, err := os.OpenFile(a.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	a.cmd = exec.Command(a.bin, "serve")
	a.cmd.Env = a.env
	a.cmd.Stdout, a.cmd.Stderr = logFile, logFile
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("start contest serve: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r := call("GET", a.URL()+"/healthz", "", nil); r.Err == nil && r.Status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(a.log)
			t.Fatalf("contest serve not healthy on port %d; its log:\n%s", a.port, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (a *apiProcess) kill() {
	if a.cmd != nil && a.cmd.Process != nil {
		_ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		_, _ = a.cmd.Process.Wait()
		a.cmd = nil
	}
}

// The API process is SIGKILLed in the middle of a burst of 40 concurrent submits (as soon
// as a quarter of them have closed their attempts) and started again. Whatever each submit had reached (nothing, the database, the
// workflow update), every attempt ends in exactly one final state with exactly one result,
// and submitting again after the restart answers that same state, also after the deadlines
// (and the workflows' timers) have passed.
func TestSubmitsSurviveAnAPIKill(t *testing.T) {
	const attempts = 40
	const timeLimit = 45 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: timeLimit})
	api := startServeProcess(t, s)

	type sitting struct {
		token   string
		attempt int64
		before  reply // the submit the kill interrupted
	}
	sittings := make([]*sitting, attempts)
	for i := range sittings {
		p := s.Participant(t) // registration through the in-process API: same database
		sittings[i] = &sitting{token: p.Token}
	}
	roundID := s.CurrentRoundID(t)
	var lastDeadline time.Time
	for _, st := range sittings {
		r := call("POST", fmt.Sprintf("%s/api/v1/rounds/%d/attempts", api.URL(), roundID), st.token, nil)
		var a struct {
			AttemptID int64     `json:"attempt_id"`
			Deadline  time.Time `json:"deadline"`
		}
		if r.Err != nil || r.Status != http.StatusCreated {
			t.Fatalf("start through contest serve: %v %d %s", r.Err, r.Status, r.Body)
		}
		if err := jsonUnmarshal(r.Body, &a); err != nil {
			t.Fatal(err)
		}
		st.attempt = a.AttemptID
		lastDeadline = a.Deadline
		if r := call("PUT", fmt.Sprintf("%s/api/v1/attempts/%d/answers/1", api.URL(), st.attempt), st.token, map[string]string{"choice": "A"}); r.Status != http.StatusOK {
			t.Fatalf("answer: %v %d %s", r.Err, r.Status, r.Body)
		}
	}

	fire := make(chan struct{})
	var wg sync.WaitGroup
	for _, st := range sittings {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-fire
			st.before = call("POST", fmt.Sprintf("%s/api/v1/attempts/%d/submit", api.URL(), st.attempt), st.token, nil)
		}()
	}
	ids := make([]int64, len(sittings))
	for i, st := range sittings {
		ids[i] = st.attempt
	}
	closed := func() int {
		var n int
		if err := s.Store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM attempts WHERE id = ANY($1) AND status <> 'in_progress'`, ids).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The kill lands in the middle of the burst: as soon as a quarter of the submits have
	// closed their attempts, while the others are somewhere between the socket, PostgreSQL
	// and Temporal.
	close(fire)
	fired := time.Now()
	for closed() < attempts/4 && time.Since(fired) < 10*time.Second {
		time.Sleep(time.Millisecond)
	}
	killedAfter := time.Since(fired)
	closedAtKill := closed()
	api.kill()
	wg.Wait()
	// How far the burst had got: attempts closed from submits the dead process had already
	// handed to a workflow, with no API running.
	time.Sleep(2 * time.Second)
	closedWhileDown := closed()
	api.start(t)

	var answered, cutOff int
	final := map[int64]string{}
	for _, st := range sittings {
		if st.before.Err == nil {
			answered++
		} else {
			cutOff++
		}
		// What a client does after a failed submit: submit again.
		r := call("POST", fmt.Sprintf("%s/api/v1/attempts/%d/submit", api.URL(), st.attempt), st.token, nil)
		var res struct{ Status string }
		if r.Err != nil || r.Status != http.StatusOK || jsonUnmarshal(r.Body, &res) != nil {
			t.Fatalf("submit attempt %d again after the restart: %v %d %s", st.attempt, r.Err, r.Status, r.Body)
		}
		if res.Status != "submitted" && res.Status != "auto_submitted" {
			t.Fatalf("attempt %d: submit after the restart says %q", st.attempt, res.Status)
		}
		final[st.attempt] = res.Status
		if st.before.Err == nil {
			var was struct{ Status string }
			if st.before.Status != http.StatusOK || jsonUnmarshal(st.before.Body, &was) != nil || was.Status != res.Status {
				t.Errorf("attempt %d: the submit before the kill answered %d %s, after the restart %q", st.attempt, st.before.Status, st.before.Body, res.Status)
			}
		}
	}
	check := func(when string) map[string]int {
		t.Helper()
		byStatus := map[string]int{}
		for _, st := range sittings {
			var status string
			var results int
			if err := s.Store.Pool().QueryRow(context.Background(), `
				SELECT a.status, (SELECT count(*) FROM results r WHERE r.attempt_id = a.id) FROM attempts a WHERE a.id = $1`,
				st.attempt).Scan(&status, &results); err != nil {
				t.Fatal(err)
			}
			r := call("POST", fmt.Sprintf("%s/api/v1/attempts/%d/submit", api.URL(), st.attempt), st.token, nil)
			var res struct{ Status string }
			if r.Err != nil || r.Status != http.StatusOK || jsonUnmarshal(r.Body, &res) != nil {
				t.Fatalf("%s: submit attempt %d: %v %d %s", when, st.attempt, r.Err, r.Status, r.Body)
			}
			if status != final[st.attempt] || res.Status != status || results != 1 {
				t.Errorf("%s: attempt %d is %q in the database with %d results; submit answers %q; after the restart it was %q",
					when, st.attempt, status, results, res.Status, final[st.attempt])
			}
			byStatus[status]++
		}
		return byStatus
	}
	after := check("right after the restart")
	time.Sleep(time.Until(lastDeadline.Add(3 * time.Second))) // every workflow timer has fired
	later := check("after every deadline")
	t.Logf("%d submits fired, API SIGKILLed %v in (%d attempts closed then): %d answered before the kill, %d cut off, %d attempts closed 2 s after the kill with no API running; "+
		"final states right after the restart %v, after the deadlines %v; one result each",
		attempts, killedAfter.Round(time.Millisecond), closedAtKill, answered, cutOff, closedWhileDown, after, later)
}

// startServeProcess builds the binary and runs `contest serve` as a child process on the
// stack's database, Redis, Temporal and task queue, so that the test can SIGKILL it.
func startServeProcess(t *testing.T, s *testenv.Stack) *apiProcess {
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
	api := &apiProcess{bin: bin, log: filepath.Join(dir, "serve.log"), port: freePort(t)}
	api.env = append(os.Environ(),
		"DATABASE_URL="+s.Store.Pool().Config().ConnString(),
		"REDIS_ADDR="+testenv.RedisAddr(),
		"TEMPORAL_ADDRESS="+testenv.TemporalAddress(),
		"TEMPORAL_TASK_QUEUE="+s.Campaigns.TaskQueue, // the stack's worker runs in this test process
		fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", api.port),
		fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", freePort(t)),
		"VIDEO_DIR="+filepath.Join(dir, "videos"),
		"OTEL_SDK_DISABLED=true",
	)
	api.start(t)
	t.Cleanup(api.kill)
	return api
}
