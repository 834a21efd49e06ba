package validate

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestTemporalChartRender renders the official Temporal chart with deploy/temporal/values.yaml
// (helm template, offline) and checks every object it produces. It needs two things the
// repository does not hold: a helm binary (go install helm.sh/helm/v3/cmd/helm@v3.21.4) and
// the chart's sources at the pinned version, given as TEMPORAL_CHART_DIR (the directory with
// its Chart.yaml; chart sources are not committed here). Without them it is skipped, so
// `make test` does not run it; `make chart-check` does when both are present.
func TestTemporalChartRender(t *testing.T) {
	chartDir := os.Getenv("TEMPORAL_CHART_DIR")
	if chartDir == "" {
		t.Skip("TEMPORAL_CHART_DIR is not set: no chart sources to render")
	}
	helm, err := exec.LookPath("helm")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		helm = filepath.Join(strings.TrimSpace(string(gopath)), "bin", "helm")
		if _, err := os.Stat(helm); err != nil {
			t.Skip("no helm binary (go install helm.sh/helm/v3/cmd/helm@v3.21.4)")
		}
	}
	values := readFile(t, deployDir, "temporal", "values.yaml")
	pin := regexp.MustCompile(`chart "temporal" version (\d+\.\d+\.\d+)`).FindStringSubmatch(values)
	chart := readFile(t, chartDir, "Chart.yaml")
	if pin == nil || !regexp.MustCompile(`(?m)^version: `+regexp.QuoteMeta(pin[1])+`$`).MatchString(chart) {
		t.Fatalf("%s is not chart version %v pinned in values.yaml", chartDir, pin)
	}
	cmd := exec.Command(helm, "template", "temporal", chartDir, "--namespace", "temporal",
		"-f", filepath.Join(deployDir, "temporal", "values.yaml"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, stderr.String())
	}
	var objs []doc
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var d doc
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rendered YAML: %v", err)
		}
		if d != nil {
			objs = append(objs, d)
		}
	}
	kinds := map[string]int{}
	serverImage := "temporalio/server:" + str(mustYAML(t, values), "server", "image", "tag")
	for _, o := range objs {
		kind, name := str(o, "kind"), str(o, "metadata", "name")
		kinds[kind]++
		if str(o, "apiVersion") == "" || kind == "" || name == "" {
			t.Errorf("rendered object without apiVersion, kind or name: %v", o)
			continue
		}
		where := kind + "/" + name
		if ns := str(o, "metadata", "namespace"); ns != "" && ns != "temporal" {
			t.Errorf("%s: namespace %q, want temporal", where, ns)
		}
		pod := mapping(o, "spec", "template", "spec")
		if pod == nil {
			continue
		}
		if u, _ := get(pod, "securityContext", "runAsUser").(int); u == 0 {
			t.Errorf("%s: pod runs as root (securityContext.runAsUser unset or 0)", where)
		}
		for _, field := range []string{"initContainers", "containers"} {
			for _, c := range list(pod, field) {
				img := str(c, "image")
				if strings.Contains(img, "elasticsearch") || strings.Contains(img, "cassandra") {
					t.Errorf("%s: container %s runs %s", where, str(c, "name"), img)
				}
				if strings.HasPrefix(img, "temporalio/server:") && img != serverImage {
					t.Errorf("%s: %s, want %s", where, img, serverImage)
				}
				if kind == "Deployment" && strings.HasPrefix(img, "temporalio/server:") && get(c, "resources", "requests", "cpu") == nil {
					t.Errorf("%s: container %s has no resource requests", where, str(c, "name"))
				}
			}
		}
		if kind == "Deployment" && strings.HasPrefix(str(o, "spec", "template", "spec", "containers", "0", "image"), "temporalio/server:") {
			if n, _ := get(o, "spec", "replicas").(int); n < 2 {
				t.Errorf("%s: %d replicas, want at least 2", where, n)
			}
		}
	}
	for kind, min := range map[string]int{"Deployment": 5, "PodDisruptionBudget": 4, "ServiceMonitor": 4, "Job": 1, "ConfigMap": 1} {
		if kinds[kind] < min {
			t.Errorf("rendered %d %s, want at least %d (all kinds: %v)", kinds[kind], kind, min, kinds)
		}
	}
	// The server configuration: PostgreSQL stores and the chosen shard count.
	text := string(out)
	for _, want := range []string{"numHistoryShards: 512", "pluginName: postgres12_pgx", "databaseName: temporal_visibility"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered server configuration lacks %q", want)
		}
	}
	for _, bad := range []string{"elasticsearch:", "cassandra:"} {
		if regexp.MustCompile(`(?m)^\s*` + bad).MatchString(text) {
			t.Errorf("rendered configuration mentions %s", bad)
		}
	}
	// The application reaches the frontend: its Service is TEMPORAL_ADDRESS's host, and its
	// pods are the peer the contest NetworkPolicy lets the API and the worker reach.
	cm := findIn(t, "ConfigMap", "contest-config")
	host := strings.Split(str(cm.doc, "data", "TEMPORAL_ADDRESS"), ".")[0]
	egress, _ := find(render(t, "base"), "NetworkPolicy", "contest-egress")
	var peer map[string]any
	for _, r := range list(egress.doc, "spec", "egress") {
		for _, to := range list(r, "to") {
			if str(to, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "temporal" {
				peer = mapping(to, "podSelector")
			}
		}
	}
	service, frontend := false, false
	for _, o := range objs {
		if str(o, "kind") == "Service" && str(o, "metadata", "name") == host {
			service = true
		}
		if str(o, "kind") == "Deployment" && str(o, "metadata", "name") == "temporal-frontend" {
			frontend = peer != nil && selects(peer, mapping(o, "spec", "template", "metadata", "labels"))
		}
	}
	if !service {
		t.Errorf("no rendered Service %s (TEMPORAL_ADDRESS)", host)
	}
	if !frontend {
		t.Errorf("the contest NetworkPolicy's Temporal peer %v does not select the frontend pods", peer)
	}
	if !strings.Contains(text, "taskQueueName: contest") {
		t.Error("the dynamic config does not partition the contest task queue")
	}
	t.Logf("rendered %d objects: %v", len(objs), kinds)
}

func mustYAML(t *testing.T, raw string) doc {
	t.Helper()
	var d doc
	if err := yaml.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	return d
}
