// Package validate checks the deployment files under deploy/ offline: the Dockerfile, the
// compose file and the Kubernetes manifests are parsed and checked for structure and for
// agreement with the code (routes the API serves, environment variables the binary reads).
//
// Nothing here builds an image or talks to a cluster: the development machine has no Docker
// engine and no Kubernetes API server, so `docker build`, `docker compose up` and
// `kubectl apply` are not exercised. Schema-level validation against the Kubernetes OpenAPI
// (kubeconform) is not done either; these tests check what the code can know.
package validate

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/hpcontest/contest/api"
)

const deployDir = ".."

var repoRoot = filepath.Join("..", "..")

// binaryEnv is every environment variable the contest binary reads. TestBinaryEnvList keeps
// it honest against internal/config/config.go and cmd/contest.
var binaryEnv = []string{
	"DATABASE_URL", "DATABASE_MAX_CONNS", "REDIS_ADDR",
	"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TASK_QUEUE",
	"HTTP_ADDR", "SESSION_TTL", "SWEEP_INTERVAL", "SWEEP_GRACE",
	"VIDEO_DIR", "VIDEO_MAX_BYTES",
	"SMTP_ADDR", "SMTP_FROM", "SMTP_USERNAME", "SMTP_PASSWORD",
	"PPROF_ADDR", // cmd/contest/loadtest_command.go, loopback only
	"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_API_KEY",
	"METRICS_ADDR", "SHUTDOWN_TIMEOUT", "SHUTDOWN_DELAY",
	"LOG_FORMAT", "LOG_LEVEL", // cmd/contest/observability.go through config.Logging
	// Tracing switches; the OpenTelemetry SDK reads the other OTEL_* variables itself.
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER",
	"OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME",
}

// secretEnv must come from a Secret, never a ConfigMap or a literal in a manifest.
var secretEnv = []string{"DATABASE_URL", "SMTP_PASSWORD"}

// The subcommands of cmd/contest/main.go a container may run.
var commands = []string{"serve", "worker", "migrate", "seed", "import-questions", "campaign"}

// temporalAuthEnv are the names the manifests reserve for Temporal Cloud / mTLS.
var temporalAuthEnv = []string{"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_API_KEY"}

func readFile(t *testing.T, path ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(path...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func binarySources(t *testing.T) string {
	t.Helper()
	src := readFile(t, repoRoot, "internal", "config", "config.go")
	files, _ := filepath.Glob(filepath.Join(repoRoot, "cmd", "contest", "*.go"))
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			src += readFile(t, f)
		}
	}
	return src
}

func TestBinaryEnvList(t *testing.T) {
	src := binarySources(t)
	for _, name := range binaryEnv {
		if !strings.Contains(src, `"`+name+`"`) {
			t.Errorf("%s is in binaryEnv but neither internal/config nor cmd/contest reads it", name)
		}
	}
	read := regexp.MustCompile(`(?:env|envOr|envInt|envDuration|os\.Getenv|os\.LookupEnv)\("([A-Z0-9_]+)"`)
	for _, m := range read.FindAllStringSubmatch(src, -1) {
		if !slices.Contains(binaryEnv, m[1]) {
			t.Errorf("the binary reads %s: add it to binaryEnv (and to the manifests if it matters in production)", m[1])
		}
	}
}

// ---------- YAML ----------

type doc = map[string]any

type yamlFile struct {
	path string
	raw  string
	docs []doc
}

func yamlFiles(t *testing.T) []yamlFile {
	t.Helper()
	var out []yamlFile
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return nil
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f := yamlFile{path: path, raw: string(raw)}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var m doc
			err := dec.Decode(&m)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", path, err)
				break
			}
			if m != nil {
				f.docs = append(f.docs, m)
			}
		}
		out = append(out, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no YAML files under deploy/")
	}
	return out
}

// get walks maps by key and lists by decimal index: get(d, "spec", "template", "spec").
func get(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any, path ...string) string {
	s, _ := get(v, path...).(string)
	return s
}

func list(v any, path ...string) []any {
	l, _ := get(v, path...).([]any)
	return l
}

func mapping(v any, path ...string) map[string]any {
	m, _ := get(v, path...).(map[string]any)
	return m
}

// ---------- Kubernetes ----------

