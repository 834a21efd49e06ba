package metrics

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// temporalBuckets span what the SDK times: sub-millisecond workflow tasks up to long
// polls of a minute.
var temporalBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// NewTemporalHandler returns a Temporal SDK metrics handler that records into reg.
// Names follow the SDK's Prometheus convention: counters get _total, timers become
// histograms in seconds named _seconds (temporal_request_total,
// temporal_workflow_task_execution_latency_seconds_bucket …). They keep the SDK's
// temporal_ names rather than the application's contest_ prefix: the SDK's documentation
// and Temporal's own dashboards read them under those names.
//
// The SDK sends one name with different tag sets (temporal_request with and without
// poller_type, …). Every tag set is kept as its own series: a name's labels are the union
// of the tag keys seen so far, and a series lacking a key has it empty
// (temporalCollector).
func NewTemporalHandler(reg prometheus.Registerer) client.MetricsHandler {
	c, loaded := collectorsByRegistry.LoadOrStore(reg, newTemporalCollector(reg))
	if !loaded {
		// Unchecked (it describes nothing), since a name's labels grow with the tags seen.
		// It cannot fail: an unchecked collector clashes with no descriptor.
		_ = reg.Register(c.(*temporalCollector))
	}
	return &temporalHandler{c: c.(*temporalCollector), key: seriesKey(nil)}
}

// collectorsByRegistry lets every handler on one registry (one per client in a process)
// record into one collector.
var collectorsByRegistry sync.Map

type temporalHandler struct {
	c    *temporalCollector
	tags map[string]string // sanitized label names
	key  string            // seriesKey(tags), computed once per tag set
}

func (h *temporalHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	maps.Copy(merged, h.tags)
	for k, v := range tags {
		merged[labelName(k)] = v
	}
	return &temporalHandler{c: h.c, tags: merged, key: seriesKey(merged)}
}

func (h *temporalHandler) Counter(name string) client.MetricsCounter {
	name = metricName(name)
	if !strings.HasSuffix(name, "_total") {
		name += "_total"
	}
	s := h.c.series(name, kindCounter, h.key, h.tags)
	if s == nil {
		return nopMetric{}
	}
	c := s.metric.(prometheus.Counter)
	return counterFunc(func(d int64) { c.Add(float64(d)) })
}

func (h *temporalHandler) Gauge(name string) client.MetricsGauge {
	s := h.c.series(metricName(name), kindGauge, h.key, h.tags)
	if s == nil {
		return nopMetric{}
	}
	return gaugeFunc(s.metric.(prometheus.Gauge).Set)
}

func (h *temporalHandler) Timer(name string) client.MetricsTimer {
	s := h.c.series(metricName(name)+"_seconds", kindHistogram, h.key, h.tags)
	if s == nil {
		return nopMetric{}
	}
	o := s.metric.(prometheus.Histogram)
	return timerFunc(func(d time.Duration) { o.Observe(d.Seconds()) })
}

// seriesKey identifies a tag set: its pairs in key order, separated by bytes that
// cannot appear in a label name.
func seriesKey(tags map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(tags[k])
		b.WriteByte(1)
	}
	return b.String()
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(x float64) { f(x) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }

type nopMetric struct{}

func (nopMetric) Inc(int64)            {}
func (nopMetric) Update(float64)       {}
func (nopMetric) Record(time.Duration) {}

// metricName and labelName replace what Prometheus does not allow in a name.
func metricName(s string) string { return sanitize(s, true) }
func labelName(s string) string {
	s = sanitize(s, false)
	// __ is reserved for Prometheus itself, le and quantile for histogram and summary series.
	switch {
	case strings.HasPrefix(s, "__"):
		s = "tag" + s
	case s == "le" || s == "quantile":
		s = "tag_" + s
	}
	return s
}

func sanitize(s string, colonOK bool) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (colonOK && r == ':') || (i > 0 && r >= '0' && r <= '9')
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}
