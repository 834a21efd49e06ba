package loadtest

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Temporal's Prometheus endpoint (the dev server listens on a random port; deploy/bench.sh
// finds it) tells where the time goes inside the orchestrator. The harness reads it
// before and after a run and reports the difference of a few histograms.

// metricKey is a histogram series reduced to the labels the report groups by.
type metricKey struct {
	Name, Operation, TaskType, Partition string
}

type histo struct{ sum, count float64 }

type metricsSnapshot map[metricKey]histo

// TemporalFigure is one line of the Temporal table: a histogram's count and mean over the run.
type TemporalFigure struct {
	What   string  `json:"what"`
	Count  float64 `json:"count"`
	MeanMS float64 `json:"mean_ms"`
	SumS   float64 `json:"sum_s"`
}

func scrapeMetrics(ctx context.Context, url, taskQueue string) (metricsSnapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return parseMetrics(resp.Body, taskQueue)
}

// interesting lists the histograms kept; schedule-to-start only for the run's task queue.
var interesting = map[string]bool{
	"service_latency":                true,
	"persistence_latency":            true,
	"task_schedule_to_start_latency": true,
	"task_latency_queue":             true,
}

func parseMetrics(r io.Reader, taskQueue string) (metricsSnapshot, error) {
	// Temporal's metrics replace '-' in label values with '_'.
	tq := strings.ReplaceAll(taskQueue, "-", "_")
	snap := metricsSnapshot{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		brace := strings.IndexByte(line, '{')
		end := strings.LastIndexByte(line, '}')
		if brace < 0 || end < brace {
			continue
		}
		name := line[:brace]
		var isSum bool
		switch {
		case strings.HasSuffix(name, "_sum"):
			name, isSum = strings.TrimSuffix(name, "_sum"), true
		case strings.HasSuffix(name, "_count"):
			name = strings.TrimSuffix(name, "_count")
		default:
			continue
		}
		if !interesting[name] {
			continue
		}
		labels := parseLabels(line[brace+1 : end])
		if name == "task_schedule_to_start_latency" && labels["taskqueue"] != tq {
			continue
		}
		if name == "service_latency" && labels["service_name"] != "frontend" {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(line[end+1:]), 64)
		if err != nil {
			continue
		}
		k := metricKey{Name: name, Operation: labels["operation"], TaskType: labels["task_type"], Partition: labels["partition"]}
		h := snap[k]
		if isSum {
			h.sum += v
		} else {
			h.count += v
		}
		snap[k] = h
	}
	return snap, sc.Err()
}

func parseLabels(s string) map[string]string {
	out := map[string]string{}
	for s != "" {
		eq := strings.IndexByte(s, '=')
		if eq < 0 || eq+1 >= len(s) || s[eq+1] != '"' {
			break
		}
		key := strings.TrimLeft(s[:eq], ", ")
		rest := s[eq+2:]
		q := strings.IndexByte(rest, '"')
		if q < 0 {
			break
		}
		out[key] = rest[:q]
		s = rest[q+1:]
	}
	return out
}

// temporalFigures turns the difference of two snapshots into the report's lines: the
// frontend calls the API and the worker make, the schedule-to-start latency of the run's
// task queue, how late user timers were processed, and how busy the persistence layer was.
func temporalFigures(before, after metricsSnapshot) []TemporalFigure {
	diff := func(k metricKey) histo {
		a, b := after[k], before[k]
		return histo{sum: a.sum - b.sum, count: a.count - b.count}
	}
	var out []TemporalFigure
	add := func(what string, h histo) {
		if h.count <= 0 {
			return
		}
		out = append(out, TemporalFigure{What: what, Count: h.count, MeanMS: 1000 * h.sum / h.count, SumS: h.sum})
	}
	for _, op := range []string{"StartWorkflowExecution", "SignalWithStartWorkflowExecution", "SignalWorkflowExecution",
		"UpdateWorkflowExecution", "RespondWorkflowTaskCompleted", "RespondActivityTaskCompleted"} {
		add("frontend "+op, diff(metricKey{Name: "service_latency", Operation: op}))
	}
	var keys []metricKey
	for k := range after {
		if k.Name == "task_schedule_to_start_latency" {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b metricKey) int { return strings.Compare(a.TaskType+a.Partition, b.TaskType+b.Partition) })
	for _, k := range keys {
		add(fmt.Sprintf("schedule-to-start, %s task, %s partition", strings.ToLower(k.TaskType), strings.Trim(k.Partition, "_")), diff(k))
	}
	// Timer tasks carry their type both as operation and as task_type.
	timerTask := func(t string) metricKey { return metricKey{Name: "task_latency_queue", Operation: t, TaskType: t} }
	add("history timer queue: user timer fired → processed", diff(timerTask("TimerActiveTaskUserTimer")))
	// An exam's start delay is a workflow backoff timer: this is how late deadlines fire.
	add("history timer queue: start delay (deadline) fired → processed", diff(timerTask("TimerActiveTaskWorkflowBackoffTimer")))
	var (
		persist histo
		byOp    = map[string]histo{}
	)
	for k := range after {
		if k.Name == "persistence_latency" {
			d := diff(k)
			persist.sum += d.sum
			persist.count += d.count
			op := byOp[k.Operation]
			op.sum += d.sum
			op.count += d.count
			byOp[k.Operation] = op
		}
	}
	add("persistence calls, all operations (sum > run time means calls queue for the store)", persist)
	ops := slices.Collect(maps.Keys(byOp))
	slices.SortFunc(ops, func(a, b string) int { return cmp.Or(cmp.Compare(byOp[b].sum, byOp[a].sum), strings.Compare(a, b)) })
	for _, op := range ops[:min(len(ops), persistenceOpsShown)] {
		add("  persistence "+op, byOp[op])
	}
	return out
}

// persistenceOpsShown is how many persistence operations the report breaks down, the
// costliest first.
const persistenceOpsShown = 8
