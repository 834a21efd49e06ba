package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueSizes is what the asynq queue holds, by task state.
type QueueSizes struct {
	Pending, Scheduled, Retry int
}

// QueueProbe reads backlog sizes when Prometheus scrapes; each call gets a context with
// a short deadline so a slow Redis or database delays a scrape, never blocks it.
type QueueProbe struct {
	Queue       string                                        // asynq queue name, the label
	AsynqSizes  func(ctx context.Context) (QueueSizes, error) // nil skips asynq
	UnsentCount func(ctx context.Context) (int64, error)      // nil skips the outbox
	Timeout     time.Duration                                 // per scrape; 2 s when zero
	Log         func(msg string, args ...any)                 // optional, for failed reads
}

var (
	asynqTasksDesc = prometheus.NewDesc("contest_asynq_queue_tasks",
		"Tasks in this installation's asynq queue by state (pending, scheduled, retry), read at scrape time.",
		[]string{"queue", "state"}, nil)
	unsentDesc = prometheus.NewDesc("contest_notifications_unsent",
		"Notifications in the outbox not yet sent (sent_at IS NULL), read at scrape time.", nil, nil)
	probeUpDesc = prometheus.NewDesc("contest_queue_depth_up",
		"1 when the last scrape could read the backlog source (asynq or outbox), else 0.",
		[]string{"source"}, nil)
)

type queueCollector struct{ p QueueProbe }

// RegisterQueueDepth adds the backlog gauges to reg. A process registers one probe.
func RegisterQueueDepth(reg prometheus.Registerer, p QueueProbe) error {
	if p.Timeout <= 0 {
		p.Timeout = 2 * time.Second
	}
	return reg.Register(queueCollector{p})
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- asynqTasksDesc
	ch <- unsentDesc
	ch <- probeUpDesc
}

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.p.Timeout)
	defer cancel()
	if c.p.AsynqSizes != nil {
		sizes, err := c.p.AsynqSizes(ctx)
		ch <- prometheus.MustNewConstMetric(probeUpDesc, prometheus.GaugeValue, up(err), "asynq")
		if err == nil {
			for state, n := range map[string]int{"pending": sizes.Pending, "scheduled": sizes.Scheduled, "retry": sizes.Retry} {
				ch <- prometheus.MustNewConstMetric(asynqTasksDesc, prometheus.GaugeValue, float64(n), c.p.Queue, state)
			}
		} else {
			c.log("read asynq queue sizes", "queue", c.p.Queue, "error", err)
		}
	}
	if c.p.UnsentCount != nil {
		n, err := c.p.UnsentCount(ctx)
		ch <- prometheus.MustNewConstMetric(probeUpDesc, prometheus.GaugeValue, up(err), "outbox")
		if err == nil {
			ch <- prometheus.MustNewConstMetric(unsentDesc, prometheus.GaugeValue, float64(n))
		} else {
			c.log("count unsent notifications", "error", err)
		}
	}
}

func (c queueCollector) log(msg string, args ...any) {
	if c.p.Log != nil {
		c.p.Log(msg, args...)
	}
}

func up(err error) float64 {
	if err != nil {
		return 0
	}
	return 1
}
