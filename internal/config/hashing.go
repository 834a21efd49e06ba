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
type HashingConfig struct {
	Subprocess bool
	Workers    int
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
	fallback := runtime.NumCPU()
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
	return c, nil
}
