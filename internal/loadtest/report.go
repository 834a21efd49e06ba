package loadtest

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteMarkdown writes the run's figures as Markdown tables.
func WriteMarkdown(w io.Writer, res *Result) {
	c := res.Config
	label := c.Label
	if label == "" {
		label = "load run"
	}
	fmt.Fprintf(w, "#### %s\n\n", label)
	arrival := fmt.Sprintf("steady over %s", c.Ramp)
	if c.Arrival == ArrivalBurst {
		arrival = fmt.Sprintf("burst within %s", c.BurstWindow)
	}
	conc := "unbounded"
	if c.Concurrency > 0 {
		conc = fmt.Sprint(c.Concurrency)
	}
	fmt.Fprintf(w, "%d participants, arrival %s, concurrency %s, think %s ±%.0f%%, abandon share %.2f, time limit %s, cap %s",
		c.Participants, arrival, conc, c.Think, c.Jitter*100, c.AbandonShare, c.TimeLimit, c.Duration)
	if c.ArrivalsFor > 0 {
		fmt.Fprintf(w, ", arrivals stop after %s", c.ArrivalsFor)
	}
	fmt.Fprintf(w, "; run took %s.\n\n", res.Elapsed.Round(100*time.Millisecond))

	fmt.Fprintln(w, "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | cut by cap |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, e := range res.Endpoints {
		if e.Requests == 0 {
			continue
		}
		fmt.Fprintf(w, "| `%s` | %d | %.1f | %s | %s | %s | %s | %d | %d |\n", e.Endpoint, e.Requests, e.PerSecond,
			ms(e.P50), ms(e.P95), ms(e.P99), ms(e.Max), e.Failed, e.Cut)
	}
	fmt.Fprintln(w)

	if len(res.Errors) == 0 {
		fmt.Fprintln(w, "Errors: none.")
	} else {
		fmt.Fprintln(w, "| errors: endpoint | HTTP status | code | count |")
		fmt.Fprintln(w, "|---|--:|---|--:|")
		for _, e := range res.Errors {
			status := fmt.Sprint(e.Status)
			if e.Status == 0 {
				status = "—"
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %d |\n", e.Endpoint, status, e.Code, e.Count)
		}
	}
	fmt.Fprintln(w)

	x := res.Exams
	fmt.Fprintln(w, "| exams | |")
	fmt.Fprintln(w, "|---|--:|")
	rows := []struct {
		k string
		v any
	}{
		{"participants", x.Participants},
		{"not started (arrivals stopped / cap)", x.NotStarted},
		{"started (201)", x.Started},
		{"submitted before the deadline", x.Submitted},
		{"submitted after the deadline (answered auto_submitted)", x.SubmittedLate},
		{"abandoned on purpose", x.Abandoned},
		{"gave up after a failed call", x.Failed},
		{"cut by the duration cap", x.Cut},
		{"left open, watched for the automatic close", x.LeftOpen},
		{"closed after their deadline (seen)", fmt.Sprintf("%d %s", x.AutoFinalized, closedAs(x.ClosedAs))},
		{"still open when the watch ended", x.NotFinalized},
		{"exams completed (submitted + closed automatically)", x.Submitted + x.SubmittedLate + x.AutoFinalized},
		{"peak exams in flight", x.PeakInFlight},
		{"submitted exams per second (first arrival → last submit)", fmt.Sprintf("%.1f", x.ExamsPerSecond)},
		{"first arrival → last start answered", x.StartSpan.Round(time.Millisecond)},
		{"first arrival → last participant done", x.FlowsSpan.Round(time.Millisecond)},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %v |\n", r.k, r.v)
	}
	fmt.Fprintln(w)

	if o := res.Orchestration; o != nil {
		caught := fmt.Sprintf("every workflow start confirmed and the queue empty %s after the first arrival", o.CaughtUp.Round(time.Millisecond))
		if o.Unconfirmed > 0 || o.QueueLeft > 0 {
			caught = fmt.Sprintf("NOT caught up when the measurement gave up %s after the first arrival: %d open attempts without a confirmed workflow, %.0f jobs still queued (so the exams/s below is an upper bound)",
				o.CaughtUp.Round(time.Millisecond), o.Unconfirmed, o.QueueLeft)
		}
		fmt.Fprintf(w, "Temporal's part (the API starts workflows and signals submissions from a queue after answering): %s; "+
			"%.0f calls to Temporal failed (timed out or refused; open attempts are retried by the recovery scan); "+
			"workflow start confirmed after the attempt's start p50 %s ms, p99 %s ms, max %s ms (%d attempts); "+
			"submitted exams per second including that catch-up: %.1f.\n\n",
			caught, o.FailedCalls, ms(o.WorkflowStartLag.P50), ms(o.WorkflowStartLag.P99), ms(o.WorkflowStartLag.Max), o.WorkflowStartLag.Count, o.ExamsPerSecond)
	}

	l := res.Lateness
	if l.Count > 0 {
		fmt.Fprintf(w, "Automatic close after the deadline (%d attempts; first seen closed in PostgreSQL, polled every %s, so each figure is an upper bound by up to that much): "+
			"p50 %s ms, p95 %s ms, p99 %s ms, max %s ms, min %s ms.", l.Count, c.Poll, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max), ms(l.Min))
		if res.LatenessCensored > 0 {
			fmt.Fprintf(w, " %d of them were still open when the watch ended (%s after the last deadline) and count with their age then, so those percentiles are lower bounds.",
				res.LatenessCensored, c.WatchGrace)
		}
		fmt.Fprint(w, "\n\n")
	}

	fmt.Fprintln(w, "| process (by name) | processes | CPU s during the run | CPU % of one core | peak RSS MB (max VmHWM) | peak summed RSS MB |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|")
	secs := res.Elapsed.Seconds()
	for _, p := range res.Processes {
		pct := 0.0
		if secs > 0 {
			pct = 100 * p.CPUSeconds / secs
		}
		fmt.Fprintf(w, "| %s | %d | %.1f | %.0f | %.0f | %.0f |\n", p.Group, p.Processes, p.CPUSeconds, pct, p.MaxHWMMB, p.PeakSumMB)
	}
	fmt.Fprintln(w)
	if len(res.Temporal) > 0 {
		fmt.Fprintln(w, "| Temporal server metrics over the run | count | mean ms | sum s |")
		fmt.Fprintln(w, "|---|--:|--:|--:|")
		for _, f := range res.Temporal {
			fmt.Fprintf(w, "| %s | %.0f | %s | %.1f |\n", f.What, f.Count, ms(f.MeanMS), f.SumS)
		}
		fmt.Fprintln(w)
	}
	if res.TemporalError != "" {
		fmt.Fprintf(w, "Temporal metrics unavailable: %s\n\n", res.TemporalError)
	}
}

