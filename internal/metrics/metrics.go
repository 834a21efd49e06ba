// Package metrics holds the process's Prometheus registry and collectors: HTTP request
// durations by route, the exam counters, and the Go runtime and process collectors.
// GET /metrics serves them (Handler); the API records requests through Middleware.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry is this process's own registry (not prometheus.DefaultRegisterer), so that
// what /metrics exposes is exactly what is registered here.
var Registry = prometheus.NewRegistry()

var (
	requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "contest_http_request_duration_seconds",
		Help:    "HTTP request duration by method, route template (never the raw path) and status class.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route", "status"})

	attemptsStarted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "contest_attempts_started_total",
		Help: "Exam attempts started through the API (their workflow is started right after, see contest_exam_workflow_starts_total).",
	})

	attemptsSubmitted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contest_attempts_submitted_total",
		Help: "Results returned by POST /attempts/{id}/submit, by how the attempt was closed (submitted, or auto_submitted when the deadline won the race).",
	}, []string{"mode"})

	answerSaves = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contest_answer_saves_total",
		Help: "Answer saves: saved (acknowledged with 200) or refused (any error after validation, e.g. attempt_closed).",
	}, []string{"outcome"})
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		requestDuration, attemptsStarted, attemptsSubmitted, answerSaves,
	)
	// Expose the zero series from the start so rates work before the first event.
	for _, mode := range []string{"submitted", "auto_submitted"} {
		attemptsSubmitted.WithLabelValues(mode)
	}
	for _, outcome := range []string{"saved", "refused"} {
		answerSaves.WithLabelValues(outcome)
	}
}

// Handler serves the registry in the Prometheus exposition format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

// Middleware observes every request's duration. The route label is Gin's route template
// (c.FullPath(), e.g. /api/v1/attempts/:id); requests that matched no route are labelled
// "unmatched", so neither ids nor scanned paths create new series.
func Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		requestDuration.WithLabelValues(method(c.Request.Method), route, StatusClass(c.Writer.Status())).
			Observe(time.Since(start).Seconds())
	}
}

// method keeps the label to the standard methods; anything else a client sends is "other".
func method(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// StatusClass maps 204 to "2xx".
func StatusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code/100) + "xx"
}

// AttemptStarted counts an attempt whose workflow started.
func AttemptStarted() { attemptsStarted.Inc() }

// AttemptSubmitted counts a result returned from submit, by its status; statuses other
// than submitted and auto_submitted are not counted.
func AttemptSubmitted(status string) {
	if status == "submitted" || status == "auto_submitted" {
		attemptsSubmitted.WithLabelValues(status).Inc()
	}
}

// AnswerSaved counts an acknowledged answer; AnswerRefused one the store refused.
func AnswerSaved()   { answerSaves.WithLabelValues("saved").Inc() }
func AnswerRefused() { answerSaves.WithLabelValues("refused").Inc() }
