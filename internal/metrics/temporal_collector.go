package metrics

import (
	"maps"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

type metricKind int

const (
	kindCounter metricKind = iota
	kindGauge
	kindHistogram
)

// temporalCollector holds the SDK's metrics of one registry: per name, one series per
// tag set. Prometheus wants one label set per name, so at scrape time every series of a
// name is exposed with the union of the keys seen for it, a key it lacks being "".
// It is an unchecked collector (Describe sends nothing) because that union grows.
type temporalCollector struct {
	reg    prometheus.Registerer
	mu     sync.Mutex
	byName map[string]*temporalFamily // nil: the name belongs to another collector
}

type temporalFamily struct {
	name, help string
	kind       metricKind
	keys       map[string]bool            // the union of the label names of its series
	series     map[string]*temporalSeries // by seriesKey
	order      []string                   // series keys in creation order: a stable Collect
}

type temporalSeries struct {
	tags   map[string]string
	metric prometheus.Metric // a Counter, Gauge or Histogram of its own, not registered
}

func newTemporalCollector(reg prometheus.Registerer) *temporalCollector {
	return &temporalCollector{reg: reg, byName: map[string]*temporalFamily{}}
}

// series returns the series of name for this tag set, creating it on first use; nil when
// name is another kind's or belongs to a collector outside this one.
func (c *temporalCollector) series(name string, kind metricKind, key string, tags map[string]string) *temporalSeries {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.byName[name]
	if !ok {
		f = c.newFamily(name, kind)
		c.byName[name] = f
	}
	if f == nil || f.kind != kind {
		return nil
	}
	if s, ok := f.series[key]; ok {
		return s
	}
	s := &temporalSeries{tags: tags, metric: newMetric(name, f.help, kind)}
	f.series[key] = s
	f.order = append(f.order, key)
	for k := range tags {
		f.keys[k] = true
	}
	return s
}

// newFamily reserves name in the registry with a descriptor that emits nothing, so that
// an application collector already holding the name keeps it (the SDK's samples are then
// dropped, nil) and one registered later fails loudly instead of clashing at scrape time.
func (c *temporalCollector) newFamily(name string, kind metricKind) *temporalFamily {
	help := "Temporal SDK metric " + name + "."
	if err := c.reg.Register(nameReservation{prometheus.NewDesc(name, help, nil, nil)}); err != nil {
		return nil
	}
	return &temporalFamily{name: name, help: help, kind: kind, keys: map[string]bool{}, series: map[string]*temporalSeries{}}
}

func newMetric(name, help string, kind metricKind) prometheus.Metric {
	switch kind {
	case kindCounter:
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	case kindGauge:
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	}
	return prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: temporalBuckets})
}

func (c *temporalCollector) Describe(chan<- *prometheus.Desc) {}

// Collect copies what it needs under the lock and writes the samples after releasing
// it, so that a scrape holds up the SDK's recording only for that copy.
func (c *temporalCollector) Collect(ch chan<- prometheus.Metric) {
	type snapshot struct {
		desc   *prometheus.Desc
		labels []string
		kind   metricKind
		series []*temporalSeries
	}
	c.mu.Lock()
	snaps := make([]snapshot, 0, len(c.byName))
	for _, f := range c.byName {
		if f == nil {
			continue
		}
		labels := slices.Sorted(maps.Keys(f.keys))
		sn := snapshot{desc: prometheus.NewDesc(f.name, f.help, labels, nil), labels: labels, kind: f.kind}
		for _, key := range f.order {
			sn.series = append(sn.series, f.series[key])
		}
		snaps = append(snaps, sn)
	}
	c.mu.Unlock()
	for _, sn := range snaps {
		for _, s := range sn.series {
			if m, ok := constMetric(sn.desc, sn.kind, sn.labels, s); ok {
				ch <- m
			}
		}
	}
}

// constMetric is one series' current value under its family's labels, a label the series
// lacks being "". A tag value Prometheus refuses (not UTF-8) costs that series, never the
// scrape.
func constMetric(desc *prometheus.Desc, kind metricKind, labels []string, s *temporalSeries) (prometheus.Metric, bool) {
	values := make([]string, len(labels))
	for i, l := range labels {
		values[i] = s.tags[l]
	}
	var m dto.Metric
	if err := s.metric.Write(&m); err != nil {
		return nil, false
	}
	var out prometheus.Metric
	var err error
	switch kind {
	case kindCounter:
		out, err = prometheus.NewConstMetric(desc, prometheus.CounterValue, m.GetCounter().GetValue(), values...)
	case kindGauge:
		out, err = prometheus.NewConstMetric(desc, prometheus.GaugeValue, m.GetGauge().GetValue(), values...)
	default:
		h := m.GetHistogram()
		buckets := make(map[float64]uint64, len(h.GetBucket()))
		for _, b := range h.GetBucket() {
			buckets[b.GetUpperBound()] = b.GetCumulativeCount()
		}
		out, err = prometheus.NewConstHistogram(desc, h.GetSampleCount(), h.GetSampleSum(), buckets, values...)
	}
	return out, err == nil
}

// nameReservation holds a name in a registry without exposing anything under it.
type nameReservation struct{ desc *prometheus.Desc }

func (r nameReservation) Describe(ch chan<- *prometheus.Desc) { ch <- r.desc }
func (r nameReservation) Collect(chan<- prometheus.Metric)    {}
