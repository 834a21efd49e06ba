package validate

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The alert rules and the dashboard name metrics; a name the code does not export draws an
// empty panel and an alert that never fires, silently. These tests take every metric
// name out of each PromQL expression and check it against what the processes export:
//   - the application's collectors, read from internal/metrics (Name: "…", NewDesc("…"));
//   - the Temporal SDK's, read from the SDK's constants in the module cache and named as
//     internal/metrics/temporal.go names them (timers: _seconds histograms, counters: _total);
//   - the Go and process collectors (go_*, process_*), Prometheus's own up;
//   - the recording rules of alerts.yaml;
//   - temporalServerMetrics: exported by the Temporal server, not by this code.
// promtool checks the PromQL itself (make rules-check).

const observabilityDir = "../observability"

// temporalServerMetrics are the Temporal server's own metrics the dashboard reads, from
// its common/metrics/metric_defs.go (persistence_latency is a timer: a histogram through
// the server's Prometheus reporter); they exist only where the Temporal services are
// scraped (deploy/temporal/values.yaml).
var temporalServerMetrics = []string{"persistence_latency_bucket", "persistence_latency_sum", "persistence_latency_count"}

type ruleFile struct {
	Groups []struct {
		Name  string
		Rules []struct {
			Record string
			Alert  string
			Expr   string
		}
	}
}

func alertRules(t *testing.T) ruleFile {
	t.Helper()
	var rf ruleFile
	if err := yaml.Unmarshal([]byte(readFile(t, observabilityDir, "alerts.yaml")), &rf); err != nil {
		t.Fatalf("alerts.yaml: %v", err)
	}
	return rf
}

// knownMetrics is every series name the code exports or the rules record.
func knownMetrics(t *testing.T) (exact map[string]bool, prefixes []string) {
	t.Helper()
	exact = map[string]bool{"up": true}
	prefixes = []string{"go_", "process_", "promhttp_"}
	var src strings.Builder
	files, _ := filepath.Glob(filepath.Join(repoRoot, "internal", "metrics", "*.go"))
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			src.Write(b)
		}
	}
	for _, m := range regexp.MustCompile(`(?:Name:\s*|NewDesc\()"([a-zA-Z_:][a-zA-Z0-9_:]*)"`).FindAllStringSubmatch(src.String(), -1) {
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			exact[m[1]+suffix] = true
		}
	}
	if len(exact) < 20 {
		t.Fatalf("found only %d application metric names in internal/metrics: the pattern no longer matches the code", len(exact))
	}
	// The Temporal SDK's names, from the version in go.mod.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "go.temporal.io/sdk").Output()
	if err != nil {
		t.Fatalf("locate go.temporal.io/sdk: %v", err)
	}
	consts, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal", "common", "metrics", "constants.go"))
	if err != nil {
		t.Fatalf("Temporal SDK metric names: %v", err)
	}
	sdk := string(consts)
	// Evaluate the string constants: Name = "…" or Name = Other + "…".
	defs := map[string]string{}
	lines := regexp.MustCompile(`(?m)^\s*(\w+)\s*=\s*(?:(\w+) \+ )?"([a-z_]+)"`).FindAllStringSubmatch(sdk, -1)
	for range lines { // enough passes for any chain of references
		for _, m := range lines {
			if m[2] == "" {
				defs[m[1]] = m[3]
			} else if base, ok := defs[m[2]]; ok {
				defs[m[1]] = base + m[3]
			}
		}
	}
	for _, name := range defs {
		if !strings.HasPrefix(name, "temporal_") || name == "temporal_" {
			continue
		}
		// Timers become _seconds histograms, counters get _total (internal/metrics/temporal.go).
		for _, n := range []string{name, name + "_total", name + "_seconds_bucket", name + "_seconds_sum", name + "_seconds_count"} {
			exact[n] = true
		}
	}
	if !exact["temporal_workflow_task_schedule_to_start_latency_seconds_bucket"] || !exact["temporal_request_latency_seconds_bucket"] {
		t.Fatal("the Temporal SDK's metric names were not read from its constants.go")
	}
	for _, g := range alertRules(t).Groups {
		for _, r := range g.Rules {
			if r.Record != "" {
				exact[r.Record] = true
			}
		}
	}
	return exact, prefixes
}

