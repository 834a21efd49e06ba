// Package validate checks the deployment files under deploy/ offline: the Dockerfile, the
// compose file and the Kubernetes manifests are parsed and checked for structure and for
// agreement with the code: the routes the API and the worker's metrics server serve (probes,
// scrapes, healthchecks hit them on the right port), the environment variables the binary
// reads (names, and values run through internal/config as the process would), shutdown
// timing, and how the Temporal TLS / API key Secrets reach the processes.
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
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/config"
)

const deployDir = ".."

var repoRoot = filepath.Join("..", "..")

// binaryEnv is every environment variable the contest binary reads. TestBinaryEnvList keeps
// it honest against internal/config/config.go and cmd/contest.
var binaryEnv = []string{
	"DATABASE_URL", "DATABASE_MAX_CONNS", "REDIS_ADDR",
	"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TASK_QUEUE",
	"HTTP_ADDR", "SESSION_TTL", "SESSION_CACHE_TTL", "SWEEP_INTERVAL", "SWEEP_GRACE",
	"VIDEO_DIR", "VIDEO_MAX_BYTES",
	"HASH_PROCESS", "HASH_WORKERS", "HASH_NICE",
	"SMTP_ADDR", "SMTP_FROM", "SMTP_USERNAME", "SMTP_PASSWORD",
	"PPROF_ADDR", // cmd/contest/loadtest_command.go, loopback only
	"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_API_KEY",
	"METRICS_ADDR", "SHUTDOWN_TIMEOUT", "SHUTDOWN_DELAY",
	"TRUSTED_PROXIES", // reverse proxies whose X-Forwarded-For is believed
	"MAX_CONNECTIONS", // open connections the API listener holds at most
	// Registration's proof of work (internal/config/challenge.go).
	"CHALLENGE", "CHALLENGE_SECRET", "CHALLENGE_DIFFICULTY", "CHALLENGE_TTL",
	"LOG_FORMAT", "LOG_LEVEL", // cmd/contest/observability.go through config.Logging
	// Tracing switches and the exporter's protocol (internal/tracing/tracing.go); the
	// OpenTelemetry SDK reads the other OTEL_* variables itself.
	"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER",
	"OTEL_SDK_DISABLED", "OTEL_SERVICE_NAME",
	"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
}

// forbiddenEnv are read by the binary but must never be set by a deployment file:
// COOKIE_INSECURE=1 (api/sessions_cookie.go) drops Secure and the __Host- prefix of the
// session cookies, a development-only escape hatch.
var forbiddenEnv = []string{"COOKIE_INSECURE"}

// secretEnv must come from a Secret, never a ConfigMap or a literal in a manifest, and the
// repository's Secret holds a CHANGE_ME placeholder for each.
var secretEnv = []string{"DATABASE_URL", "SMTP_PASSWORD", "CHALLENGE_SECRET"}

// optionalSecretEnv must come from a Secret too, but only some installations have it: the
// Deployments reference it with optional: true and the repository's Secret does not set it
// (any value, even a placeholder, turns Temporal TLS on and is sent as the API key).
var optionalSecretEnv = []string{"TEMPORAL_API_KEY"}

// The subcommands of cmd/contest/main.go a container may run.
var commands = []string{"serve", "worker", "migrate", "seed", "import-questions", "campaign"}

// temporalCommands dial Temporal (withStack in cmd/contest), so they need its TLS settings.
var temporalCommands = []string{"serve", "worker", "campaign"}

// temporalAuthEnv secure the Temporal client (internal/temporalclient/options.go); the
// ConfigMap documents all of them. temporalTLSFiles are the ones that name files.
var (
	temporalAuthEnv  = []string{"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_API_KEY"}
	temporalTLSFiles = []string{"TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CA"}
)

