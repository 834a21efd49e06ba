package loadtest

import (
	"slices"
	"sync"
	"time"
)

// Endpoint is one of the participant endpoints the harness calls.
type Endpoint int

// The participant flow, in order.
const (
	EpCurrentRound Endpoint = iota
	EpStart
	EpAnswer
	EpPrediction
	EpSubmit
	endpointCount
)

// Name is the route as the router spells it.
func (e Endpoint) Name() string {
	return [...]string{
		"GET /api/v1/rounds/current",
		"POST /api/v1/rounds/:id/attempts",
		"PUT /api/v1/attempts/:id/answers/:no",
		"PUT /api/v1/attempts/:id/prediction",
		"POST /api/v1/attempts/:id/submit",
	}[e]
}

// ErrorKey classifies a failed call: the HTTP status and the API's error code, or status
// 0 and a transport problem.
type ErrorKey struct {
	Endpoint Endpoint
	Status   int
	Code     string
}

// recorder collects latencies and errors; safe for concurrent use.
type recorder struct {
	mu     sync.Mutex
	eps    [endpointCount]epRecord
	errors map[ErrorKey]int
}

type epRecord struct {
	requests    int
	latencies   []time.Duration // every call that got an HTTP answer
	failed      int             // non-2xx answers and transport errors
	cut         int             // calls cancelled by the duration cap
	first, last time.Time       // first call sent, last answer received
}

func newRecorder() *recorder { return &recorder{errors: map[ErrorKey]int{}} }

func (r *recorder) record(ep Endpoint, sent time.Time, took time.Duration, answered bool, errKey *ErrorKey, cut bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := &r.eps[ep]
	e.requests++
	if e.first.IsZero() || sent.Before(e.first) {
		e.first = sent
	}
	if end := sent.Add(took); end.After(e.last) {
		e.last = end
	}
	if answered {
		e.latencies = append(e.latencies, took)
	}
	switch {
	case cut:
		e.cut++
	case errKey != nil:
		e.failed++
		r.errors[*errKey]++
	}
}

// EndpointStats is what the report shows for one endpoint.
type EndpointStats struct {
	Endpoint      string  `json:"endpoint"`
	Requests      int     `json:"requests"`
	Failed        int     `json:"failed"`
	Cut           int     `json:"cut_by_cap"`
	PerSecond     float64 `json:"per_second"`
	P50, P95, P99 float64 // milliseconds
	Max           float64
}

// ErrorCount is one line of the error table.
type ErrorCount struct {
	Endpoint string `json:"endpoint"`
	Status   int    `json:"status"`
	Code     string `json:"code"`
	Count    int    `json:"count"`
}

func (r *recorder) endpointStats() []EndpointStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]EndpointStats, 0, endpointCount)
	for i := range r.eps {
		e := &r.eps[i]
		s := EndpointStats{Endpoint: Endpoint(i).Name(), Requests: e.requests, Failed: e.failed, Cut: e.cut}
		if n := len(e.latencies); n > 0 {
			d := Summarize(e.latencies)
			s.P50, s.P95, s.P99, s.Max = d.P50, d.P95, d.P99, d.Max
			if span := e.last.Sub(e.first); span > 0 {
				s.PerSecond = float64(n) / span.Seconds()
			}
		}
		out = append(out, s)
	}
	return out
}

func (r *recorder) errorCounts() []ErrorCount {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]ErrorCount, 0, len(r.errors))
	for k, c := range r.errors {
		out = append(out, ErrorCount{Endpoint: k.Endpoint.Name(), Status: k.Status, Code: k.Code, Count: c})
	}
	slices.SortFunc(out, func(a, b ErrorCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Endpoint != b.Endpoint {
			if a.Endpoint < b.Endpoint {
				return -1
			}
			return 1
		}
		return a.Status - b.Status
	})
	return out
}

// Distribution summarizes durations in milliseconds.
type Distribution struct {
	Count                   int
	Min, P50, P95, P99, Max float64
}

// Summarize sorts a copy of ds and takes nearest-rank percentiles.
func Summarize(ds []time.Duration) Distribution {
	if len(ds) == 0 {
		return Distribution{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return Distribution{Count: len(s), Min: ms(s[0]), P50: ms(Percentile(s, 50)), P95: ms(Percentile(s, 95)),
		P99: ms(Percentile(s, 99)), Max: ms(s[len(s)-1])}
}

// Percentile is the nearest-rank percentile of sorted durations.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999)
	rank = max(1, min(rank, len(sorted)))
	return sorted[rank-1]
}
