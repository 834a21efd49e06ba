package metrics

import "github.com/prometheus/client_golang/prometheus"

// SessionCacheStats is what the API's session cache reports (store.SessionCacheStats),
// copied so that this package does not depend on the store.
type SessionCacheStats struct {
	Live         bool
	Entries      int
	Hits, Misses uint64 // cumulative
}

var (
	sessionCacheLiveDesc = prometheus.NewDesc("contest_session_cache_live",
		"1 while PostgreSQL's notifications of session changes arrive and cached sessions are served; 0 while every request reads its session.", nil, nil)
	sessionCacheEntriesDesc = prometheus.NewDesc("contest_session_cache_entries",
		"Sessions held by the API process's cache.", nil, nil)
	sessionCacheLookupsDesc = prometheus.NewDesc("contest_session_cache_lookups_total",
		"Session lookups by outcome: hit (served from memory) or miss (read from PostgreSQL).", []string{"outcome"}, nil)
)

type sessionCacheCollector func() SessionCacheStats

// RegisterSessionCache adds the session cache's gauges to reg, read at scrape time.
func RegisterSessionCache(reg prometheus.Registerer, stats func() SessionCacheStats) error {
	return reg.Register(sessionCacheCollector(stats))
}

func (c sessionCacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- sessionCacheLiveDesc
	ch <- sessionCacheEntriesDesc
	ch <- sessionCacheLookupsDesc
}

func (c sessionCacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	live := 0.0
	if s.Live {
		live = 1
	}
	ch <- prometheus.MustNewConstMetric(sessionCacheLiveDesc, prometheus.GaugeValue, live)
	ch <- prometheus.MustNewConstMetric(sessionCacheEntriesDesc, prometheus.GaugeValue, float64(s.Entries))
	ch <- prometheus.MustNewConstMetric(sessionCacheLookupsDesc, prometheus.CounterValue, float64(s.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(sessionCacheLookupsDesc, prometheus.CounterValue, float64(s.Misses), "miss")
}
