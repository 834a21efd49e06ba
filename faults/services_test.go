//go:build faults

package faults

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// freePort asks the kernel for a loopback port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening polls until something accepts TCP connections on port.
func waitListening(t *testing.T, port int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing listens on 127.0.0.1:%d after %v", port, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ---------------------------------------------------------------- PostgreSQL

// privatePostgres is a PostgreSQL server of the test's own: a throw-away data directory,
// a free port, trust authentication. The shared server on 5432 is never touched.
type privatePostgres struct {
	bin     string // directory of initdb and postgres
	dir     string // data directory
	port    int
	cred    *syscall.Credential // PostgreSQL refuses to run as root
	cmd     *exec.Cmd
	logFile *os.File
}

// findPostgresBin looks for initdb and postgres on PATH, then in Debian's versioned
// directories; "" when there are none.
func findPostgresBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "postgres")); err == nil {
			return dir
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return ""
	}
	return filepath.Dir(matches[len(matches)-1])
}

func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bin := findPostgresBin()
	if bin == "" {
		t.Skip("no PostgreSQL server binaries (initdb, postgres) on PATH or under /usr/lib/postgresql/*/bin")
	}
	// Not t.TempDir: its parents are private to root, and the server may run as postgres.
	root, err := os.MkdirTemp("", "faults-pg-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	pg := &privatePostgres{bin: bin, dir: filepath.Join(root, "data"), port: freePort(t)}
	t.Cleanup(func() { _ = os.RemoveAll(root) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres account to run a private PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if pg.logFile, err = os.Create(filepath.Join(root, "postgres.log")); err != nil {
		t.Fatal(err)
	}
	if pg.cred != nil {
		_ = pg.logFile.Chown(int(pg.cred.Uid), int(pg.cred.Gid))
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", pg.dir, "-U", "postgres", "--auth=trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	initdb.Dir = root
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg.start(t)
	t.Cleanup(pg.kill)
	return pg
}

// AdminURL is the superuser URL of the server's postgres database.
func (pg *privatePostgres) AdminURL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

func (pg *privatePostgres) start(t *testing.T) {
	t.Helper()
	pg.cmd = exec.Command(filepath.Join(pg.bin, "postgres"), "-D", pg.dir, "-p", strconv.Itoa(pg.port),
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+filepath.Dir(pg.dir),
		"-c", "max_connections=200", "-c", "shared_buffers=32MB")
	pg.cmd.Dir = filepath.Dir(pg.dir)
	pg.cmd.Stdout, pg.cmd.Stderr = pg.logFile, pg.logFile
	// Its own process group: a crash takes the postmaster and every backend at once.
	pg.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: pg.cred}
	if err := pg.cmd.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		// Listening is not enough: after a crash the server refuses connections (57P03)
		// until recovery is over.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, err := pgconn.Connect(ctx, pg.AdminURL())
		if err == nil {
			err = conn.Exec(ctx, "select 1").Close()
			conn.Close(ctx)
		}
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(pg.logFile.Name())
			t.Fatalf("private PostgreSQL not ready on port %d: %v\nlog:\n%s", pg.port, err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill crashes the server: SIGKILL to the postmaster and all its backends, as a power cut
// or the OOM killer would. The next start runs crash recovery from the WAL.
func (pg *privatePostgres) kill() {
	if pg.cmd != nil && pg.cmd.Process != nil {
		_ = syscall.Kill(-pg.cmd.Process.Pid, syscall.SIGKILL)
		_, _ = pg.cmd.Process.Wait()
		pg.cmd = nil
	}
}

// ---------------------------------------------------------------- Redis

// privateRedis is a redis-server of the test's own, with nothing kept on disk: a restart
// comes back empty, as the dev and test Redis do.
type privateRedis struct {
	bin  string
	port int
	cmd  *exec.Cmd
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("no redis-server on PATH")
	}
	r := &privateRedis{bin: bin, port: freePort(t)}
	r.start(t)
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) Addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *privateRedis) start(t *testing.T) {
	t.Helper()
	r.cmd = exec.Command(r.bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(r.port),
		"--save", "", "--appendonly", "no", "--dir", os.TempDir(), "--loglevel", "warning")
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	waitListening(t, r.port, 20*time.Second)
}

// stop kills the server; whatever it held is gone.
func (r *privateRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		_, _ = r.cmd.Process.Wait()
		r.cmd = nil
	}
}

// ---------------------------------------------------------------- HTTP

// reply is one HTTP answer, or the transport error that replaced it.
type reply struct {
	Status     int
	Body       []byte
	RetryAfter string
	Err        error
}

// apiError is the API's one error shape.
type apiError struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// errorCode returns the code of a well-formed error answer, or "" when the body is not one.
func (r reply) errorCode() string {
	var e apiError
	if json.Unmarshal(r.Body, &e) != nil || e.Error == nil || e.Error.Message == "" {
		return ""
	}
	return e.Error.Code
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

// call sends one request without failing the test, so that goroutines may use it.
func call(method, url, token string, body any) reply {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{Err: err}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return reply{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return reply{Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Body: b, RetryAfter: resp.Header.Get("Retry-After"), Err: err}
}

func jsonUnmarshal(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", b, err)
	}
	return nil
}