func closedAs(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func ms(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

// SummaryLine is one line of key=value pairs that scripts read (deploy/bench.sh).
func SummaryLine(res *Result) string {
	var answer, start, submit EndpointStats
	for _, e := range res.Endpoints {
		switch e.Endpoint {
		case EpAnswer.Name():
			answer = e
		case EpStart.Name():
			start = e
		case EpSubmit.Name():
			submit = e
		}
	}
	failed := 0
	for _, e := range res.Errors {
		failed += e.Count
	}
	var cpu strings.Builder
	for _, p := range res.Processes {
		key := strings.NewReplacer(" ", "_", "(", "", ")", "", "-", "_").Replace(p.Group)
		fmt.Fprintf(&cpu, " cpu_s_%s=%.1f rss_mb_%s=%.0f", key, p.CPUSeconds, key, p.MaxHWMMB)
	}
	x := res.Exams
	orch := ""
	if o := res.Orchestration; o != nil {
		orch = fmt.Sprintf(" orch_exams_per_s=%.2f orch_caught_up_s=%.1f wf_start_lag_p99_ms=%.0f wf_unconfirmed=%d wf_queue_left=%.0f wf_failed_calls=%.0f",
			o.ExamsPerSecond, o.CaughtUp.Seconds(), o.WorkflowStartLag.P99, o.Unconfirmed, o.QueueLeft, o.FailedCalls)
	}
	return fmt.Sprintf("SUMMARY label=%q participants=%d started=%d submitted=%d errors=%d start_failed=%d cut=%d "+
		"exams_per_s=%.2f start_span_s=%.2f peak_in_flight=%d answer_p50_ms=%.1f answer_p99_ms=%.1f answer_max_ms=%.1f "+
		"start_p99_ms=%.1f submit_p99_ms=%.1f left_open=%d auto_closed=%d not_closed=%d late_censored=%d late_p50_ms=%.0f late_p99_ms=%.0f late_max_ms=%.0f elapsed_s=%.1f%s",
		res.Config.Label, x.Participants, x.Started, x.Submitted, failed, start.Failed, x.Cut,
		x.ExamsPerSecond, x.StartSpan.Seconds(), x.PeakInFlight, answer.P50, answer.P99, answer.Max,
		start.P99, submit.P99, x.LeftOpen, x.AutoFinalized, x.NotFinalized, res.LatenessCensored, res.Lateness.P50, res.Lateness.P99, res.Lateness.Max,
		res.Elapsed.Seconds(), cpu.String()) + orch
}
