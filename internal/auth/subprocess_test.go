package auth

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The test binary doubles as the hashing child: run with this variable set, it serves
// hashes as `contest hasher` does.
const childEnv = "AUTH_TEST_HASHING_CHILD"

const testNice = 7

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := LowerPriority(testNice); err != nil {
			os.Exit(3)
		}
		if err := ServeHashes(os.Stdin, os.Stdout); err != nil {
			os.Exit(4)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func testSubprocess(t *testing.T) *Subprocess {
	t.Helper()
	t.Setenv(childEnv, "1")
	s := NewSubprocess(os.Args[0], nil, 1, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSubprocessHashesAndChecks(t *testing.T) {
	s := testSubprocess(t)
	hash, err := s.Hash("mat-khau-dai")
	if err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("hash %q, %v", hash, err)
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{{"mat-khau-dai", true}, {"mat-khau-sai", false}} {
		if ok, err := s.Check(tc.password, hash); ok != tc.want || err != nil {
			t.Fatalf("check %q: %v %v, want %v", tc.password, ok, err, tc.want)
		}
	}
	// Hashes made in the child check in process and the other way round.
	if ok, _ := CheckPassword("mat-khau-dai", hash); !ok {
		t.Fatal("a child's hash does not check in process")
	}
	if _, err := s.Check("x", "$argon2id$hỏng"); !errors.Is(err, ErrMalformedHash) {
		t.Fatalf("malformed hash: %v", err)
	}
}

func TestSubprocessRunsAtLowerPriority(t *testing.T) {
	s := testSubprocess(t)
	if _, err := s.Hash("mat-khau-dai"); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	pid := s.child.cmd.Process.Pid
	s.mu.Unlock()
	tasks, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/task")
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	for _, task := range tasks {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + task.Name() + "/stat")
		if err != nil {
			continue // the thread ended meanwhile
		}
		// Field 19 is the nice value; the command name before it is in parentheses.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		if nice := fields[16]; nice != strconv.Itoa(testNice) {
			t.Fatalf("thread %s of the child runs at nice %s, want %d", task.Name(), nice, testNice)
		}
	}
}

func TestSubprocessRestartsAfterItsChildDies(t *testing.T) {
	s := testSubprocess(t)
	s.mu.Lock()
	first := s.child
	s.mu.Unlock()
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Calls made while the death is noticed fail as busy (the client retries); a later one
	// gets a new child.
	var hash string
	var err error
	for range 50 {
		if hash, err = s.Hash("mat-khau-dai"); err == nil {
			break
		}
		if !errors.Is(err, ErrBusy) {
			t.Fatalf("call to a dead child: %v, want ErrBusy", err)
		}
	}
	if err != nil || hash == "" {
		t.Fatalf("no new child: %v", err)
	}
	s.mu.Lock()
	again := s.child
	s.mu.Unlock()
	if again == first {
		t.Fatal("the dead child was reused")
	}
}
