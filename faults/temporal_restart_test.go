//go:build faults

// Package faults holds the fault-injection tests that stop and start servers; `make faults`
// runs them. They use their own Temporal dev server so the shared one is left alone.
package faults

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

// devServer is a private Temporal dev server whose state survives restarts in dbFile.
type devServer struct {
	bin, dbFile string
	port        int
	cmd         *exec.Cmd
}

func (d *devServer) start(t *testing.T) {
	t.Helper()
	args := []string{"server", "start-dev", "--ip", "127.0.0.1", "--port", fmt.Sprint(d.port),
		"--headless", "--db-filename", d.dbFile, "--log-level", "error", "--namespace", "default"}
	d.cmd = exec.Command(d.bin, append(args, devServerFlags(t)...)...)
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start temporal dev server: %v", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", d.port)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("temporal dev server did not listen")
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // the frontend listens before the namespace is ready
}

// devServerFlags are the tuning flags deploy/dev-services.sh starts the dev server with
// (SQLite journal mode among them), so the crash is survived by the configuration in use.
func devServerFlags(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("bash", "-c",
		`source ../deploy/lib/temporal-dev.sh && printf '%s\n' "${TEMPORAL_DEV_FLAGS[@]}"`).Output()
	if err != nil {
		t.Fatalf("read deploy/lib/temporal-dev.sh: %v", err)
	}
	return strings.Fields(string(out))
}

// kill ends the server at once, as a crash would.
func (d *devServer) kill() {
	if d.cmd != nil && d.cmd.Process != nil {
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		_, _ = d.cmd.Process.Wait()
	}
}

// Exams are open when the Temporal server dies; it comes back from its database file and
// every exam is still submitted automatically at its deadline, once.
func TestExamsSurviveATemporalRestart(t *testing.T) {
	bin, err := exec.LookPath("temporal")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		bin = filepath.Join(string(gopath[:len(gopath)-1]), "bin", "temporal")
	}
	d := &devServer{bin: bin, dbFile: filepath.Join(t.TempDir(), "temporal.db"), port: 7299}
	d.start(t)
	t.Cleanup(d.kill)
	t.Setenv("TEMPORAL_ADDRESS", fmt.Sprintf("127.0.0.1:%d", d.port))

	s := testenv.New(t, testenv.Options{TimeLimit: 12 * time.Second})
	const exams = 4
	type exam struct {
		client   *testenv.Client
		id       int64
		deadline time.Time
	}
	var open []exam
	for range exams {
		p := s.Participant(t)
		var r struct{ ID int64 }
		p.Expect(http.StatusOK, "GET", "/api/v1/rounds/current", nil).JSON(t, &r)
		var a struct {
			AttemptID int64     `json:"attempt_id"`
			Deadline  time.Time `json:"deadline"`
		}
		p.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID), nil).JSON(t, &a)
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID), map[string]string{"choice": "A"})
		open = append(open, exam{p, a.AttemptID, a.Deadline})
	}
	d.kill()
	// Answers keep being saved while Temporal is down: they are PostgreSQL writes.
	for _, e := range open {
		e.client.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/2", e.id), map[string]string{"choice": "B"})
	}
	time.Sleep(2 * time.Second)
	d.start(t)
	for _, e := range open {
		deadline := time.Now().Add(60 * time.Second)
		for {
			var got struct{ Status string }
			e.client.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/attempts/%d", e.id), nil).JSON(t, &got)
			if got.Status == "auto_submitted" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("attempt %d still %s a minute after the restart", e.id, got.Status)
			}
			time.Sleep(250 * time.Millisecond)
		}
		var rows int
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM results WHERE attempt_id = $1`, e.id).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if rows != 1 {
			t.Fatalf("attempt %d has %d results", e.id, rows)
		}
	}
	t.Logf("Temporal killed with %d exams open: %d answers saved while it was down, %d exams auto_submitted after the restart, one result each",
		exams, exams, exams)
}
