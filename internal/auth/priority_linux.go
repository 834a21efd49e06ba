package auth

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// weakestNice is the lowest CPU priority Linux has: a runnable thread at nice 0 gets about
// 68 times the CPU of one at 19.
const weakestNice = 19

// LowerPriority puts every thread of this process at the weakest nice. Linux keeps a nice
// per thread, and threads made later inherit it from the thread that makes them, so doing
// it for all threads early covers the Go runtime's threads to come.
func LowerPriority() error {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return fmt.Errorf("list threads: %w", err)
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, weakestNice); err != nil {
			return fmt.Errorf("lower priority of thread %d: %w", tid, err)
		}
	}
	return nil
}