var (
	promStrings   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promMatchers  = regexp.MustCompile(`\{[^}]*\}`)
	promRanges    = regexp.MustCompile(`\[[^\]]*\]`)
	promGrouping  = regexp.MustCompile(`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promIdent     = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promNonMetric = []string{"and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "inf", "nan", "e"}
)

// metricNames returns the metric names an expression reads: identifiers that are neither
// functions nor aggregations (followed by "("), keywords, label names or values.
func metricNames(expr string) []string {
	// Label matchers and strings first, then grouping clauses (label lists), then ranges.
	s := promStrings.ReplaceAllString(expr, `""`)
	// Selectors: keep the metric name, drop the {…}.
	s = promMatchers.ReplaceAllString(s, " ")
	s = promGrouping.ReplaceAllString(s, " ")
	s = promRanges.ReplaceAllString(s, " ")
	var out []string
	for _, loc := range promIdent.FindAllStringIndex(s, -1) {
		name := s[loc[0]:loc[1]]
		rest := strings.TrimLeft(s[loc[1]:], " \t\n")
		if strings.HasPrefix(rest, "(") || slices.Contains(promNonMetric, strings.ToLower(name)) {
			continue
		}
		if loc[0] > 0 && (s[loc[0]-1] >= '0' && s[loc[0]-1] <= '9' || s[loc[0]-1] == '.') {
			continue // the exponent or unit of a number: 1e3, 5m
		}
		out = append(out, name)
	}
	return out
}

func checkKnown(t *testing.T, where, expr string, exact map[string]bool, prefixes []string) {
	t.Helper()
	names := metricNames(expr)
	if len(names) == 0 {
		t.Errorf("%s: no metric found in %q", where, expr)
	}
	for _, n := range names {
		if !exact[n] && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(n, p) }) &&
			!slices.Contains(temporalServerMetrics, n) {
			t.Errorf("%s: %q reads %s, which no code exports and no rule records", where, expr, n)
		}
	}
}

func TestMetricNames(t *testing.T) {
	for expr, want := range map[string][]string{
		`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="contest-api", route="/a/:id"}[5m])))`: {"http_request_duration_seconds_bucket"},
		`absent(up{job="contest-worker"} == 1)`:                                           {"up"},
		`contest_queue_depth_up{source="asynq"} == 0 or contest_attempts_overdue_up == 0`: {"contest_queue_depth_up", "contest_attempts_overdue_up"},
		`sum by (job) (rate(a_total[5m])) / sum by (job) (rate(b_total[5m]))`:             {"a_total", "b_total"},
		`contest:auto_close_lateness_seconds > 1e3`:                                       {"contest:auto_close_lateness_seconds"},
	} {
		if got := metricNames(expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%q) = %v, want %v", expr, got, want)
		}
	}
}

func TestAlertRulesNameExportedMetrics(t *testing.T) {
	exact, prefixes := knownMetrics(t)
	rf := alertRules(t)
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			checkKnown(t, "alerts.yaml "+r.Record+r.Alert, r.Expr, exact, prefixes)
			if r.Alert != "" {
				alerts[r.Alert] = true
			}
		}
	}
	for _, want := range []string{"ContestAnswerSaveSlow", "ContestAutoCloseLate", "ContestWorkflowScheduleToStartHigh",
		"ContestActivityScheduleToStartHigh", "ContestWorkerAbsent", "ContestRedisUnreachable", "ContestPostgreSQLUnreachable"} {
		if !alerts[want] {
			t.Errorf("alerts.yaml has no alert %s", want)
		}
	}
	// Every alert has a unit test.
	tests := readFile(t, observabilityDir, "alerts_test.yaml")
	for a := range alerts {
		if !strings.Contains(tests, "alertname: "+a+"\n") {
			t.Errorf("alerts_test.yaml does not test %s", a)
		}
	}
	// Route labels are Gin route templates the API serves (internal/metrics labels by them).
	served := servedRoutes()
	raw := readFile(t, observabilityDir, "alerts.yaml") + readFile(t, observabilityDir, "dashboard.json")
	for _, m := range regexp.MustCompile(`method=\\?"([A-Z]+)\\?",\s*route=\\?"([^"\\]+)\\?"`).FindAllStringSubmatch(raw, -1) {
		if !served[m[1]+" "+m[2]] {
			t.Errorf("a rule or panel reads route %s %s, which the API does not serve", m[1], m[2])
		}
	}
	// job labels are the Services the ServiceMonitor scrapes.
	for _, m := range regexp.MustCompile(`job=~?\\?"([^"\\]+)\\?"`).FindAllStringSubmatch(raw, -1) {
		for _, job := range strings.Split(m[1], "|") {
			if _, ok := find(render(t, "base"), "Service", job); !ok {
				t.Errorf("job %q is not a Service the ServiceMonitor scrapes", job)
			}
		}
	}
}

type dashboard struct {
	Title  string
	UID    string
	Panels []struct {
		Type    string
		Title   string
		Targets []struct {
			Expr string
		}
	}
}

func TestDashboard(t *testing.T) {
	var d dashboard
	if err := json.Unmarshal([]byte(readFile(t, observabilityDir, "dashboard.json")), &d); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}
	if d.Title == "" || d.UID == "" {
		t.Error("dashboard.json: no title or uid")
	}
	exact, prefixes := knownMetrics(t)
	all := ""
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkKnown(t, "panel "+p.Title, tg.Expr, exact, prefixes)
			all += " " + strings.Join(metricNames(tg.Expr), " ")
		}
	}
	// What contest day needs on one screen.
	for _, want := range []string{"contest:attempts_started:rate1m", "contest:attempts_submitted:rate1m",
		"contest:answer_save_latency_seconds:p99", "contest:auto_close_lateness_seconds",
		"contest:workflow_task_schedule_to_start_seconds:p99", "persistence_latency_bucket",
		"contest_db_pool_connections", "contest_asynq_queue_tasks"} {
		if !slices.Contains(strings.Fields(all), want) {
			t.Errorf("no dashboard panel reads %s", want)
		}
	}
}
