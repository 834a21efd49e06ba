package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// DBPoolStats is what the PostgreSQL connection pool reports (pgxpool.Stat), copied so
// that this package does not depend on the driver.
type DBPoolStats struct {
	Acquired, Idle, Constructing, Max int32
	Acquires, EmptyAcquires           int64         // cumulative; empty: had to wait or dial
	AcquireWait                       time.Duration // cumulative time spent acquiring
}

var (
	dbPoolConnsDesc = prometheus.NewDesc("contest_db_pool_connections",
		"PostgreSQL pool connections by state (acquired, idle, constructing).", []string{"state"}, nil)
	dbPoolMaxDesc = prometheus.NewDesc("contest_db_pool_max_connections",
		"The pool's maximum size (DATABASE_MAX_CONNS).", nil, nil)
	dbPoolAcquiresDesc = prometheus.NewDesc("contest_db_pool_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	dbPoolEmptyDesc = prometheus.NewDesc("contest_db_pool_empty_acquires_total",
		"Acquires that found no idle connection and waited for one to be freed or dialled.", nil, nil)
	dbPoolWaitDesc = prometheus.NewDesc("contest_db_pool_acquire_wait_seconds_total",
		"Total time spent acquiring connections; its rate over acquires' is the mean wait.", nil, nil)
)

type dbPoolCollector func() DBPoolStats

// RegisterDBPool adds the pool gauges to reg, read from stats at scrape time (it reads
// counters in memory: no query).
func RegisterDBPool(reg prometheus.Registerer, stats func() DBPoolStats) error {
	return reg.Register(dbPoolCollector(stats))
}

func (c dbPoolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbPoolConnsDesc, dbPoolMaxDesc, dbPoolAcquiresDesc, dbPoolEmptyDesc, dbPoolWaitDesc} {
		ch <- d
	}
}

func (c dbPoolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	ch <- prometheus.MustNewConstMetric(dbPoolConnsDesc, prometheus.GaugeValue, float64(s.Acquired), "acquired")
	ch <- prometheus.MustNewConstMetric(dbPoolConnsDesc, prometheus.GaugeValue, float64(s.Idle), "idle")
	ch <- prometheus.MustNewConstMetric(dbPoolConnsDesc, prometheus.GaugeValue, float64(s.Constructing), "constructing")
	ch <- prometheus.MustNewConstMetric(dbPoolMaxDesc, prometheus.GaugeValue, float64(s.Max))
	ch <- prometheus.MustNewConstMetric(dbPoolAcquiresDesc, prometheus.CounterValue, float64(s.Acquires))
	ch <- prometheus.MustNewConstMetric(dbPoolEmptyDesc, prometheus.CounterValue, float64(s.EmptyAcquires))
	ch <- prometheus.MustNewConstMetric(dbPoolWaitDesc, prometheus.CounterValue, s.AcquireWait.Seconds())
}
