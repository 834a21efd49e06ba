package metrics

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestQueueDepth(t *testing.T) {
	reg := prometheus.NewRegistry()
	err := RegisterQueueDepth(reg, QueueProbe{
		Queue:       "contest-abc",
		AsynqSizes:  func(context.Context) (QueueSizes, error) { return QueueSizes{Pending: 3, Scheduled: 2, Retry: 1}, nil },
		UnsentCount: func(context.Context) (int64, error) { return 7, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	fams := families(t, reg)
	got := map[string]float64{}
	for _, m := range fams["contest_asynq_queue_tasks"].GetMetric() {
		l := labelsOf(m)
		if l["queue"] != "contest-abc" {
			t.Errorf("queue label %q", l["queue"])
		}
		got[l["state"]] = m.GetGauge().GetValue()
	}
	if got["pending"] != 3 || got["scheduled"] != 2 || got["retry"] != 1 {
		t.Errorf("contest_asynq_queue_tasks %v", got)
	}
	if v := fams["contest_notifications_unsent"].GetMetric()[0].GetGauge().GetValue(); v != 7 {
		t.Errorf("contest_notifications_unsent = %v", v)
	}
}

// A source that hangs or fails is reported down within the timeout, and the scrape
// still succeeds with what could be read.
func TestQueueDepthSourceDown(t *testing.T) {
	reg := prometheus.NewRegistry()
	var logged int
	err := RegisterQueueDepth(reg, QueueProbe{
		Queue: "q",
		AsynqSizes: func(ctx context.Context) (QueueSizes, error) {
			<-ctx.Done()
			return QueueSizes{}, ctx.Err()
		},
		UnsentCount: func(context.Context) (int64, error) { return 0, errors.New("database away") },
		Timeout:     50 * time.Millisecond,
		Log:         func(string, ...any) { logged++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	fams := families(t, reg)
	// The sources are cut off at 50 ms; the bound only has to tell that from a scrape that
	// waits on the hung source, with room for a busy machine.
	if time.Since(start) > 10*time.Second {
		t.Errorf("scrape took %v", time.Since(start))
	}
	if fams["contest_asynq_queue_tasks"] != nil || fams["contest_notifications_unsent"] != nil {
		t.Errorf("sizes reported from failed sources")
	}
	for _, m := range fams["contest_queue_depth_up"].GetMetric() {
		if m.GetGauge().GetValue() != 0 {
			t.Errorf("contest_queue_depth_up%v = 1", labelsOf(m))
		}
	}
	if logged != 2 {
		t.Errorf("%d failures logged, want 2", logged)
	}
}
