//go:build integration

package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hpcontest/contest/internal/testenv"
)

// contestBinary builds cmd/contest once per test run, always to the same path so runs do
// not pile up binaries in the temporary directory.
var contestBinary = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(os.TempDir(), "contest-integration-bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "contest")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/contest").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// emptyDatabaseURL creates a database (dropped after the test) and returns its URL; the
// binary under test migrates it.
func emptyDatabaseURL(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, testenv.AdminDatabaseURL())
	if err != nil {
		t.Fatalf("connect to PostgreSQL (run deploy/dev-services.sh up): %v", err)
	}
	name := fmt.Sprintf("contest_sd_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close(context.Background())
	})
	u, _ := url.Parse(testenv.AdminDatabaseURL())
	u.Path = "/" + name
	return u.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process runs the binary with env added to the test's environment.
type contestProcess struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
}

func startContest(t *testing.T, env []string, args ...string) *contestProcess {
	t.Helper()
	bin, err := contestBinary()
	if err != nil {
		t.Fatal(err)
	}
	p := &contestProcess{cmd: exec.Command(bin, args...), stderr: &syncBuffer{}, done: make(chan error, 1)}
	// A metrics port of its own unless env names one: serve and worker both listen on
	// METRICS_ADDR, and tests run side by side.
	p.cmd.Env = append(append(os.Environ(), "METRICS_ADDR="+freeAddr(t)), env...)
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("contest %s stderr:\n%s", args[0], p.stderr.String())
		}
	})
	return p
}

func (p *contestProcess) waitExit(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(within):
		t.Fatalf("still running %v after SIGTERM", within)
	}
}

func waitStatus(t *testing.T, u string, want int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	last := 0
	for time.Now().Before(deadline) {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			last = resp.StatusCode
			if last == want {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("GET %s: %d, want %d within %v", u, last, want, within)
}

// On SIGTERM `contest serve` turns /readyz to 503, still finishes a request that was in
// flight (its body still arriving), and exits 0; its log is JSON.
func TestServeDrainsOnSIGTERM(t *testing.T) {
	dbURL := emptyDatabaseURL(t)
	env := []string{"DATABASE_URL=" + dbURL, "LOG_FORMAT=json", "TEMPORAL_TASK_QUEUE=sd-" + fmt.Sprint(time.Now().UnixNano())}
	migrate := startContest(t, env, "migrate")
	migrate.waitExit(t, 30*time.Second)

	addr := freeAddr(t)
	// CHALLENGE=off: the half-sent registration must reach the handler, which reads its body.
	serve := startContest(t, append(env, "HTTP_ADDR="+addr, "SHUTDOWN_DELAY=3s", "SHUTDOWN_TIMEOUT=20s", "CHALLENGE=off"), "serve")
	waitStatus(t, "http://"+addr+"/readyz", http.StatusOK, 15*time.Second)

	// A registration whose body is only half sent when SIGTERM arrives.
	body := `{"full_name":"Nguyễn Văn A","date_of_birth":"1985-04-12","phone":"0912345678","agency_id":1,"position":"Chuyên viên","password":"mat-khau-moi"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/participants HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nX-Request-ID: shutdown-test-1\r\nContent-Length: %d\r\n\r\n%s",
		addr, len(body), body[:20])
	time.Sleep(300 * time.Millisecond) // the handler is now reading the body

	if err := serve.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// /readyz says 503 while SHUTDOWN_DELAY runs; then the listener closes. Both are
	// waited for rather than timed, so a busy machine does not fail the test.
	waitStatus(t, "http://"+addr+"/readyz", http.StatusServiceUnavailable, 3*time.Second)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections still accepted 15 s after SIGTERM")
		}
	}

	if _, err := io.WriteString(conn, body[20:]); err != nil {
		t.Fatalf("finish the body: %v", err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 || resp.Header.Get("X-Request-ID") != "shutdown-test-1" {
		t.Errorf("in-flight request: %d, X-Request-ID %q", resp.StatusCode, resp.Header.Get("X-Request-ID"))
	}
	serve.waitExit(t, 10*time.Second)

	var drained bool
	for _, line := range strings.Split(strings.TrimSpace(serve.stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		drained = drained || rec["msg"] == "HTTP drained"
	}
	if !drained {
		t.Errorf("no \"HTTP drained\" line in the log")
	}
}

// `contest worker` serves /metrics, /healthz and /readyz on METRICS_ADDR, with the
// Temporal SDK's metrics and the queue depths, and exits 0 on SIGTERM.
func TestWorkerMetricsEndpoint(t *testing.T) {
	dbURL := emptyDatabaseURL(t)
	env := []string{"DATABASE_URL=" + dbURL, "TEMPORAL_TASK_QUEUE=wm-" + fmt.Sprint(time.Now().UnixNano())}
	startContest(t, env, "migrate").waitExit(t, 30*time.Second)

	addr := freeAddr(t)
	worker := startContest(t, append(env, "METRICS_ADDR="+addr), "worker")
	waitStatus(t, "http://"+addr+"/readyz", http.StatusOK, 15*time.Second)
	waitStatus(t, "http://"+addr+"/healthz", http.StatusOK, time.Second)

	// The SDK records its poller and worker metrics once the worker polls, and the queue
	// depths are read on a scrape: wait (generously, on a busy machine) until every one
	// is there rather than reading /metrics once.
	wants := []string{
		"temporal_long_request_total{", "temporal_num_pollers{", "temporal_worker_start_total{",
		`contest_asynq_queue_tasks{queue="contest-`, `contest_notifications_unsent 0`, `contest_queue_depth_up{source="asynq"} 1`, `contest_queue_depth_up{source="outbox"} 1`,
		"go_goroutines",
	}
	missing := func(text string) []string {
		var out []string
		for _, want := range wants {
			if !strings.Contains(text, want) {
				out = append(out, want)
			}
		}
		return out
	}
	var absent []string
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if absent = missing(b.String()); len(absent) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range absent {
		t.Errorf("/metrics has no %s after 60 s", want)
	}
	if err := worker.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	worker.waitExit(t, 15*time.Second)
}
