package metrics

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

func families(t *testing.T, reg *prometheus.Registry) map[string]*dto.MetricFamily {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, mf := range mfs {
		out[mf.GetName()] = mf
	}
	return out
}

func labelsOf(m *dto.Metric) map[string]string {
	l := map[string]string{}
	for _, p := range m.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

func TestTemporalHandlerRecordsIntoRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := NewTemporalHandler(reg).WithTags(map[string]string{"namespace": "default", "task-queue": "contest"})
	req := h.WithTags(map[string]string{"operation": "StartWorkflowExecution"})
	req.Counter("temporal_request").Inc(2)
	req.Counter("temporal_request").Inc(1)
	h.Gauge("temporal_num_pollers").Update(8)
	h.Timer("temporal_workflow_task_execution_latency").Record(30 * time.Millisecond)
	// The same name with another tag key: a series of its own, the key becomes a label.
	h.WithTags(map[string]string{"operation": "PollWorkflowTaskQueue", "poller_type": "sticky"}).
		Counter("temporal_request").Inc(5)
	NewTemporalHandler(reg).Counter("temporal_request").Inc(1) // no tags at all
	// A second handler on the same registry shares the collectors.
	NewTemporalHandler(reg).WithTags(map[string]string{"namespace": "default", "task-queue": "contest", "operation": "StartWorkflowExecution"}).
		Counter("temporal_request").Inc(4)

	fams := families(t, reg)
	req2 := fams["temporal_request_total"]
	if req2 == nil {
		t.Fatalf("temporal_request_total missing; have %v", keys(fams))
	}
	got := map[string]float64{}
	for _, m := range req2.GetMetric() {
		l := labelsOf(m)
		if len(l) != 4 {
			t.Errorf("labels %v, want namespace, operation, poller_type, task_queue", l)
		}
		got[l["operation"]+"/"+l["poller_type"]+"/"+l["task_queue"]] = m.GetCounter().GetValue()
	}
	want := map[string]float64{"StartWorkflowExecution//contest": 7, "PollWorkflowTaskQueue/sticky/contest": 5, "//": 1}
	if len(got) != len(want) {
		t.Errorf("temporal_request_total series %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("temporal_request_total{%s} = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	if g := fams["temporal_num_pollers"]; g == nil || g.GetMetric()[0].GetGauge().GetValue() != 8 {
		t.Errorf("temporal_num_pollers = %v", g)
	}
	hist := fams["temporal_workflow_task_execution_latency_seconds"]
	if hist == nil || hist.GetMetric()[0].GetHistogram().GetSampleCount() != 1 ||
		hist.GetMetric()[0].GetHistogram().GetSampleSum() != 0.03 {
		t.Errorf("temporal_workflow_task_execution_latency_seconds = %v", hist)
	}
}

// Every tag set the SDK sends under one name is its own series, whatever keys it has;
// the first one seen fixes nothing.
func TestTemporalHandlerKeepsEveryTagSet(t *testing.T) {
	type sample struct {
		tags  map[string]string
		value int64
	}
	for _, tc := range []struct {
		name    string
		samples []sample
		want    map[string]float64 // series as sorted label=value pairs → value
	}{
		{"same keys, other values", []sample{
			{map[string]string{"operation": "A"}, 1},
			{map[string]string{"operation": "B"}, 2},
		}, map[string]float64{"operation=A": 1, "operation=B": 2}},
		{"other keys", []sample{
			{map[string]string{"operation": "A"}, 1},
			{map[string]string{"poller_type": "sticky"}, 2},
		}, map[string]float64{"operation=A,poller_type=": 1, "operation=,poller_type=sticky": 2}},
		{"a superset of the first keys", []sample{
			{map[string]string{"operation": "A"}, 1},
			{map[string]string{"operation": "A", "poller_type": "sticky"}, 2},
		}, map[string]float64{"operation=A,poller_type=": 1, "operation=A,poller_type=sticky": 2}},
		{"a subset of the first keys", []sample{
			{map[string]string{"operation": "A", "poller_type": "sticky"}, 2},
			{map[string]string{"operation": "A"}, 1},
		}, map[string]float64{"operation=A,poller_type=": 1, "operation=A,poller_type=sticky": 2}},
		{"no tags, then tags", []sample{
			{nil, 3},
			{map[string]string{"task_queue": "q"}, 4},
			{nil, 1},
		}, map[string]float64{"task_queue=": 4, "task_queue=q": 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, kind := range []string{"counter", "gauge", "timer"} {
				reg := prometheus.NewRegistry()
				root := NewTemporalHandler(reg)
				for _, s := range tc.samples {
					h := root.WithTags(s.tags)
					switch kind {
					case "counter":
						h.Counter("temporal_thing").Inc(s.value)
					case "gauge":
						h.Gauge("temporal_thing").Update(float64(s.value))
					default:
						h.Timer("temporal_thing").Record(time.Duration(s.value) * time.Second)
					}
				}
				name := map[string]string{"counter": "temporal_thing_total", "gauge": "temporal_thing", "timer": "temporal_thing_seconds"}[kind]
				fam := families(t, reg)[name]
				if fam == nil {
					t.Fatalf("%s: %s missing", kind, name)
				}
				got := map[string]float64{}
				for _, m := range fam.GetMetric() {
					var pairs []string
					for _, l := range m.GetLabel() { // sorted by name
						pairs = append(pairs, l.GetName()+"="+l.GetValue())
					}
					v := m.GetCounter().GetValue()
					switch kind {
					case "gauge":
						v = m.GetGauge().GetValue()
					case "timer":
						v = m.GetHistogram().GetSampleSum()
					}
					got[strings.Join(pairs, ",")] = v
				}
				want := tc.want
				if kind == "gauge" && tc.name == "no tags, then tags" {
					want = map[string]float64{"task_queue=": 1, "task_queue=q": 4} // a gauge keeps the last value
				}
				if !maps.Equal(got, want) {
					t.Errorf("%s: series %v, want %v", kind, got, want)
				}
			}
		})
	}
}

func TestTemporalHandlerInvalidNames(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := NewTemporalHandler(reg).WithTags(map[string]string{"9-bad key": "x"})
	h.Counter("temporal.odd-name").Inc(1)
	h.Gauge("temporal.odd-name").Update(1) // same sanitized stem, other kind: dropped, no panic
	fams := families(t, reg)
	m := fams["temporal_odd_name_total"]
	if m == nil {
		t.Fatalf("sanitized counter missing; have %v", keys(fams))
	}
	if l := labelsOf(m.GetMetric()[0]); l["tag__bad_key"] != "x" {
		t.Errorf("labels %v", l)
	}
}

func keys(m map[string]*dto.MetricFamily) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func greet(ctx context.Context, name string) (string, error) { return "xin chào " + name, nil }

func greetWorkflow(ctx workflow.Context, name string) (string, error) {
	ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute})
	workflow.GetMetricsHandler(ctx).Counter("contest_greetings").Inc(1)
	var out string
	err := workflow.ExecuteLocalActivity(ctx, greet, name).Get(ctx, &out)
	return out, err
}

