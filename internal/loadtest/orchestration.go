package loadtest

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The API answers a participant before Temporal has done its part: an exam's workflow is
// started, and a submission signalled, by a queue in the API process. So the API's exams
// per second alone would flatter the orchestrated mode; this measures when Temporal had
// caught up, from PostgreSQL (when each workflow start was confirmed) and from the API's
// own queue gauge.

// OrchestrationStats says how far the exam workflows lagged behind the API.
type OrchestrationStats struct {
	// WorkflowStartLag is, per attempt of the run, from its start in PostgreSQL to the
	// confirmation that its workflow runs.
	WorkflowStartLag Distribution `json:"workflow_start_lag_ms"`
	// Unconfirmed open attempts had no confirmed workflow when the measurement ended
	// (then CaughtUp is only where the measurement gave up).
	Unconfirmed int `json:"unconfirmed"`
	// FailedCalls are starts and signals that failed (timed out, refused) during the run;
	// a failed start of an open attempt is retried by the recovery scan, a failed signal
	// leaves the exam to end at its timer.
	FailedCalls float64 `json:"failed_calls"`
	// QueueLeft is the API's dispatch queue length when the measurement ended.
	QueueLeft float64 `json:"queue_left"`
	// CaughtUp is from the first arrival to the moment the last start was confirmed and
	// the API's queue of starts and signals was empty.
	CaughtUp time.Duration `json:"caught_up_ns"`
	// ExamsPerSecond is the submitted exams over first arrival → the later of the last
	// submit answer and CaughtUp: the throughput with the orchestrator's work included.
	ExamsPerSecond float64 `json:"exams_per_second"`
}

// measureOrchestration waits (up to limit) for the API's dispatch queue to empty and every
// open attempt of this run (earlier phases share the round) to have a confirmed workflow. It returns nil for a bare-mode API,
// which starts no workflows.
func (r *run) measureOrchestration(ctx context.Context, roundID int64, limit time.Duration) *OrchestrationStats {
	metricsURL := r.cfg.APIMetrics
	if metricsURL == "" {
		metricsURL = strings.TrimSuffix(strings.TrimRight(r.cfg.URL, "/"), "/api/v1") + "/metrics"
	}
	started, _ := r.scrapeGauge(ctx, metricsURL, `contest_exam_workflow_starts_total{outcome="started"}`)
	signalled, _ := r.scrapeGauge(ctx, metricsURL, `contest_exam_submit_signals_total{outcome="sent"}`)
	if started+signalled == 0 {
		return nil
	}
	giveUp := time.Now().Add(limit)
	var emptyAt time.Time
	var out OrchestrationStats
	for {
		queued, ok := r.scrapeGauge(ctx, metricsURL, "contest_exam_dispatch_queue_length")
		var unconfirmed int
		// A closed attempt needs no timer any more: only open ones must have a workflow.
		err := r.st.Pool().QueryRow(ctx, `SELECT count(*) FROM attempts WHERE round_id = $1 AND started_at >= $2 AND workflow_started_at IS NULL AND status = 'in_progress'`, roundID, r.t0).Scan(&unconfirmed)
		if ok && queued == 0 && err == nil && unconfirmed == 0 {
			emptyAt = time.Now()
			out.Unconfirmed, out.QueueLeft = 0, 0
			break
		}
		out.Unconfirmed, out.QueueLeft = unconfirmed, queued
		if time.Now().After(giveUp) || ctx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	failedStarts, _ := r.scrapeGauge(ctx, metricsURL, `contest_exam_workflow_starts_total{outcome="failed"}`)
	failedSignals, _ := r.scrapeGauge(ctx, metricsURL, `contest_exam_submit_signals_total{outcome="failed"}`)
	out.FailedCalls = failedStarts + failedSignals
	rows, err := r.st.Pool().Query(ctx, `
		SELECT started_at, workflow_started_at FROM attempts WHERE round_id = $1 AND started_at >= $2 AND workflow_started_at IS NOT NULL`, roundID, r.t0)
	if err != nil {
		return &out
	}
	defer rows.Close()
	var lags []time.Duration
	var lastConfirmed time.Time
	for rows.Next() {
		var started, confirmed time.Time
		if rows.Scan(&started, &confirmed) != nil {
			return &out
		}
		lags = append(lags, confirmed.Sub(started))
		if confirmed.After(lastConfirmed) {
			lastConfirmed = confirmed
		}
	}
	out.WorkflowStartLag = Summarize(lags)
	end := lastConfirmed
	r.mu.Lock()
	if r.lastSubmit.After(end) {
		end = r.lastSubmit
	}
	r.mu.Unlock()
	if emptyAt.IsZero() {
		end = time.Now() // gave up: a lower bound of the catch-up time
	} else if emptyAt.Sub(end) > time.Second {
		// The queue was still busy (signals) after the last confirmation; its emptying was
		// seen by polling, so this bound is coarse.
		end = emptyAt
	}
	out.CaughtUp = end.Sub(r.t0)
	if out.CaughtUp > 0 {
		out.ExamsPerSecond = float64(r.submitted.Load()) / out.CaughtUp.Seconds()
	}
	return &out
}

// scrapeGauge reads one sample of the API's /metrics by its exact series name.
func (r *run) scrapeGauge(ctx context.Context, url, series string) (float64, bool) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}
