package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/config"
)

// hashWait is how long a login or registration waits for a hashing slot before the API
// answers 503 with Retry-After (and a retry ticket that keeps its place); hashWaiters per
// worker may wait. A waiter holds a goroutine and its request, no hash memory, and every
// one of them spares a 503 and a retry, so the queue is a second or so of hashing deep.
const (
	hashWait    = 5 * time.Second
	hashWaiters = 16
)

// startHashing sets the pool the API hashes passwords in, as cfg says; stop ends the
// hashing process, if any.
func startHashing(cfg config.HashingConfig) (stop func(), err error) {
	if !cfg.Subprocess {
		auth.SetDefaultPool(auth.NewPool(cfg.Workers, hashWaiters*cfg.Workers, hashWait))
		slog.Info("password hashing in the API process", "workers", cfg.Workers)
		return func() {}, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this binary to run its hashing process: %w", err)
	}
	h := auth.NewSubprocess(exe, []string{"hasher", "--nice", strconv.Itoa(cfg.Nice)}, cfg.Workers, slog.Default().With("component", "hashing"))
	if err := h.Start(); err != nil {
		return nil, fmt.Errorf("start the hashing process (HASH_PROCESS=inline hashes in the API instead): %w", err)
	}
	// The child holds one request beyond each running hash (auth.ServeHashes): twice the
	// slots, the same hash memory.
	auth.SetDefaultPool(auth.NewPool(2*cfg.Workers, hashWaiters*cfg.Workers, hashWait).WithHasher(h))
	slog.Info("password hashing in a low-priority child process", "workers", cfg.Workers, "nice", cfg.Nice)
	return func() { _ = h.Close() }, nil
}

// runHasher is the child `contest serve` hashes in: requests on stdin, answers on stdout,
// at a lower CPU priority; it ends when its parent closes stdin or dies.
func runHasher(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("hasher", flag.ContinueOnError)
	nice := fs.Int("nice", 10, "CPU priority to lower to (0-19)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := auth.LowerPriority(*nice); err != nil {
		slog.Warn("hashing process keeps normal CPU priority", "error", err)
	}
	return auth.ServeHashes(os.Stdin, os.Stdout)
}
