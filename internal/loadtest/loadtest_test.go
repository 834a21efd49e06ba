package loadtest

import (
	"strings"
	"testing"
	"time"
)

func TestCheckLoopbackURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.3.4.5:80/", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://10.0.0.1:8080", false},
		{"http://example.org", false},
		{"http://0.0.0.0:8080", false},
		{"http://[::ffff:8.8.8.8]:80", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
	} {
		if err := CheckLoopbackURL(tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckLoopbackURL(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestCheckLocalDatabase(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"postgres://u:p@127.0.0.1:5432/db", true},
		{"postgres://u:p@localhost/db", true},
		{"host=/var/run/postgresql dbname=db", true},
		{"postgres://u:p@db.example.org/db", false},
		{"postgres://u:p@127.0.0.1,10.1.1.1/db", false},
	} {
		if err := CheckLocalDatabase(tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckLocalDatabase(%q) = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestPercentileNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	d := Summarize(ds)
	if d.P50 != 50 || d.P95 != 95 || d.P99 != 99 || d.Max != 100 || d.Min != 1 || d.Count != 100 {
		t.Fatalf("got %+v", d)
	}
	if Percentile(nil, 99) != 0 {
		t.Fatal("empty")
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Fatalf("single: %v", got)
	}
}

func TestParseStatTicks(t *testing.T) {
	// A comm with spaces and parentheses must not shift the fields.
	stat := "1234 (contest (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 12 0 100 1000 200"
	got, err := parseStatTicks(stat)
	if err != nil {
		t.Fatal(err)
	}
	if got != 250+50+7+3 {
		t.Fatalf("ticks = %d, want 310", got)
	}
	if _, err := parseStatTicks("garbage"); err == nil {
		t.Fatal("malformed stat accepted")
	}
	if kb := parseStatusKB("Name:\tpostgres\nVmHWM:\t  14336 kB\nVmRSS:\t 1024 kB\n", "VmHWM:"); kb != 14336 {
		t.Fatalf("VmHWM = %d", kb)
	}
}

func TestTemporalFigures(t *testing.T) {
	before := `# HELP x
service_latency_sum{operation="StartWorkflowExecution",service_name="frontend"} 1.0
service_latency_count{operation="StartWorkflowExecution",service_name="frontend"} 10
task_schedule_to_start_latency_sum{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="bench_a"} 0
task_schedule_to_start_latency_count{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="bench_a"} 0
`
	after := `service_latency_sum{operation="StartWorkflowExecution",service_name="frontend"} 3.0
service_latency_count{operation="StartWorkflowExecution",service_name="frontend"} 20
service_latency_sum{operation="StartWorkflowExecution",service_name="history"} 99
service_latency_count{operation="StartWorkflowExecution",service_name="history"} 99
task_schedule_to_start_latency_sum{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="bench_a"} 0.5
task_schedule_to_start_latency_count{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="bench_a"} 5
task_schedule_to_start_latency_sum{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="other"} 50
task_schedule_to_start_latency_count{operation="RecordWorkflowTaskStarted",partition="__sticky__",task_type="Workflow",taskqueue="other"} 5
persistence_latency_sum{operation="UpdateWorkflowExecution",service_name="history"} 2
persistence_latency_count{operation="UpdateWorkflowExecution",service_name="history"} 4
task_latency_queue_sum{namespace="default",operation="TimerActiveTaskWorkflowBackoffTimer",queue_reader_id="0",service_name="history",task_priority="high",task_type="TimerActiveTaskWorkflowBackoffTimer"} 0.3
task_latency_queue_count{namespace="default",operation="TimerActiveTaskWorkflowBackoffTimer",queue_reader_id="0",service_name="history",task_priority="high",task_type="TimerActiveTaskWorkflowBackoffTimer"} 2
task_latency_queue_sum{namespace="default",operation="TimerActiveTaskWorkflowBackoffTimer",queue_reader_id="0",service_name="history",task_priority="low",task_type="TimerActiveTaskWorkflowBackoffTimer"} 0.1
task_latency_queue_count{namespace="default",operation="TimerActiveTaskWorkflowBackoffTimer",queue_reader_id="0",service_name="history",task_priority="low",task_type="TimerActiveTaskWorkflowBackoffTimer"} 2
`
	b, err := parseMetrics(strings.NewReader(before), "bench-a")
	if err != nil {
		t.Fatal(err)
	}
	a, err := parseMetrics(strings.NewReader(after), "bench-a")
	if err != nil {
		t.Fatal(err)
	}
	figs := temporalFigures(b, a)
	want := map[string]float64{ // mean ms
		"frontend StartWorkflowExecution":                               200,
		"schedule-to-start, workflow task, sticky partition":            100,
		"history timer queue: start delay (deadline) fired → processed": 100,
	}
	found := 0
	for _, f := range figs {
		if m, ok := want[f.What]; ok {
			found++
			if f.MeanMS != m {
				t.Errorf("%s: mean %v ms, want %v", f.What, f.MeanMS, m)
			}
		}
		if strings.HasPrefix(f.What, "persistence") && (f.Count != 4 || f.MeanMS != 500) {
			t.Errorf("persistence: %+v", f)
		}
		if f.What == "  persistence UpdateWorkflowExecution" {
			found++
			if f.Count != 4 || f.MeanMS != 500 {
				t.Errorf("persistence by operation: %+v", f)
			}
		}
	}
	if found != len(want)+1 {
		t.Fatalf("figures %+v", figs)
	}
}