type k8sObject struct {
	file string
	doc
}

func (o k8sObject) kind() string { return str(o.doc, "kind") }
func (o k8sObject) name() string { return str(o.doc, "metadata", "name") }

func k8sObjects(t *testing.T) []k8sObject {
	t.Helper()
	var objs []k8sObject
	for _, f := range yamlFiles(t) {
		if filepath.Base(f.path) == "docker-compose.yml" {
			continue
		}
		for _, d := range f.docs {
			objs = append(objs, k8sObject{file: f.path, doc: d})
		}
	}
	return objs
}

func find(objs []k8sObject, kind, name string) (k8sObject, bool) {
	for _, o := range objs {
		if o.kind() == kind && o.name() == name {
			return o, true
		}
	}
	return k8sObject{}, false
}

func TestKubernetesObjectsAreWellFormed(t *testing.T) {
	objs := k8sObjects(t)
	seen := map[string]bool{}
	for _, o := range objs {
		if str(o.doc, "apiVersion") == "" || o.kind() == "" || o.name() == "" {
			t.Errorf("%s: a document lacks apiVersion, kind or metadata.name: %v", o.file, o.doc)
			continue
		}
		if o.kind() != "Namespace" && str(o.doc, "metadata", "namespace") != "contest" {
			t.Errorf("%s: %s/%s is not in namespace contest", o.file, o.kind(), o.name())
		}
		key := o.kind() + "/" + o.name()
		if seen[key] {
			t.Errorf("%s: %s defined twice", o.file, key)
		}
		seen[key] = true
	}
	for _, want := range []string{"Namespace/contest", "ConfigMap/contest-config", "Secret/contest-secrets",
		"Deployment/contest-api", "Deployment/contest-worker", "Service/contest-api", "Job/contest-migrate",
		"HorizontalPodAutoscaler/contest-api", "HorizontalPodAutoscaler/contest-worker"} {
		if !seen[want] {
			t.Errorf("deploy/k8s has no %s", want)
		}
	}
}

// workload is a Deployment or Job running the contest image.
type workload struct {
	k8sObject
	pod       map[string]any
	container map[string]any
	command   string
}

func workloads(t *testing.T, objs []k8sObject) []workload {
	t.Helper()
	var out []workload
	for _, o := range objs {
		if o.kind() != "Deployment" && o.kind() != "Job" {
			continue
		}
		pod := mapping(o.doc, "spec", "template", "spec")
		cs := list(pod, "containers")
		if len(cs) != 1 {
			t.Errorf("%s: %s/%s: want exactly one container, got %d", o.file, o.kind(), o.name(), len(cs))
			continue
		}
		c, _ := cs[0].(map[string]any)
		args := list(c, "args")
		cmd := ""
		if len(args) > 0 {
			cmd, _ = args[0].(string)
		}
		out = append(out, workload{k8sObject: o, pod: pod, container: c, command: cmd})
	}
	return out
}

func servedRoutes() map[string]bool {
	served := map[string]bool{}
	for _, r := range api.NewRouter(api.Deps{}).Routes() {
		served[r.Method+" "+r.Path] = true
	}
	return served
}

