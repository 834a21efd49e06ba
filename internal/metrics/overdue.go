package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Overdue is what the database says about automatic closes not yet done: attempts still
// in progress after their deadline, and how far past it the oldest one is. An exam's
// workflow closes it at the deadline, so on a healthy system both stay near zero; the
// oldest's lateness is the auto-close lateness as it happens, measured in the system of
// record rather than inferred from Temporal's timers.
type Overdue struct {
	Open          int64
	OldestSeconds float64 // 0 when none is overdue
}

var (
	overdueOpenDesc = prometheus.NewDesc("contest_attempts_overdue_open",
		"Attempts still in progress after their deadline (read from PostgreSQL at scrape time).", nil, nil)
	overdueOldestDesc = prometheus.NewDesc("contest_attempts_overdue_oldest_seconds",
		"How long past its deadline the most overdue still-open attempt is: the auto-close lateness now.", nil, nil)
	overdueUpDesc = prometheus.NewDesc("contest_attempts_overdue_up",
		"1 when the last scrape could read the overdue attempts from PostgreSQL, else 0.", nil, nil)
)

type overdueCollector struct {
	read    func(ctx context.Context) (Overdue, error)
	timeout time.Duration
	log     func(msg string, args ...any)
}

// RegisterOverdue adds the overdue gauges to reg; read gets a context of timeout (2 s when
// zero) per scrape, so that a slow database delays a scrape and never blocks it.
func RegisterOverdue(reg prometheus.Registerer, read func(ctx context.Context) (Overdue, error), timeout time.Duration, log func(msg string, args ...any)) error {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	return reg.Register(overdueCollector{read: read, timeout: timeout, log: log})
}

func (c overdueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- overdueOpenDesc
	ch <- overdueOldestDesc
	ch <- overdueUpDesc
}

func (c overdueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	o, err := c.read(ctx)
	ch <- prometheus.MustNewConstMetric(overdueUpDesc, prometheus.GaugeValue, up(err))
	if err != nil {
		if c.log != nil {
			c.log("read overdue attempts", "error", err)
		}
		return
	}
	ch <- prometheus.MustNewConstMetric(overdueOpenDesc, prometheus.GaugeValue, float64(o.Open))
	ch <- prometheus.MustNewConstMetric(overdueOldestDesc, prometheus.GaugeValue, o.OldestSeconds)
}
