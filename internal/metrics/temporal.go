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
// temporal_workflow_task_execution_latency_seconds_bucket …).
//
// Prometheus needs one label set per metric name, while the SDK may send the same name
// with different tag keys. The first key set seen for a name fixes its labels; later
// tags fill those labels (missing ones empty) and keys outside the set are dropped, so
// an unusual tag can cost a label but never a panic or a scrape error.
func NewTemporalHandler(reg prometheus.Registerer) client.MetricsHandler {
	vecs, _ := vecsByRegistry.LoadOrStore(reg, &temporalVecs{reg: reg, byName: map[string]*temporalVec{}})
	return &temporalHandler{vecs: vecs.(*temporalVecs)}
}

// vecsByRegistry lets every handler on one registry (one per client in a process) agree
// on the label set of each name.
var vecsByRegistry sync.Map

type temporalHandler struct {
	vecs *temporalVecs
	tags map[string]string
}

type temporalVecs struct {
	reg    prometheus.Registerer
	mu     sync.Mutex
	byName map[string]*temporalVec
}

type temporalVec struct {
	labels    []string // sanitized, sorted
	counter   *prometheus.CounterVec
	gauge     *prometheus.GaugeVec
	histogram *prometheus.HistogramVec
}

func (h *temporalHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	maps.Copy(merged, h.tags)
	for k, v := range tags {
		merged[labelName(k)] = v
	}
	return &temporalHandler{vecs: h.vecs, tags: merged}
}

func (h *temporalHandler) Counter(name string) client.MetricsCounter {
	name = metricName(name)
	if !strings.HasSuffix(name, "_total") {
		name += "_total"
	}
	v := h.vecs.get(name, "counter", h.tags)
	if v == nil {
		return nopMetric{}
	}
	c := v.counter.With(v.values(h.tags))
	return counterFunc(func(d int64) { c.Add(float64(d)) })
}

func (h *temporalHandler) Gauge(name string) client.MetricsGauge {
	v := h.vecs.get(metricName(name), "gauge", h.tags)
	if v == nil {
		return nopMetric{}
	}
	g := v.gauge.With(v.values(h.tags))
	return gaugeFunc(g.Set)
}

func (h *temporalHandler) Timer(name string) client.MetricsTimer {
	v := h.vecs.get(metricName(name)+"_seconds", "histogram", h.tags)
	if v == nil {
		return nopMetric{}
	}
	o := v.histogram.With(v.values(h.tags))
	return timerFunc(func(d time.Duration) { o.Observe(d.Seconds()) })
}

// get returns the vector for name, creating and registering it on first use; nil when a
// collector of another kind already owns the name.
func (vs *temporalVecs) get(name, kind string, tags map[string]string) *temporalVec {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if v, ok := vs.byName[name]; ok {
		if v == nil || v.kind() != kind {
			return nil
		}
		return v
	}
	labels := slices.Sorted(maps.Keys(tags))
	v := &temporalVec{labels: labels}
	help := "Temporal SDK metric " + name + "."
	var c prometheus.Collector
	switch kind {
	case "counter":
		v.counter = prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
		c = v.counter
	case "gauge":
		v.gauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		c = v.gauge
	default:
		v.histogram = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: temporalBuckets}, labels)
		c = v.histogram
	}
	if err := vs.reg.Register(c); err != nil {
		// Someone else owns the name (an application metric): keep it nil so the SDK's
		// samples are dropped instead of clashing.
		vs.byName[name] = nil
		return nil
	}
	vs.byName[name] = v
	return v
}

func (v *temporalVec) kind() string {
	switch {
	case v.counter != nil:
		return "counter"
	case v.gauge != nil:
		return "gauge"
	}
	return "histogram"
}

func (v *temporalVec) values(tags map[string]string) prometheus.Labels {
	l := make(prometheus.Labels, len(v.labels))
	for _, k := range v.labels {
		l[k] = tags[k]
	}
	return l
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
	if strings.HasPrefix(s, "__") { // reserved for Prometheus itself
		s = "tag" + s
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
