package loadtest

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteRushMarkdown writes a rush's figures as a Markdown table with its parameters.
func WriteRushMarkdown(w io.Writer, r *RushResult) {
	c := r.Config
	fmt.Fprintf(w, "#### %s\n\n", c.Label)
	fmt.Fprintf(w, "%d %s arrivals evenly within %s while %d participants save an answer every %s; a client retries 503/429 after Retry-After (+ up to 1 s jitter) and gives up %s after arriving; run took %s.\n\n",
		c.Arrivals, c.Kind, c.Window, c.InFlight, c.SaveEvery, c.GiveUp, r.Elapsed.Round(100*time.Millisecond))
	fmt.Fprintf(w, "| succeeded | within %s | failed | arrival → success p50 / p99 / max s | successes/s | hash bound/s | answer save p50 / p99 / max ms (n) | answer failures | API peak RSS MiB | API CPU s |\n", c.Target)
	fmt.Fprintln(w, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	d := r.ArrivalToSuccess
	a := r.AnswerSave
	fmt.Fprintf(w, "| %d | %d | %d | %.1f / %.1f / %.1f | %.1f | %.1f | %.1f / %.1f / %.1f (%d) | %d | %.0f | %.1f |\n\n",
		r.Succeeded, r.WithinTarget, r.Failed, d.P50/1000, d.P99/1000, d.Max/1000, r.SuccessPerSecond, r.HashesPerSecond,
		a.P50, a.P99, a.Max, a.Count, r.AnswerFailures, r.APIPeakRSSMiB, r.APICPUSeconds)
	keys := make([]string, 0, len(r.Statuses))
	for k := range r.Statuses {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s × %d", k, r.Statuses[k])
	}
	fmt.Fprintf(w, "Front-door requests: %d (%s).\n\n", r.Requests, strings.Join(parts, ", "))
}

// RushSummaryLine is one machine-readable line for deploy/bench.sh.
func RushSummaryLine(r *RushResult) string {
	return fmt.Sprintf("SUMMARY kind=%s arrivals=%d succeeded=%d within_target=%d failed=%d to_success_p99_s=%.1f success_per_s=%.1f hash_per_s=%.1f answer_p99_ms=%.1f answer_failures=%d api_peak_rss_mib=%.0f",
		r.Config.Kind, r.Config.Arrivals, r.Succeeded, r.WithinTarget, r.Failed, r.ArrivalToSuccess.P99/1000,
		r.SuccessPerSecond, r.HashesPerSecond, r.AnswerSave.P99, r.AnswerFailures, r.APIPeakRSSMiB)
}
