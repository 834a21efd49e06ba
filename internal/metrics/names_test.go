package metrics

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Every application metric carries the contest_ prefix, so that it cannot collide with
// another exporter's on a shared Prometheus. Left as their owners name them: the Go and
// process collectors' (go_*, process_*), the handler's own (promhttp_*) and the Temporal SDK's (temporal_*, see
// temporal.go), which Temporal's own dashboards read.
func TestApplicationMetricsCarryPrefix(t *testing.T) {
	reg := prometheus.NewRegistry()
	if err := RegisterDBPool(reg, func() DBPoolStats { return DBPoolStats{} }); err != nil {
		t.Fatal(err)
	}
	if err := RegisterOverdue(reg, func(context.Context) (Overdue, error) { return Overdue{}, nil }, 0, nil); err != nil {
		t.Fatal(err)
	}
	err := RegisterQueueDepth(reg, QueueProbe{Queue: "q",
		AsynqSizes:  func(context.Context) (QueueSizes, error) { return QueueSizes{}, nil },
		UnsentCount: func(context.Context) (int64, error) { return 0, nil }})
	if err != nil {
		t.Fatal(err)
	}
	AttemptStarted()
	ExamDispatchQueued(0)
	ExamDispatchDropped()
	ExamWorkflowRecovered()
	ForeignActivityRefused()
	requestDuration.WithLabelValues("GET", "/x", "2xx").Observe(0)

	seen := 0
	for _, r := range []*prometheus.Registry{Registry, reg} {
		for name := range families(t, r) {
			if strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") || strings.HasPrefix(name, "promhttp_") {
				continue
			}
			seen++
			if !strings.HasPrefix(name, "contest_") {
				t.Errorf("%s has no contest_ prefix", name)
			}
		}
	}
	if seen < 15 {
		t.Errorf("only %d application metrics gathered: the test no longer sees them all", seen)
	}
}