// The SDK's own metrics reach the registry with their names when a workflow runs under
// the test suite (which emits the local-activity and workflow-code metrics; the poller and
// request metrics need a real server: integration/tracing_test.go checks those).
func TestTemporalHandlerWithSDK(t *testing.T) {
	reg := prometheus.NewRegistry()
	var s testsuite.WorkflowTestSuite
	s.SetMetricsHandler(NewTemporalHandler(reg))
	env := s.NewTestWorkflowEnvironment()
	// The deadlock detector's default second of wall-clock time is what a busy machine can take.
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	env.RegisterWorkflow(greetWorkflow)
	env.ExecuteWorkflow(greetWorkflow, "Hải Phòng")
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	fams := families(t, reg)
	t.Logf("SDK metrics: %v", keys(fams))
	for _, name := range []string{"temporal_local_activity_total", "temporal_local_activity_execution_latency_seconds", "contest_greetings_total"} {
		if fams[name] == nil {
			t.Errorf("%s missing; have %v", name, keys(fams))
		}
	}
}

// A name an application collector already holds stays its own: the SDK's samples under it
// are dropped and the scrape does not fail.
func TestTemporalHandlerLeavesOtherCollectorsNames(t *testing.T) {
	reg := prometheus.NewRegistry()
	own := prometheus.NewCounter(prometheus.CounterOpts{Name: "contest_greetings_total", Help: "ours"})
	reg.MustRegister(own)
	own.Inc()
	NewTemporalHandler(reg).WithTags(map[string]string{"namespace": "default"}).Counter("contest_greetings").Inc(5)
	fam := families(t, reg)["contest_greetings_total"]
	if fam == nil || len(fam.GetMetric()) != 1 || fam.GetMetric()[0].GetCounter().GetValue() != 1 {
		t.Errorf("contest_greetings_total = %v, want the application's 1 alone", fam)
	}
}

// Scrapes while the SDK records from many goroutines, new tag sets among them (run with
// -race).
func TestTemporalHandlerConcurrentScrapes(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := NewTemporalHandler(reg)
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 200 {
				tagged := h.WithTags(map[string]string{"operation": fmt.Sprint(i % 7), fmt.Sprintf("k%d", g): "v"})
				tagged.Counter("temporal_request").Inc(1)
				tagged.Timer("temporal_request_latency").Record(time.Millisecond)
			}
		}()
	}
	for range 20 {
		families(t, reg)
	}
	for range 4 {
		<-done
	}
	var total float64
	for _, m := range families(t, reg)["temporal_request_total"].GetMetric() {
		total += m.GetCounter().GetValue()
	}
	if total != 800 {
		t.Errorf("temporal_request_total sums to %v, want 800", total)
	}
}