// metricsRoutes are what `contest worker` and `contest serve` serve on METRICS_ADDR, apart
// from the API's public listener. Package main (cmd/contest/metrics_server.go,
// serveMetrics) cannot be imported, so they are
// written out here and TestWorkerRoutes reads that file to keep them true.
var metricsRoutes = []string{"/metrics", "/healthz", "/readyz"}

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
	src := readFile(t, repoRoot, "internal", "tracing", "tracing.go")
	configFiles, _ := filepath.Glob(filepath.Join(repoRoot, "internal", "config", "*.go"))
	files, _ := filepath.Glob(filepath.Join(repoRoot, "cmd", "contest", "*.go"))
	files = append(configFiles, files...)
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
			t.Errorf("%s is in binaryEnv but neither internal/config, internal/tracing nor cmd/contest reads it", name)
		}
	}
	cookies := readFile(t, repoRoot, "api", "sessions_cookie.go")
	for _, name := range forbiddenEnv {
		if !strings.Contains(cookies, `"`+name+`"`) {
			t.Errorf("%s is in forbiddenEnv but api/sessions_cookie.go does not read it", name)
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

// contestSecret is the Secret contest-secrets of a render, or, where an overlay leaves it
// out because it is created out of band (prod), the base's, whose keys it must have.
func contestSecret(t *testing.T, objs []k8sObject) (k8sObject, bool) {
	t.Helper()
	if s, ok := find(objs, "Secret", "contest-secrets"); ok {
		return s, true
	}
	return find(render(t, "base"), "Secret", "contest-secrets")
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
	forEachRender(t, renders, checkObjectsWellFormed)
}

func checkObjectsWellFormed(t *testing.T, objs []k8sObject) {
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
	for _, want := range []string{"Namespace/contest", "ConfigMap/contest-config",
		"Deployment/contest-api", "Deployment/contest-worker", "Service/contest-api", "Job/contest-migrate",
		"HorizontalPodAutoscaler/contest-api", "HorizontalPodAutoscaler/contest-worker",
		"PodDisruptionBudget/contest-api", "PodDisruptionBudget/contest-worker", "Service/contest-worker",
		"NetworkPolicy/contest-default-deny", "Ingress/contest-api", "ServiceMonitor/contest"} {
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

func TestWorkerRoutes(t *testing.T) {
	src := readFile(t, repoRoot, "cmd", "contest", "metrics_server.go")
	var got []string
	for _, m := range regexp.MustCompile(`\.Handle(?:Func)?\("([A-Z]+) (/[^"]*)"`).FindAllStringSubmatch(src, -1) {
		if m[1] != "GET" {
			t.Errorf("cmd/contest/metrics_server.go: %s %s: probes and scrapes use GET", m[1], m[2])
		}
		got = append(got, m[2])
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(metricsRoutes))
	if !slices.Equal(got, want) {
		t.Errorf("cmd/contest/metrics_server.go serves %v, metricsRoutes says %v: update metricsRoutes and the worker's probes", got, want)
	}
}

// podServer is the HTTP server a command runs, as a probe or a scrape sees it.
type podServer struct {
	addrVar string // the variable holding its listen address
	addr    func(config.Config) string
	serves  func(path string) bool
	source  string
}

func podServers() map[string]podServer {
	served := servedRoutes()
	return map[string]podServer{
		"serve": {"HTTP_ADDR", func(c config.Config) string { return c.HTTPAddr },
			func(p string) bool { return served["GET "+p] }, "api.NewRouter"},
		"worker": metricsServer,
	}
}

// metricsServer is where both `contest serve` and `contest worker` serve /metrics.
var metricsServer = podServer{"METRICS_ADDR", func(c config.Config) string { return c.MetricsAddr },
	func(p string) bool { return slices.Contains(metricsRoutes, p) }, "cmd/contest/metrics_server.go"}

// listenPort splits a listen address; wildcard reports whether it listens on every
// interface, which a probe from the kubelet or a scrape from another pod needs.
func listenPort(addr string) (port string, wildcard bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false, err
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return "", false, errors.New("no fixed port")
	}
	ip := net.ParseIP(host)
	return port, host == "" || (ip != nil && ip.IsUnspecified()), nil
}

var envMu sync.Mutex

// configFor runs the binary's own reading of the environment (config.FromEnv and
// config.Logging) on env, as a process started with exactly these variables would: it
// yields the defaults of what env leaves unset and rejects malformed values.
func configFor(env map[string]string) (config.Config, error) {
	envMu.Lock()
	defer envMu.Unlock()
	names := append(slices.Clone(binaryEnv), forbiddenEnv...)
	saved := map[string]string{}
	for _, k := range names {
		if v, ok := os.LookupEnv(k); ok {
			saved[k] = v
		}
		os.Unsetenv(k)
	}
	defer func() {
		for _, k := range names {
			os.Unsetenv(k)
			if v, ok := saved[k]; ok {
				os.Setenv(k, v)
			}
		}
	}()
	for k, v := range env {
		if slices.Contains(names, k) {
			os.Setenv(k, v)
		}
	}
	cfg, err := config.FromEnv()
	if err == nil {
		_, _, err = config.Logging("json")
	}
	return cfg, err
}

// checkEnvName reports a variable a deployment file must not set.
func checkEnvName(t *testing.T, where, name string) {
	t.Helper()
	switch {
	case slices.Contains(forbiddenEnv, name):
		t.Errorf("%s: %s must never be set in a deployment (development-only escape hatch)", where, name)
	case !slices.Contains(binaryEnv, name):
		t.Errorf("%s: %s is not read by the binary", where, name)
	}
}

// literalEnv is what the container's environment holds with a known value: the data of its
// envFrom ConfigMaps, overridden by env (as Kubernetes does). Variables from a Secret have
// no value known here and are left out.
func literalEnv(w workload, objs []k8sObject) map[string]string {
	env := map[string]string{}
	for _, e := range list(w.container, "envFrom") {
		if cm, ok := find(objs, "ConfigMap", str(e, "configMapRef", "name")); ok {
			for k, v := range mapping(cm.doc, "data") {
				s, _ := v.(string)
				env[str(e, "prefix")+k] = s
			}
		}
	}
	for _, e := range list(w.container, "env") {
		if get(e, "valueFrom") != nil {
			delete(env, str(e, "name"))
		} else {
			env[str(e, "name")] = str(e, "value")
		}
	}
	return env
}

// mountFor is the volume mount under which path lies, and its volume.
func mountFor(w workload, path string) (mount, volume map[string]any) {
	for _, m := range list(w.container, "volumeMounts") {
		mp := str(m, "mountPath")
		if mp == "" || (path != mp && !strings.HasPrefix(path, strings.TrimSuffix(mp, "/")+"/")) {
			continue
		}
		mount = mapping(m)
		for _, v := range list(w.pod, "volumes") {
			if str(v, "name") == str(m, "name") {
				volume = mapping(v)
			}
		}
	}
	return mount, volume
}

// temporalSetup describes how a workload is given its Temporal credentials: the TEMPORAL_*
// variables it takes from Secrets and the Secrets it mounts.
func temporalSetup(w workload) string {
	var parts []string
	for _, e := range list(w.container, "env") {
		if ref := mapping(e, "valueFrom", "secretKeyRef"); ref != nil && strings.HasPrefix(str(e, "name"), "TEMPORAL_") {
			parts = append(parts, "env "+str(e, "name")+" from Secret "+str(ref, "name")+" key "+str(ref, "key"))
		}
	}
	for _, m := range list(w.container, "volumeMounts") {
		if _, v := mountFor(w, str(m, "mountPath")); str(v, "secret", "secretName") != "" {
			parts = append(parts, "Secret "+str(v, "secret", "secretName")+" at "+str(m, "mountPath"))
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

func TestKubernetesWorkloads(t *testing.T) { forEachRender(t, renders, checkWorkloads) }

func checkWorkloads(t *testing.T, objs []k8sObject) {
	servers := podServers()
	secret, _ := contestSecret(t, objs)
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
		checkWorkloadEnv(t, where, w, secret, objs)
		env := literalEnv(w, objs)
		cfg, err := configFor(env)
		if err != nil {
			t.Errorf("%s: the binary rejects its environment: %v", where, err)
		}
		checkWorkloadSecurity(t, where, w)
		checkWorkloadServers(t, where, w, cfg, servers)
		if w.command == "serve" {
			checkServeDrain(t, where, w, cfg)
		}
		checkWorkloadSecrets(t, where, w, env, cfg, secret, objs)
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
	// The API and the worker are given their Temporal credentials alike: an API key or TLS
	// Secret added for one reaches the other.
	var first *workload
	for _, w := range append(slices.Clone(byCommand["serve"]), byCommand["worker"]...) {
		if w.kind() != "Deployment" {
			continue
		}
		if first == nil {
			first = &w
		} else if a, b := temporalSetup(*first), temporalSetup(w); a != b {
			t.Errorf("Temporal credentials differ:\n  %s: %s\n  %s: %s", first.name(), a, w.name(), b)
		}
	}
	if servers["serve"].serves("/metrics") {
		t.Error("the API serves GET /metrics on its public listener: it belongs on METRICS_ADDR (cmd/contest/metrics_server.go)")
	}
	if !metricsServer.serves("/metrics") {
		t.Error("the metrics server does not serve GET /metrics")
	}
}

// checkWorkloadEnv: only names the binary reads and may be given; secrets only from a Secret.
func checkWorkloadEnv(t *testing.T, where string, w workload, secret k8sObject, objs []k8sObject) {
	for _, e := range list(w.container, "env") {
		name := str(e, "name")
		checkEnvName(t, where+": env", name)
		if v, ok := mapping(e)["value"]; ok {
			if _, isString := v.(string); !isString {
				t.Errorf("%s: env %s value %v must be a string", where, name, v)
			}
		}
		ref := mapping(e, "valueFrom", "secretKeyRef")
		if (slices.Contains(secretEnv, name) || slices.Contains(optionalSecretEnv, name)) && ref == nil {
			t.Errorf("%s: %s must come from a Secret (secretKeyRef)", where, name)
		}
		if ref == nil {
			continue
		}
		inRepo := str(ref, "name") == secret.name() && get(secret.doc, "stringData", str(ref, "key")) != nil
		if slices.Contains(secretEnv, name) && !inRepo {
			t.Errorf("%s: %s must come from a key of Secret %s", where, name, secret.name())
		}
		if !inRepo && get(ref, "optional") != true {
			t.Errorf("%s: %s reads key %s of Secret %s, which deploy/k8s does not define: without optional: true the pod does not start until someone adds it",
				where, name, str(ref, "key"), str(ref, "name"))
		}
	}
	for _, e := range list(w.container, "envFrom") {
		if n := str(e, "configMapRef", "name"); n != "" {
			if _, ok := find(objs, "ConfigMap", n); !ok {
				t.Errorf("%s: envFrom ConfigMap %s does not exist", where, n)
			}
		}
	}
}

// checkWorkloadSecurity: resources set; non-root, read-only root filesystem, no
// privilege escalation.
func checkWorkloadSecurity(t *testing.T, where string, w workload) {
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
}

// checkWorkloadServers: probes hit the server the command runs (the API on HTTP_ADDR,
// the worker's own server on METRICS_ADDR), on its port, at paths it serves; Prometheus
// scrapes /metrics on METRICS_ADDR.
func checkWorkloadServers(t *testing.T, where string, w workload, cfg config.Config, servers map[string]podServer) {
	srv, hasServer := servers[w.command]
	port, wildcard := "", false
	if hasServer {
		var err error
		if port, wildcard, err = listenPort(srv.addr(cfg)); err != nil {
			t.Errorf("%s: %s=%q: %v", where, srv.addrVar, srv.addr(cfg), err)
		}
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
		p := mapping(w.container, probe, "httpGet")
		if p == nil {
			continue
		}
		if !hasServer {
			t.Errorf("%s: %s uses HTTP but `contest %s` serves no HTTP", where, probe, w.command)
			continue
		}
		if path := str(p, "path"); !srv.serves(path) || path == "/metrics" {
			t.Errorf("%s: %s path %q is not a health route of `contest %s` (%s)", where, probe, path, w.command, srv.source)
		}
		if got := containerPort(w.container, get(p, "port")); got != port {
			t.Errorf("%s: %s port resolves to %q, %s=%q listens on %q", where, probe, got, srv.addrVar, srv.addr(cfg), port)
		}
		if port != "" && !wildcard {
			t.Errorf("%s: %s=%q: the kubelet probes the pod IP, so listen on 0.0.0.0", where, srv.addrVar, srv.addr(cfg))
		}
	}
	if hasServer && w.kind() == "Deployment" {
		if str(w.container, "readinessProbe", "httpGet", "path") != "/readyz" {
			t.Errorf("%s: readinessProbe must be GET /readyz (PostgreSQL reachable, 503 once draining)", where)
		}
		if str(w.container, "livenessProbe", "httpGet", "path") != "/healthz" {
			t.Errorf("%s: livenessProbe must be GET /healthz", where)
		}
		declared := false
		for _, cp := range list(w.container, "ports") {
			if n, _ := get(cp, "containerPort").(int); port != "" && itoa(n) == port {
				declared = true
			}
		}
		if !declared {
			t.Errorf("%s: no container port %q (%s)", where, port, srv.addrVar)
		}
		// Prometheus scrapes /metrics on METRICS_ADDR (for the API: not its public port).
		port, wildcard := port, wildcard
		srv := srv
		if w.command == "serve" {
			srv = metricsServer
			var err error
			if port, wildcard, err = listenPort(srv.addr(cfg)); err != nil {
				t.Errorf("%s: %s=%q: %v", where, srv.addrVar, srv.addr(cfg), err)
			}
			declared := false
			for _, cp := range list(w.container, "ports") {
				if n, _ := get(cp, "containerPort").(int); port != "" && itoa(n) == port {
					declared = true
				}
			}
			if !declared {
				t.Errorf("%s: no container port %q (%s)", where, port, srv.addrVar)
			}
			if api, _, _ := listenPort(cfg.HTTPAddr); api == port {
				t.Errorf("%s: METRICS_ADDR and HTTP_ADDR share port %s: /metrics must be apart from the public listener", where, port)
			}
		}
		ann := mapping(w.doc, "spec", "template", "metadata", "annotations")
		if str(ann, "prometheus.io/scrape") != "true" {
			t.Errorf("%s: pod annotation prometheus.io/scrape is not \"true\"", where)
		}
		if got := str(ann, "prometheus.io/port"); got != port {
			t.Errorf("%s: prometheus.io/port %q, %s listens on %q", where, got, srv.addrVar, port)
		}
		if got := str(ann, "prometheus.io/path"); got != "/metrics" || !srv.serves(got) {
			t.Errorf("%s: prometheus.io/path %q, want /metrics served by %s", where, got, srv.source)
		}
		if port != "" && !wildcard {
			t.Errorf("%s: %s=%q: Prometheus scrapes the pod IP, so listen on 0.0.0.0", where, srv.addrVar, srv.addr(cfg))
		}
	}
}

// checkServeDrain: the API's VIDEO_DIR is writable and its draining fits the grace period.
func checkServeDrain(t *testing.T, where string, w workload, cfg config.Config) {
	// Replicas: the HPA owns them (TestKubernetesProductionShape).
	// A read-only root needs a writable VIDEO_DIR.
	if !mountsPath(w, cfg.VideoDir) {
		t.Errorf("%s: VIDEO_DIR %q is not on a mounted volume (read-only root filesystem)", where, cfg.VideoDir)
	}
	// Draining (cmd/contest/shutdown.go): SHUTDOWN_DELAY with /readyz at 503 while
	// the Service drops the pod, then SHUTDOWN_TIMEOUT for in-flight requests, all
	// before the kubelet's SIGKILL.
	if cfg.ShutdownDelay <= 0 {
		t.Errorf("%s: SHUTDOWN_DELAY is 0: behind a Service the listener closes before endpoints drop the pod; set a few seconds", where)
	}
	grace := 30 // the Kubernetes default
	if g, ok := get(w.pod, "terminationGracePeriodSeconds").(int); ok {
		grace = g
	}
	if need := cfg.ShutdownDelay + cfg.ShutdownTimeout; time.Duration(grace)*time.Second <= need {
		t.Errorf("%s: terminationGracePeriodSeconds %d must exceed SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT = %s", where, grace, need)
	}
}

// checkWorkloadSecrets: Temporal TLS files and Secret volumes.
func checkWorkloadSecrets(t *testing.T, where string, w workload, env map[string]string, cfg config.Config, secret k8sObject, objs []k8sObject) {
	// Temporal TLS files come from a Secret mounted read-only.
	if slices.Contains(temporalCommands, w.command) {
		if tls := cfg.TemporalTLS; (tls.CertFile == "") != (tls.KeyFile == "") {
			t.Errorf("%s: set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY or neither", where)
		}
		for _, name := range temporalTLSFiles {
			path := env[name]
			if path == "" {
				continue
			}
			m, v := mountFor(w, path)
			switch {
			case m == nil:
				t.Errorf("%s: %s=%s is not on a mounted volume: the process exits at start", where, name, path)
			case str(v, "secret", "secretName") == "":
				t.Errorf("%s: %s=%s: mount %s is not a Secret volume", where, name, path, str(m, "name"))
			}
		}
	}
	// Secret volumes: read-only, and optional unless deploy/k8s defines the Secret.
	for _, v := range list(w.pod, "volumes") {
		sn := str(v, "secret", "secretName")
		if sn == "" {
			continue
		}
		if _, ok := find(append(slices.Clone(objs), secret), "Secret", sn); !ok && get(v, "secret", "optional") != true {
			t.Errorf("%s: volume %s mounts Secret %s, which deploy/k8s does not define: without optional: true the pod does not start until someone creates it", where, str(v, "name"), sn)
		}
		for _, m := range list(w.container, "volumeMounts") {
			if str(m, "name") == str(v, "name") && get(m, "readOnly") != true {
				t.Errorf("%s: Secret volume %s is mounted at %s without readOnly: true", where, str(v, "name"), str(m, "mountPath"))
			}
		}
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

func itoa(n int) string { return strconv.Itoa(n) }

func mountsPath(w workload, path string) bool {
	m, _ := mountFor(w, path)
	return m != nil
}

func TestKubernetesConfigAndSecret(t *testing.T) { forEachRender(t, renders, checkConfigAndSecret) }

func checkConfigAndSecret(t *testing.T, objs []k8sObject) {
	cm, ok := find(objs, "ConfigMap", "contest-config")
	if !ok {
		t.Fatal("no ConfigMap contest-config")
	}
	for key := range mapping(cm.doc, "data") {
		checkEnvName(t, "ConfigMap "+cm.name(), key)
		if slices.Contains(secretEnv, key) || slices.Contains(optionalSecretEnv, key) {
			t.Errorf("ConfigMap holds %s, which belongs in a Secret", key)
		}
	}
	secret, ok := contestSecret(t, objs)
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
	for _, key := range optionalSecretEnv {
		if _, ok := data[key]; ok {
			t.Errorf("Secret %s sets %s: leave it out (commented) in the repository, since any value, even empty or a placeholder, is used", secret.name(), key)
		}
	}
	for key := range data {
		checkEnvName(t, "Secret "+secret.name(), key)
	}
	if get(secret.doc, "data") != nil {
		t.Error("Secret has base64 data: keep only stringData placeholders in the repository")
	}
	// The ConfigMap documents the Temporal Cloud / mTLS variables, which the binary reads.
	src := binarySources(t)
	raw := readFile(t, cm.file)
	for _, name := range temporalAuthEnv {
		if !strings.Contains(raw, name) {
			t.Errorf("%s does not mention %s", cm.file, name)
		}
		if !strings.Contains(src, `"`+name+`"`) {
			t.Errorf("%s is documented in %s but the binary does not read it", name, cm.file)
		}
	}
	if regexp.MustCompile(`(?i)(does not|doesn't|do not) read them`).MatchString(raw) {
		t.Errorf("%s still says the app does not read the Temporal TLS variables", cm.file)
	}
	if !strings.Contains(raw, "tmprl.cloud:7233") {
		t.Errorf("%s does not show a Temporal Cloud address", cm.file)
	}
	// Commented-out keys are meant to be uncommented: they must be valid keys then, and
	// Temporal TLS file paths must lie on the volume the Temporal clients mount.
	var temporalClients []workload
	for _, w := range workloads(t, objs) {
		if w.kind() == "Deployment" && slices.Contains(temporalCommands, w.command) {
			temporalClients = append(temporalClients, w)
		}
	}
	commented := regexp.MustCompile(`(?m)^\s*#\s+([A-Z][A-Z0-9_]+):\s*(\S*)`)
	for _, m := range commented.FindAllStringSubmatch(raw, -1) {
		name, value := m[1], m[2]
		checkEnvName(t, cm.file+": commented key", name)
		if slices.Contains(secretEnv, name) || slices.Contains(optionalSecretEnv, name) {
			t.Errorf("%s: commented key %s belongs in a Secret", cm.file, name)
		}
		if slices.Contains(temporalTLSFiles, name) {
			for _, w := range temporalClients {
				if m, v := mountFor(w, value); m == nil || str(v, "secret", "secretName") == "" {
					t.Errorf("%s: commented %s=%s is not on a Secret volume of %s", cm.file, name, value, w.name())
				}
			}
		}
	}
}

func TestKubernetesServiceAndAutoscalers(t *testing.T) {
	forEachRender(t, renders, checkServiceAndAutoscalers)
}

func checkServiceAndAutoscalers(t *testing.T, objs []k8sObject) {
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
	for _, want := range []string{"postgresql", "redis", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "contest-migrate", "api", "worker"} {
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
	checkComposeTemporal(t, services)
	checkComposeProxies(t, services)
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
			checkEnvName(t, "service "+name+": env", k)
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
	// The API and the worker have a healthcheck on a health route of their server, on its
	// port, with the probe the image contains; both listen on all interfaces.
	servers := podServers()
	for name, command := range map[string]string{"api": "serve", "worker": "worker"} {
		srv := servers[command]
		env := map[string]string{}
		for k, v := range mapping(services, name, "environment") {
			if v != nil { // KEY: with no value passes the host's through: unknown here
				env[k] = fmt.Sprint(v)
			}
		}
		cfg, err := configFor(env)
		if err != nil {
			t.Errorf("service %s: the binary rejects its environment: %v", name, err)
		}
		port, wildcard, err := listenPort(srv.addr(cfg))
		if err != nil {
			t.Errorf("service %s: %s=%q: %v", name, srv.addrVar, srv.addr(cfg), err)
		} else if !wildcard {
			t.Errorf("service %s: %s=%q: a container must listen on all interfaces", name, srv.addrVar, srv.addr(cfg))
		}
		joined := ""
		for _, part := range list(services, name, "healthcheck", "test") {
			s, _ := part.(string)
			joined += " " + s
		}
		probe := regexp.MustCompile(`http://([^/\s]+)(/[a-z]+)`).FindStringSubmatch(joined)
		if probe == nil || !srv.serves(probe[2]) || (probe[2] != "/readyz" && probe[2] != "/healthz") {
			t.Errorf("service %s: healthcheck %q does not probe /readyz or /healthz of %s", name, joined, srv.source)
		} else if _, p, _ := net.SplitHostPort(probe[1]); p != port {
			t.Errorf("service %s: healthcheck %q probes port %q, %s listens on %q", name, joined, p, srv.addrVar, port)
		}
		if !strings.Contains(joined, "/healthcheck") || !slices.Contains(finalStage(t).copies, "/healthcheck") {
			t.Errorf("service %s: healthcheck %q must use /healthcheck, which the final image stage must contain", name, joined)
		}
		// The API's port is the one published.
		if name == "api" {
			published := false
			for _, p := range list(services, "api", "ports") {
				if s, _ := p.(string); port != "" && strings.HasSuffix(s, ":"+port) {
					published = true
				}
			}
			if !published {
				t.Errorf("api does not publish container port %s", port)
			}
		}
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

// reverseProxyImage recognises the images of common reverse proxies.
var reverseProxyImage = regexp.MustCompile(`(^|/)(nginx|caddy|traefik|haproxy|envoy)([:@]|$)`)

// checkComposeProxies: a reverse proxy in front of the API makes every request come from
// the proxy; the API must then believe its X-Forwarded-For (TRUSTED_PROXIES) or all
// clients share one address in the limits and the audit log.
func checkComposeProxies(t *testing.T, services map[string]any) {
	t.Helper()
	for name := range services {
		img := str(services, name, "image")
		if !reverseProxyImage.MatchString(img) {
			continue
		}
		if v := get(services, "api", "environment", "TRUSTED_PROXIES"); v == nil || strings.TrimSpace(fmt.Sprint(v)) == "" {
			t.Errorf("compose service %s (%s) is a reverse proxy, but the api service does not set TRUSTED_PROXIES to its address", name, img)
		}
	}
}