func TestKubernetesWorkloads(t *testing.T) {
	objs := k8sObjects(t)
	served := servedRoutes()
	cm, _ := find(objs, "ConfigMap", "contest-config")
	secret, _ := find(objs, "Secret", "contest-secrets")
	httpPort := ""
	if _, port, err := net.SplitHostPort(str(cm.doc, "data", "HTTP_ADDR")); err == nil {
		httpPort = port
	} else {
		t.Errorf("ConfigMap contest-config: HTTP_ADDR %q is not host:port", str(cm.doc, "data", "HTTP_ADDR"))
	}
	byCommand := map[string][]workload{}
	for _, w := range workloads(t, objs) {
		where := w.file + ": " + w.kind() + "/" + w.name()
		byCommand[w.command] = append(byCommand[w.command], w)
		if !slices.Contains(commands, w.command) {
			t.Errorf("%s: args %v do not start with a contest subcommand", where, list(w.container, "args"))
		}
		if img := str(w.container, "image"); !strings.Contains(img, "contest") {
			t.Errorf("%s: image %q is not the contest image", where, img)
		}
		// Environment: only names the binary reads; secrets only from the Secret.
		for _, e := range list(w.container, "env") {
			name := str(e, "name")
			if !slices.Contains(binaryEnv, name) {
				t.Errorf("%s: env %s is not read by the binary", where, name)
			}
			if slices.Contains(secretEnv, name) {
				ref := mapping(e, "valueFrom", "secretKeyRef")
				if ref == nil || str(ref, "name") != secret.name() || get(secret.doc, "stringData", str(ref, "key")) == nil {
					t.Errorf("%s: %s must come from a key of Secret %s", where, name, secret.name())
				}
			}
		}
		for _, e := range list(w.container, "envFrom") {
			if n := str(e, "configMapRef", "name"); n != "" {
				if _, ok := find(objs, "ConfigMap", n); !ok {
					t.Errorf("%s: envFrom ConfigMap %s does not exist", where, n)
				}
			}
		}
		// Resources.
		for _, kind := range []string{"requests", "limits"} {
			for _, r := range []string{"cpu", "memory"} {
				if get(w.container, "resources", kind, r) == nil {
					t.Errorf("%s: no resources.%s.%s", where, kind, r)
				}
			}
		}
		// Non-root, read-only root filesystem, no privilege escalation.
		nonRoot := get(w.pod, "securityContext", "runAsNonRoot") == true || get(w.container, "securityContext", "runAsNonRoot") == true
		if !nonRoot {
			t.Errorf("%s: runAsNonRoot is not true", where)
		}
		for _, sc := range []any{get(w.pod, "securityContext", "runAsUser"), get(w.container, "securityContext", "runAsUser")} {
			if sc == 0 {
				t.Errorf("%s: runAsUser 0", where)
			}
		}
		if get(w.container, "securityContext", "readOnlyRootFilesystem") != true {
			t.Errorf("%s: readOnlyRootFilesystem is not true", where)
		}
		if get(w.container, "securityContext", "allowPrivilegeEscalation") != false {
			t.Errorf("%s: allowPrivilegeEscalation is not false", where)
		}
		// Only the API serves HTTP: probes must hit routes it really serves, on its port.
		for _, probe := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
			p := mapping(w.container, probe, "httpGet")
			if p == nil {
				continue
			}
			if w.command != "serve" {
				t.Errorf("%s: %s uses HTTP but `contest %s` serves no HTTP", where, probe, w.command)
				continue
			}
			if !served["GET "+str(p, "path")] {
				t.Errorf("%s: %s path %q is not a route of api.NewRouter", where, probe, str(p, "path"))
			}
			if port := containerPort(w.container, get(p, "port")); port != httpPort {
				t.Errorf("%s: %s port resolves to %q, HTTP_ADDR listens on %q", where, probe, port, httpPort)
			}
		}
		if w.command == "serve" {
			if str(w.container, "readinessProbe", "httpGet", "path") != "/readyz" {
				t.Errorf("%s: readinessProbe must be GET /readyz (PostgreSQL and Temporal)", where)
			}
			if str(w.container, "livenessProbe", "httpGet", "path") != "/healthz" {
				t.Errorf("%s: livenessProbe must be GET /healthz", where)
			}
			if r, _ := get(w.doc, "spec", "replicas").(int); r < 2 {
				t.Errorf("%s: replicas %v, want at least 2", where, get(w.doc, "spec", "replicas"))
			}
			// A read-only root needs a writable VIDEO_DIR.
			if !mountsPath(w, str(cm.doc, "data", "VIDEO_DIR")) {
				t.Errorf("%s: VIDEO_DIR %q is not on a mounted volume (read-only root filesystem)", where, str(cm.doc, "data", "VIDEO_DIR"))
			}
		}
	}
	for _, want := range []string{"serve", "worker", "migrate"} {
		if len(byCommand[want]) == 0 {
			t.Errorf("no workload runs `contest %s`", want)
		}
	}
	for _, w := range byCommand["migrate"] {
		if w.kind() != "Job" {
			t.Errorf("%s: migrate should be a Job, is a %s", w.file, w.kind())
		}
	}
	if !served["GET /metrics"] {
		t.Error("the API does not serve GET /metrics")
	}
}

