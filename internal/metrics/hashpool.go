package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HashPoolStats is what the password-hashing pool reports (auth.PoolStats), copied so that
// this package does not depend on auth.
type HashPoolStats struct {
	Workers, InFlight, Waiting int64
	Rejected, Hashed           int64         // cumulative
	Busy                       time.Duration // cumulative slot time spent hashing
}

var (
	hashPoolWorkersDesc = prometheus.NewDesc("contest_password_hash_workers",
		"Slots of the password-hashing pool (HASH_WORKERS): at most this many argon2id hashes run at once.", nil, nil)
	hashPoolInFlightDesc = prometheus.NewDesc("contest_password_hash_in_flight",
		"Password hashes running now.", nil, nil)
	hashPoolWaitingDesc = prometheus.NewDesc("contest_password_hash_waiting",
		"Logins and registrations queued for a hashing slot.", nil, nil)
	hashPoolRejectedDesc = prometheus.NewDesc("contest_password_hash_refused_total",
		"Logins and registrations answered 503 because the hashing pool was full (they retry after Retry-After).", nil, nil)
	hashPoolHashedDesc = prometheus.NewDesc("contest_password_hashes_total",
		"Password hashes and checks computed.", nil, nil)
	hashPoolBusyDesc = prometheus.NewDesc("contest_password_hash_busy_seconds_total",
		"Slot time spent hashing, summed over the slots; its rate divided by the workers is the pool's utilization.", nil, nil)
)

type hashPoolCollector func() HashPoolStats

// RegisterHashPool adds the hashing pool's gauges to reg, read from stats at scrape time.
func RegisterHashPool(reg prometheus.Registerer, stats func() HashPoolStats) error {
	return reg.Register(hashPoolCollector(stats))
}

func (c hashPoolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{hashPoolWorkersDesc, hashPoolInFlightDesc, hashPoolWaitingDesc,
		hashPoolRejectedDesc, hashPoolHashedDesc, hashPoolBusyDesc} {
		ch <- d
	}
}

func (c hashPoolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	ch <- prometheus.MustNewConstMetric(hashPoolWorkersDesc, prometheus.GaugeValue, float64(s.Workers))
	ch <- prometheus.MustNewConstMetric(hashPoolInFlightDesc, prometheus.GaugeValue, float64(s.InFlight))
	ch <- prometheus.MustNewConstMetric(hashPoolWaitingDesc, prometheus.GaugeValue, float64(s.Waiting))
	ch <- prometheus.MustNewConstMetric(hashPoolRejectedDesc, prometheus.CounterValue, float64(s.Rejected))
	ch <- prometheus.MustNewConstMetric(hashPoolHashedDesc, prometheus.CounterValue, float64(s.Hashed))
	ch <- prometheus.MustNewConstMetric(hashPoolBusyDesc, prometheus.CounterValue, s.Busy.Seconds())
}
