//go:build faults

package faults

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/redis/go-redis/v9"
)

// redisLogger sends go-redis's own lines ("failed to dial after 5 attempts", many while
// Redis is down) to the log file too.
type redisLogger struct{ w io.Writer }

func (l redisLogger) Printf(_ context.Context, format string, v ...any) {
	fmt.Fprintf(l.w, "redis: "+format+"\n", v...)
}

// TestMain sends the stacks' own logs (thousands of expected "request failed" lines while a
// server is down) to a file, so that the test output shows what the tests observed.
// FAULTS_LOG=- keeps them on stderr.
func TestMain(m *testing.M) {
	if os.Getenv("FAULTS_LOG") != "-" {
		path := os.Getenv("FAULTS_LOG")
		if path == "" {
			path = filepath.Join(os.TempDir(), fmt.Sprintf("contest-faults-%d.log", os.Getpid()))
		}
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "faults: log file:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "faults: application logs in", path)
		slog.SetDefault(slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})))
		redis.SetLogger(redisLogger{f})
		code := m.Run()
		f.Close()
		os.Exit(code)
	}
	os.Exit(m.Run())
}
