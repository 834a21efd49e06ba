package loadtest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, 100 on every Linux architecture Go builds for.
const clockTicks = 100

// Process groups of the stack, by /proc/<pid>/comm.
const (
	GroupContest    = "contest"
	GroupPostgres   = "postgres"
	GroupPostgresDB = "postgres (target db backends)"
	// The cluster deploy/temporal-server.sh creates for Temporal, apart from the app's.
	GroupPostgresTemporal = "postgres (Temporal's cluster)"
	GroupRedis            = "redis-server"
	GroupTemporal         = "temporal"
	GroupSelf             = "loadtest (this process)"
)

var groupOrder = []string{GroupContest, GroupPostgres, GroupPostgresDB, GroupPostgresTemporal, GroupRedis, GroupTemporal, GroupSelf}

type procSample struct {
	cpuTicks uint64 // utime+stime+cutime+cstime: the postmaster's cutime holds exited backends
	hwmKB    uint64 // VmHWM: the process's peak resident set
	rssKB    uint64 // VmRSS now
}

// procSnapshot maps group → pid → sample.
type procSnapshot map[string]map[int]procSample

// procWatcher finds the stack's processes by name and measures them.
type procWatcher struct {
	serverPID   int
	temporalPID int
	dbName      string // backends serving this database form GroupPostgresDB
	self        int

	mu       sync.Mutex
	peakRSS  map[string]uint64 // the largest sum of VmRSS seen over a group's processes
	samplers sync.WaitGroup
}

func newProcWatcher(serverPID, temporalPID int, dbName string) *procWatcher {
	return &procWatcher{serverPID: serverPID, temporalPID: temporalPID, dbName: dbName, self: os.Getpid(), peakRSS: map[string]uint64{}}
}

func (w *procWatcher) groupsOf(pid int, comm string) []string {
	switch {
	case pid == w.self:
		return []string{GroupSelf}
	case comm == "contest":
		// The API's hashing process is its child and part of what the API costs.
		if w.serverPID == 0 || pid == w.serverPID || parentOf(pid) == w.serverPID {
			return []string{GroupContest}
		}
	case comm == "postgres":
		groups := []string{GroupPostgres}
		// A backend's title is "postgres: 15/main: user database host(port) state"; the
		// postmaster's command line names the cluster's directory, …/15/temporal.
		cmd, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		if err != nil {
			return groups
		}
		if w.dbName != "" && bytes.Contains(cmd, []byte(" "+w.dbName+" ")) {
			groups = append(groups, GroupPostgresDB)
		}
		if bytes.Contains(cmd, []byte("/temporal")) {
			groups = append(groups, GroupPostgresTemporal)
		}
		return groups
	case comm == "redis-server":
		return []string{GroupRedis}
	// The dev server runs as "temporal", the server of deploy/temporal-server.sh as
	// "temporal-server-v1.32.1" (comm keeps its first 15 bytes).
	case comm == "temporal" || strings.HasPrefix(comm, "temporal-server"):
		if w.temporalPID == 0 || pid == w.temporalPID {
			return []string{GroupTemporal}
		}
	}
	return nil
}

func (w *procWatcher) snapshot() procSnapshot {
	snap := procSnapshot{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return snap
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil {
			continue
		}
		groups := w.groupsOf(pid, strings.TrimSpace(string(comm)))
		if len(groups) == 0 {
			continue
		}
		s, err := readProc(pid)
		if err != nil {
			continue // exited meanwhile
		}
		for _, g := range groups {
			if snap[g] == nil {
				snap[g] = map[int]procSample{}
			}
			snap[g][pid] = s
		}
	}
	return snap
}

func readProc(pid int) (procSample, error) {
	var s procSample
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return s, err
	}
	ticks, err := parseStatTicks(string(stat))
	if err != nil {
		return s, err
	}
	s.cpuTicks = ticks
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return s, err
	}
	s.hwmKB, s.rssKB = parseStatusKB(string(status), "VmHWM:"), parseStatusKB(string(status), "VmRSS:")
	return s, nil
}

// parseStatTicks sums utime, stime, cutime and cstime (fields 14–17 of /proc/<pid>/stat).
// parentOf is pid's parent process id, 0 when it cannot be read.
func parentOf(pid int) int {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(stat[i+1:])) // f[0] is field 3 (state), f[1] field 4 (ppid)
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

func parseStatTicks(stat string) (uint64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat")
	}
	f := strings.Fields(stat[i+1:]) // f[0] is field 3 (state)
	if len(f) < 15 {
		return 0, fmt.Errorf("short stat")
	}
	var sum uint64
	for _, k := range []int{11, 12, 13, 14} {
		v, err := strconv.ParseInt(f[k], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stat field %d: %w", k+3, err)
		}
		if v > 0 {
			sum += uint64(v)
		}
	}
	return sum, nil
}

func parseStatusKB(status, key string) uint64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				v, _ := strconv.ParseUint(f[0], 10, 64)
				return v
			}
		}
	}
	return 0
}

// sample records the summed RSS of each group, for its peak.
func (w *procWatcher) sample() {
	snap := w.snapshot()
	w.mu.Lock()
	defer w.mu.Unlock()
	for g, procs := range snap {
		var sum uint64
		for _, p := range procs {
			sum += p.rssKB
		}
		w.peakRSS[g] = max(w.peakRSS[g], sum)
	}
}

// sampleEvery samples until stop is closed.
func (w *procWatcher) sampleEvery(d time.Duration, stop <-chan struct{}) {
	w.samplers.Add(1)
	go func() {
		defer w.samplers.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				w.sample()
			}
		}
	}()
}

// ProcessStats is what one group of processes spent during the run.
type ProcessStats struct {
	Group      string  `json:"group"`
	Processes  int     `json:"processes"`   // at the end of the run
	CPUSeconds float64 `json:"cpu_seconds"` // end minus start, exited children included via their parent
	MaxHWMMB   float64 `json:"max_vmhwm_mb"`
	PeakSumMB  float64 `json:"peak_summed_rss_mb"`
}

func (w *procWatcher) delta(start, end procSnapshot) []ProcessStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []ProcessStats
	for _, g := range groupOrder {
		ps := ProcessStats{Group: g, Processes: len(end[g])}
		var ticks int64
		for pid, e := range end[g] {
			ticks += int64(e.cpuTicks)
			if s, ok := start[g][pid]; ok {
				ticks -= int64(s.cpuTicks)
			}
			ps.MaxHWMMB = max(ps.MaxHWMMB, float64(e.hwmKB)/1024)
		}
		if g == GroupPostgres {
			// A backend that exited during the run: the postmaster's cutime now holds its
			// whole life, of which only what it spent after the start belongs to the run.
			// (For the other groups an exited process's time is simply lost.)
			for pid, s := range start[g] {
				if _, still := end[g][pid]; !still {
					ticks -= int64(s.cpuTicks)
				}
			}
		}
		ps.CPUSeconds = float64(max(ticks, 0)) / clockTicks
		ps.PeakSumMB = float64(w.peakRSS[g]) / 1024
		if ps.Processes == 0 && len(start[g]) == 0 {
			continue
		}
		out = append(out, ps)
	}
	return out
}
