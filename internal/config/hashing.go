package config

import (
	"fmt"
	"os"
	"runtime"
)

// HashingConfig says where password hashes run: HASH_PROCESS=subprocess (the default) in a
// child process at the weakest CPU priority, or inline in the API's own threads;
// HASH_WORKERS bounds how many run at once (every core in a subprocess, one fewer inline,
// where hashes would otherwise take the cores the quiz needs).
//
// HASH_NICE (default 10) is the child's nice: at 10 a thread at 0 gets about nine times its
// CPU when both want it, so answer saves go first, yet a machine kept busy by the quiz still
// leaves logins a tenth; at 19 a busy machine starved logins (0.6 per second while other
// work ran on the 2-core bench machine).
type HashingConfig struct {
	Subprocess bool
	Workers    int
	Nice       int
}

func hashingFromEnv() (HashingConfig, error) {
	var c HashingConfig
	switch v := os.Getenv("HASH_PROCESS"); v {
	case "", "subprocess":
		c.Subprocess = true
	case "inline":
	default:
		return c, fmt.Errorf("HASH_PROCESS=%q: want subprocess or inline", v)
	}
	fallback := runtime.GOMAXPROCS(0) // the cores this process may use: a container's CPU limit, not the node's cores
	if !c.Subprocess {
		fallback = max(1, fallback-1)
	}
	n, err := envInt("HASH_WORKERS", fallback)
	if err != nil {
		return c, err
	}
	if n < 1 {
		return c, fmt.Errorf("HASH_WORKERS=%d: want at least 1", n)
	}
	c.Workers = n
	if c.Nice, err = envInt("HASH_NICE", 10); err != nil {
		return c, err
	}
	if c.Nice < 0 || c.Nice > 19 {
		return c, fmt.Errorf("HASH_NICE=%d: want 0 to 19", c.Nice)
	}
	return c, nil
}