func containerPort(c map[string]any, port any) string {
	switch p := port.(type) {
	case int:
		return itoa(p)
	case string:
		for _, cp := range list(c, "ports") {
			if str(cp, "name") == p {
				if n, ok := get(cp, "containerPort").(int); ok {
					return itoa(n)
				}
			}
		}
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func mountsPath(w workload, path string) bool {
	for _, m := range list(w.container, "volumeMounts") {
		if mp := str(m, "mountPath"); mp != "" && (path == mp || strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) {
			return true
		}
	}
	return false
}

func TestKubernetesConfigAndSecret(t *testing.T) {
	objs := k8sObjects(t)
	cm, ok := find(objs, "ConfigMap", "contest-config")
	if !ok {
		t.Fatal("no ConfigMap contest-config")
	}
	for key := range mapping(cm.doc, "data") {
		if !slices.Contains(binaryEnv, key) {
			t.Errorf("ConfigMap key %s is not read by the binary", key)
		}
		if slices.Contains(secretEnv, key) {
			t.Errorf("ConfigMap holds %s, which belongs in the Secret", key)
		}
	}
	secret, ok := find(objs, "Secret", "contest-secrets")
	if !ok {
		t.Fatal("no Secret contest-secrets")
	}
	data := mapping(secret.doc, "stringData")
	for _, key := range secretEnv {
		v := str(data, key)
		if !strings.Contains(v, "CHANGE_ME") {
			t.Errorf("Secret %s: %s must be a clearly marked placeholder (CHANGE_ME), got %q", secret.name(), key, v)
		}
	}
	for key := range data {
		if !slices.Contains(binaryEnv, key) {
			t.Errorf("Secret key %s is not read by the binary", key)
		}
	}
	if get(secret.doc, "data") != nil {
		t.Error("Secret has base64 data: keep only stringData placeholders in the repository")
	}
	// The manifests name the Temporal Cloud / mTLS variables; while the binary does not read
	// them, the comment must say so (and they must not be set, which the env checks enforce).
	src := binarySources(t)
	raw := readFile(t, cm.file)
	for _, name := range temporalAuthEnv {
		if !strings.Contains(raw, name) {
			t.Errorf("%s does not mention %s", cm.file, name)
		}
		if !strings.Contains(src, `"`+name+`"`) && !strings.Contains(raw, "DOES NOT READ THEM YET") {
			t.Errorf("%s: the binary does not read %s; the comment must say so", cm.file, name)
		}
	}
}

func TestKubernetesServiceAndAutoscalers(t *testing.T) {
	objs := k8sObjects(t)
	apiDep, ok := find(objs, "Deployment", "contest-api")
	if !ok {
		t.Fatal("no Deployment contest-api")
	}
	svc, _ := find(objs, "Service", "contest-api")
	podLabels := mapping(apiDep.doc, "spec", "template", "metadata", "labels")
	for k, v := range mapping(svc.doc, "spec", "selector") {
		if podLabels[k] != v {
			t.Errorf("Service contest-api selector %s=%v does not match the api pods", k, v)
		}
	}
	c := list(apiDep.doc, "spec", "template", "spec", "containers")
	for _, p := range list(svc.doc, "spec", "ports") {
		if tp := get(p, "targetPort"); len(c) == 0 || containerPort(c[0].(map[string]any), tp) == "" {
			t.Errorf("Service contest-api targetPort %v is not a port of the api container", tp)
		}
	}
	for _, o := range objs {
		if o.kind() != "Deployment" {
			continue
		}
		found := false
		for _, h := range objs {
			if h.kind() != "HorizontalPodAutoscaler" || str(h.doc, "spec", "scaleTargetRef", "name") != o.name() {
				continue
			}
			found = true
			if str(h.doc, "apiVersion") != "autoscaling/v2" || str(h.doc, "spec", "scaleTargetRef", "kind") != "Deployment" {
				t.Errorf("HPA %s: want autoscaling/v2 targeting a Deployment", h.name())
			}
			cpu := false
			for _, m := range list(h.doc, "spec", "metrics") {
				if str(m, "resource", "name") == "cpu" && get(m, "resource", "target", "averageUtilization") == 70 {
					cpu = true
				}
			}
			if !cpu {
				t.Errorf("HPA %s: no CPU target of 70%%", h.name())
			}
		}
		if !found {
			t.Errorf("Deployment %s has no HorizontalPodAutoscaler", o.name())
		}
	}
}

// ---------- docker compose ----------

func composeFile(t *testing.T) yamlFile {
	t.Helper()
	for _, f := range yamlFiles(t) {
		if filepath.Base(f.path) == "docker-compose.yml" {
			if len(f.docs) != 1 {
				t.Fatalf("%s: want one document", f.path)
			}
			return f
		}
	}
	t.Fatal("no deploy/docker-compose.yml")
	return yamlFile{}
}

func TestCompose(t *testing.T) {
	f := composeFile(t)
	services := mapping(f.docs[0], "services")
	for _, want := range []string{"postgresql", "redis", "temporal", "temporal-ui", "contest-migrate", "api", "worker"} {
		if services[want] == nil {
			t.Errorf("compose has no service %s", want)
		}
	}
	if img := str(services, "postgresql", "image"); !strings.HasPrefix(img, "postgres:15") {
		t.Errorf("postgresql image %q, want postgres:15", img)
	}
	if img := str(services, "redis", "image"); !strings.HasPrefix(img, "redis:7") {
		t.Errorf("redis image %q, want redis:7", img)
	}
	if img := str(services, "temporal", "image"); !strings.HasPrefix(img, "temporalio/auto-setup") {
		t.Errorf("temporal image %q, want temporalio/auto-setup", img)
	}
	if db := str(services, "temporal", "environment", "DB"); db != "postgres12" {
		t.Errorf("temporal DB=%q, want postgres12", db)
	}
	if seeds := str(services, "temporal", "environment", "POSTGRES_SEEDS"); services[seeds] == nil {
		t.Errorf("temporal POSTGRES_SEEDS=%q is not a service", seeds)
	}
	served := servedRoutes()
	for _, name := range []string{"contest-migrate", "api", "worker"} {
		s := mapping(services, name)
		if s == nil {
			continue
		}
		// Built from deploy/Dockerfile (context relative to deploy/).
		ctx := str(s, "build", "context")
		df := str(s, "build", "dockerfile")
		if ctx == "" || df == "" {
			t.Errorf("service %s is not built from the Dockerfile", name)
		} else if p, want := abs(filepath.Join(deployDir, ctx, df)), abs(filepath.Join(deployDir, "Dockerfile")); p != want {
			t.Errorf("service %s builds %s, want deploy/Dockerfile", name, p)
		} else if _, err := os.Stat(p); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
		want := map[string]string{"contest-migrate": "migrate", "api": "serve", "worker": "worker"}[name]
		if cmd := list(s, "command"); len(cmd) == 0 || cmd[0] != want {
			t.Errorf("service %s command %v, want [%s]", name, cmd, want)
		}
		env := mapping(s, "environment")
		if env == nil {
			t.Errorf("service %s has no environment map", name)
		}
		for k := range env {
			if !slices.Contains(binaryEnv, k) {
				t.Errorf("service %s: env %s is not read by the binary", name, k)
			}
		}
		// Addresses point at compose services.
		for _, k := range []string{"REDIS_ADDR", "TEMPORAL_ADDRESS"} {
			if host, _, err := net.SplitHostPort(str(env, k)); err != nil || services[host] == nil {
				t.Errorf("service %s: %s=%q does not name a compose service", name, k, str(env, k))
			}
		}
		if u, err := url.Parse(str(env, "DATABASE_URL")); err != nil || services[u.Hostname()] == nil {
			t.Errorf("service %s: DATABASE_URL host is not a compose service", name)
		}
		if name != "contest-migrate" && get(s, "depends_on", "contest-migrate", "condition") != "service_completed_successfully" {
			t.Errorf("service %s does not wait for contest-migrate to complete", name)
		}
	}
	// The API's healthcheck hits a route it serves, with the probe the image contains.
	hc := list(services, "api", "healthcheck", "test")
	joined := ""
	for _, part := range hc {
		s, _ := part.(string)
		joined += " " + s
	}
	probe := regexp.MustCompile(`http://[^/\s]+(/[a-z]+)`).FindStringSubmatch(joined)
	if probe == nil || !served["GET "+probe[1]] || (probe[1] != "/readyz" && probe[1] != "/healthz") {
		t.Errorf("api healthcheck %q does not probe /readyz or /healthz", joined)
	}
	if !strings.Contains(joined, "/healthcheck") || !slices.Contains(finalStage(t).copies, "/healthcheck") {
		t.Errorf("api healthcheck %q must use /healthcheck, which the final image stage must contain", joined)
	}
	// HTTP_ADDR binds all interfaces inside the container and its port is the one published.
	addr := str(services, "api", "environment", "HTTP_ADDR")
	host, port, _ := net.SplitHostPort(addr)
	if host != "0.0.0.0" && host != "" {
		t.Errorf("api HTTP_ADDR=%q: a container must listen on all interfaces", addr)
	}
	published := false
	for _, p := range list(services, "api", "ports") {
		if s, _ := p.(string); strings.HasSuffix(s, ":"+port) {
			published = true
		}
	}
	if !published {
		t.Errorf("api does not publish container port %s", port)
	}
}

// ---------- Dockerfile ----------

type stage struct {
	from   string
	lines  []string // instructions, continuation lines joined, heredoc bodies removed
	user   string
	copies []string // destinations of COPY
}

func dockerStages(t *testing.T) []stage {
	t.Helper()
	raw := readFile(t, deployDir, "Dockerfile")
	var stages []stage
	sc := bufio.NewScanner(strings.NewReader(raw))
	heredoc := regexp.MustCompile(`<<-?'?"?([A-Z_]+)'?"?`)
	var cur string
	endHeredoc := ""
	emit := func(instr string) {
		instr = strings.TrimSpace(instr)
		if instr == "" {
			return
		}
		word, rest, _ := strings.Cut(instr, " ")
		switch strings.ToUpper(word) {
		case "FROM":
			stages = append(stages, stage{from: strings.Fields(rest)[0]})
		case "USER":
			if len(stages) > 0 {
				stages[len(stages)-1].user = strings.TrimSpace(rest)
			}
		case "COPY":
			if len(stages) > 0 {
				f := strings.Fields(rest)
				stages[len(stages)-1].copies = append(stages[len(stages)-1].copies, f[len(f)-1])
			}
		}
		if len(stages) > 0 {
			stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, instr)
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if endHeredoc != "" {
			if strings.TrimSpace(line) == endHeredoc {
				endHeredoc = ""
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		if cur == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if m := heredoc.FindStringSubmatch(line); m != nil {
			endHeredoc = m[1]
			line = strings.Replace(line, m[0], "", 1)
		}
		if strings.HasSuffix(trimmed, "\\") && endHeredoc == "" {
			cur += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		emit(cur + line)
		cur = ""
	}
	emit(cur)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: want a multi-stage build, got %d stage(s)", len(stages))
	}
	return stages
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

func finalStage(t *testing.T) stage {
	s := dockerStages(t)
	return s[len(s)-1]
}

func TestDockerfile(t *testing.T) {
	stages := dockerStages(t)
	build := stages[0]
	if !strings.HasPrefix(build.from, "golang:1.26") {
		t.Errorf("builder FROM %s, want golang:1.26", build.from)
	}
	all := strings.Join(build.lines, "\n")
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags "-s -w"`, "./cmd/contest"} {
		if !strings.Contains(all, want) {
			t.Errorf("builder stage lacks %s", want)
		}
	}
	final := stages[len(stages)-1]
	if !strings.HasPrefix(final.from, "gcr.io/distroless/static") && final.from != "scratch" {
		t.Errorf("final stage FROM %s, want distroless static or scratch", final.from)
	}
	uid, _, _ := strings.Cut(final.user, ":")
	if uid == "" || uid == "0" || uid == "root" {
		t.Errorf("final stage USER %q: must run as non-root", final.user)
	}
	if uid != "65532" {
		t.Errorf("final stage USER %q: want the numeric 65532 so that runAsNonRoot can check it", final.user)
	}
	text := strings.Join(final.lines, "\n")
	if !strings.Contains(text, `ENTRYPOINT ["/contest"]`) || !strings.Contains(text, `CMD ["serve"]`) {
		t.Errorf("final stage must have ENTRYPOINT [\"/contest\"] and CMD [\"serve\"]:\n%s", text)
	}
	if !slices.Contains(final.copies, "/contest") {
		t.Error("final stage does not copy the binary to /contest")
	}
}
