package validate

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestKubernetesProductionShape checks, in the base and each overlay, what a platform team
// asks of a production deployment: the HPAs own the replica count, every Deployment has a
// PodDisruptionBudget, resources, probes and a non-root security context, the
// NetworkPolicies select real pods and let through what the processes need, the Ingress
// carries video uploads, and the ServiceMonitor scrapes both processes.
func TestKubernetesProductionShape(t *testing.T) {
	forEachRender(t, renders, func(t *testing.T, objs []k8sObject) {
		checkDeploymentsShape(t, objs)
		checkNetworkPolicies(t, objs)
		checkIngress(t, objs)
		checkServiceMonitor(t, objs)
	})
}

func TestKubernetesOverlays(t *testing.T) {
	for _, dir := range overlays {
		t.Run(strings.ReplaceAll(dir, "/", "_"), func(t *testing.T) {
			objs := render(t, dir)
			for _, w := range workloads(t, objs) {
				img := str(w.container, "image")
				_, tag := splitImage(img)
				tag = strings.TrimLeft(tag, ":")
				if tag == "" || strings.Contains(img, "CHANGE_ME") || tag == "latest" {
					t.Errorf("%s: %s/%s image %q: want a real tag (not CHANGE_ME, latest or none)", dir, w.kind(), w.name(), img)
				}
			}
		})
	}
	prod := render(t, "overlays/prod")
	// The production Secret is created out of band: applying placeholders would replace it.
	if s, ok := find(prod, "Secret", "contest-secrets"); ok {
		t.Errorf("overlays/prod applies Secret %s (placeholders from %s)", s.name(), s.file)
	}
	// Contest day: at least two of each, and a drain never takes them all.
	for _, name := range []string{"contest-api", "contest-worker"} {
		h, _ := find(prod, "HorizontalPodAutoscaler", name)
		minR, _ := get(h.doc, "spec", "minReplicas").(int)
		if minR < 2 {
			t.Errorf("overlays/prod: HPA %s minReplicas %d, want at least 2", name, minR)
		}
		pdb, _ := find(prod, "PodDisruptionBudget", name)
		if mu, _ := get(pdb.doc, "spec", "maxUnavailable").(int); mu < 1 || mu >= minR {
			t.Errorf("overlays/prod: PDB %s maxUnavailable %v with minReplicas %d: want 1 ≤ it < minReplicas", name, get(pdb.doc, "spec", "maxUnavailable"), minR)
		}
	}
}

func podLabels(o k8sObject) map[string]any {
	return mapping(o.doc, "spec", "template", "metadata", "labels")
}

// selects reports whether a label selector (matchLabels, matchExpressions with In) matches
// labels. An empty selector matches everything, as in Kubernetes.
func selects(sel map[string]any, labels map[string]any) bool {
	for k, v := range mapping(sel, "matchLabels") {
		if labels[k] != v {
			return false
		}
	}
	for _, e := range list(sel, "matchExpressions") {
		if str(e, "operator") != "In" || !slices.Contains(list(e, "values"), labels[str(e, "key")]) {
			return false
		}
	}
	return true
}

func checkDeploymentsShape(t *testing.T, objs []k8sObject) {
	for _, d := range objs {
		if d.kind() != "Deployment" {
			continue
		}
		where := d.file + ": Deployment/" + d.name()
		if r, ok := mapping(d.doc, "spec")["replicas"]; ok {
			t.Errorf("%s: replicas %v: the HPA owns the count, and this field would reset it on every apply", where, r)
		}
		var hpas, pdbs []k8sObject
		for _, o := range objs {
			if o.kind() == "HorizontalPodAutoscaler" && str(o.doc, "spec", "scaleTargetRef", "name") == d.name() {
				hpas = append(hpas, o)
			}
			if o.kind() == "PodDisruptionBudget" && selects(mapping(o.doc, "spec", "selector"), podLabels(d)) {
				pdbs = append(pdbs, o)
			}
		}
		if len(hpas) != 1 {
			t.Errorf("%s: %d HorizontalPodAutoscalers, want one", where, len(hpas))
		} else {
			minR, _ := get(hpas[0].doc, "spec", "minReplicas").(int)
			maxR, _ := get(hpas[0].doc, "spec", "maxReplicas").(int)
			if minR < 1 || maxR < minR {
				t.Errorf("%s: HPA min %d max %d", where, minR, maxR)
			}
		}
		if len(pdbs) != 1 {
			t.Errorf("%s: %d PodDisruptionBudgets select its pods, want one", where, len(pdbs))
		} else if get(pdbs[0].doc, "apiVersion") != "policy/v1" || mapping(pdbs[0].doc, "spec", "selector") == nil {
			t.Errorf("%s: PDB %s: want policy/v1 with a selector", where, pdbs[0].name())
		}
		pod := mapping(d.doc, "spec", "template", "spec")
		if get(pod, "securityContext", "runAsNonRoot") != true {
			t.Errorf("%s: pod securityContext.runAsNonRoot is not true", where)
		}
		if u, _ := get(pod, "securityContext", "runAsUser").(int); u == 0 {
			t.Errorf("%s: pod securityContext.runAsUser is 0 or unset", where)
		}
		for _, c := range list(pod, "containers") {
			for _, kind := range []string{"requests", "limits"} {
				for _, r := range []string{"cpu", "memory"} {
					if get(c, "resources", kind, r) == nil {
						t.Errorf("%s: container %s has no resources.%s.%s", where, str(c, "name"), kind, r)
					}
				}
			}
			for _, p := range []string{"readinessProbe", "livenessProbe"} {
				if get(c, p, "httpGet", "path") == nil {
					t.Errorf("%s: container %s has no HTTP %s", where, str(c, "name"), p)
				}
			}
			if get(c, "securityContext", "allowPrivilegeEscalation") != false {
				t.Errorf("%s: container %s may escalate privileges", where, str(c, "name"))
			}
		}
	}
}

// envPort is the port of host:port in the ConfigMap key, or of DATABASE_URL in the Secret.
func envPort(t *testing.T, objs []k8sObject, key string) int {
	cm, _ := find(objs, "ConfigMap", "contest-config")
	addr := str(cm.doc, "data", key)
	if key == "DATABASE_URL" {
		s, _ := contestSecret(t, objs)
		u, err := url.Parse(str(s.doc, "stringData", key))
		if err != nil {
			t.Fatalf("DATABASE_URL: %v", err)
		}
		addr = u.Host
	}
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s=%q: %v", key, addr, err)
	}
	n, _ := strconv.Atoi(p)
	return n
}

func policyPorts(rule any) []int {
	var out []int
	for _, p := range list(rule, "ports") {
		if n, ok := get(p, "port").(int); ok {
			out = append(out, n)
		}
	}
	return out
}

func checkNetworkPolicies(t *testing.T, objs []k8sObject) {
	var pods []k8sObject
	for _, o := range objs {
		if o.kind() == "Deployment" || o.kind() == "Job" {
			pods = append(pods, o)
		}
	}
	var policies []k8sObject
	for _, np := range objs {
		if np.kind() != "NetworkPolicy" {
			continue
		}
		policies = append(policies, np)
		n := 0
		for _, p := range pods {
			if selects(mapping(np.doc, "spec", "podSelector"), podLabels(p)) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: NetworkPolicy %s selects no pod of the application", np.file, np.name())
		}
	}
	// Default deny: every application pod is under a policy with both types and no rule.
	for _, p := range pods {
		denied := false
		for _, np := range policies {
			spec := mapping(np.doc, "spec")
			types := list(spec, "policyTypes")
			if selects(mapping(spec, "podSelector"), podLabels(p)) && slices.Contains(types, "Ingress") &&
				slices.Contains(types, "Egress") && spec["ingress"] == nil && spec["egress"] == nil {
				denied = true
			}
		}
		if !denied {
			t.Errorf("%s/%s: no default-deny NetworkPolicy selects its pods", p.kind(), p.name())
		}
	}
	// What each process must reach (ports from its configuration) and who may reach it.
	egressPorts := func(p k8sObject) []int {
		var out []int
		for _, np := range policies {
			if selects(mapping(np.doc, "spec", "podSelector"), podLabels(p)) {
				for _, r := range list(np.doc, "spec", "egress") {
					out = append(out, policyPorts(r)...)
				}
			}
		}
		return out
	}
	needs := []int{53, envPort(t, objs, "DATABASE_URL"), envPort(t, objs, "REDIS_ADDR"), envPort(t, objs, "TEMPORAL_ADDRESS")}
	for _, name := range []string{"contest-api", "contest-worker"} {
		d, _ := find(objs, "Deployment", name)
		got := egressPorts(d)
		for _, port := range needs {
			if !slices.Contains(got, port) {
				t.Errorf("Deployment %s: no egress to port %d (DNS, PostgreSQL, Redis, Temporal: %v)", name, port, needs)
			}
		}
	}
	if j, ok := find(objs, "Job", "contest-migrate"); ok && !slices.Contains(egressPorts(j), envPort(t, objs, "DATABASE_URL")) {
		t.Error("Job contest-migrate: no egress to PostgreSQL")
	}
	// The API takes traffic from the ingress controller on its container port.
	api, _ := find(objs, "Deployment", "contest-api")
	apiPort, _ := get(api.doc, "spec", "template", "spec", "containers", "0", "ports", "0", "containerPort").(int)
	fromIngress := false
	for _, np := range policies {
		if !selects(mapping(np.doc, "spec", "podSelector"), podLabels(api)) {
			continue
		}
		for _, r := range list(np.doc, "spec", "ingress") {
			for _, from := range list(r, "from") {
				if str(from, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") == "ingress-nginx" &&
					slices.Contains(policyPorts(r), apiPort) {
					fromIngress = true
				}
			}
			for _, from := range list(r, "from") {
				if mapping(from, "namespaceSelector") == nil && mapping(from, "podSelector") == nil {
					t.Errorf("NetworkPolicy %s lets anything (ipBlock) reach the API", np.name())
				}
			}
		}
	}
	if !fromIngress {
		t.Errorf("no NetworkPolicy lets the ingress controller reach the API on port %d", apiPort)
	}
}

// nginxSize parses an nginx size ("2100m", "1g", "512k", "1024") into bytes.
func nginxSize(s string) int64 {
	m := regexp.MustCompile(`^(\d+)([kKmMgG]?)$`).FindStringSubmatch(s)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	switch strings.ToLower(m[2]) {
	case "k":
		n <<= 10
	case "m":
		n <<= 20
	case "g":
		n <<= 30
	}
	return n
}

func checkIngress(t *testing.T, objs []k8sObject) {
	ing, ok := find(objs, "Ingress", "contest-api")
	if !ok {
		t.Fatal("no Ingress contest-api")
	}
	ann := mapping(ing.doc, "metadata", "annotations")
	cm, _ := find(objs, "ConfigMap", "contest-config")
	maxVideo, _ := strconv.ParseInt(str(cm.doc, "data", "VIDEO_MAX_BYTES"), 10, 64)
	if body := nginxSize(str(ann, "nginx.ingress.kubernetes.io/proxy-body-size")); body <= maxVideo {
		t.Errorf("Ingress: proxy-body-size %q is not above VIDEO_MAX_BYTES %d: the largest clip is refused at the edge",
			str(ann, "nginx.ingress.kubernetes.io/proxy-body-size"), maxVideo)
	}
	for _, k := range []string{"proxy-send-timeout", "proxy-read-timeout"} {
		if n, _ := strconv.Atoi(str(ann, "nginx.ingress.kubernetes.io/"+k)); n < 300 {
			t.Errorf("Ingress: %s %q: want at least 300 s for a video upload", k, str(ann, "nginx.ingress.kubernetes.io/"+k))
		}
	}
	if str(ann, "nginx.ingress.kubernetes.io/proxy-request-buffering") != "off" {
		t.Error("Ingress: proxy-request-buffering is not off: nginx would spool each upload to its disk first")
	}
	// Behind the Ingress every request comes from the controller: unless the API believes
	// its X-Forwarded-For (TRUSTED_PROXIES), all participants share one address in the
	// rate limits, the login throttle and the audit log.
	if env := configMapEnv(objs); strings.TrimSpace(env["TRUSTED_PROXIES"]) == "" {
		t.Error("Ingress contest-api fronts the API but ConfigMap contest-config does not set TRUSTED_PROXIES (the controller's pod CIDR)")
	} else if cfg, err := configFor(env); err != nil || len(cfg.TrustedProxies) == 0 {
		t.Errorf("ConfigMap contest-config: TRUSTED_PROXIES=%q: %v", env["TRUSTED_PROXIES"], err)
	}
	tlsHosts := map[any]bool{}
	for _, tl := range list(ing.doc, "spec", "tls") {
		if str(tl, "secretName") == "" {
			t.Error("Ingress: a tls entry has no secretName")
		}
		for _, h := range list(tl, "hosts") {
			tlsHosts[h] = true
		}
	}
	rules := list(ing.doc, "spec", "rules")
	if len(rules) == 0 {
		t.Error("Ingress has no rules")
	}
	for _, r := range rules {
		if !tlsHosts[get(r, "host")] {
			t.Errorf("Ingress: host %v is not covered by TLS", get(r, "host"))
		}
		for _, p := range list(r, "http", "paths") {
			svc, ok := find(objs, "Service", str(p, "backend", "service", "name"))
			port := str(p, "backend", "service", "port", "name")
			if !ok || !slices.ContainsFunc(list(svc.doc, "spec", "ports"), func(sp any) bool { return str(sp, "name") == port }) {
				t.Errorf("Ingress: backend %s port %q is not a Service port", str(p, "backend", "service", "name"), port)
			}
			if port == "metrics" {
				t.Errorf("Ingress: backend %s routes to the metrics port: /metrics must stay off the public entry", str(p, "backend", "service", "name"))
			}
		}
	}
}

func checkServiceMonitor(t *testing.T, objs []k8sObject) {
	sm, ok := find(objs, "ServiceMonitor", "contest")
	if !ok {
		t.Fatal("no ServiceMonitor contest")
	}
	if str(sm.doc, "apiVersion") != "monitoring.coreos.com/v1" {
		t.Errorf("ServiceMonitor apiVersion %q", str(sm.doc, "apiVersion"))
	}
	var endpointPorts []string
	for _, e := range list(sm.doc, "spec", "endpoints") {
		endpointPorts = append(endpointPorts, str(e, "port"))
		if str(e, "path") != "/metrics" {
			t.Errorf("ServiceMonitor endpoint %s path %q, want /metrics", str(e, "port"), str(e, "path"))
		}
	}
	servers := podServers()
	for name, command := range map[string]string{"contest-api": "serve", "contest-worker": "worker"} {
		svc, ok := find(objs, "Service", name)
		if !ok {
			t.Errorf("no Service %s for the ServiceMonitor", name)
			continue
		}
		if !selects(mapping(sm.doc, "spec", "selector"), mapping(svc.doc, "metadata", "labels")) {
			t.Errorf("ServiceMonitor does not select Service %s", name)
		}
		d, _ := find(objs, "Deployment", name)
		if !selects(doc{"matchLabels": mapping(svc.doc, "spec", "selector")}, podLabels(d)) {
			t.Errorf("Service %s does not select the pods of Deployment %s", name, name)
		}
		scraped := false
		for _, p := range list(svc.doc, "spec", "ports") {
			if slices.Contains(endpointPorts, str(p, "name")) {
				scraped = true
			}
		}
		if !scraped {
			t.Errorf("no ServiceMonitor endpoint names a port of Service %s", name)
		}
		if command == "serve" && servers[command].serves("/metrics") {
			t.Errorf("%s serves /metrics on its public listener", command)
		}
		if !metricsServer.serves("/metrics") {
			t.Errorf("%s does not serve /metrics on METRICS_ADDR", command)
		}
		// The scraped Service port leads to METRICS_ADDR's container port.
		w := workloadNamed(t, objs, name)
		cfg, err := configFor(literalEnv(w, objs))
		if err != nil {
			t.Errorf("Deployment %s: %v", name, err)
			continue
		}
		want, _, _ := listenPort(cfg.MetricsAddr)
		for _, p := range list(svc.doc, "spec", "ports") {
			if slices.Contains(endpointPorts, str(p, "name")) {
				if got := containerPort(w.container, get(p, "targetPort")); got != want {
					t.Errorf("Service %s port %s (scraped) leads to container port %q, METRICS_ADDR listens on %q", name, str(p, "name"), got, want)
				}
			}
		}
	}
}

// configMapEnv is the data of ConfigMap contest-config.
func configMapEnv(objs []k8sObject) map[string]string {
	env := map[string]string{}
	if cm, ok := find(objs, "ConfigMap", "contest-config"); ok {
		for k, v := range mapping(cm.doc, "data") {
			s, _ := v.(string)
			env[k] = s
		}
	}
	return env
}

// workloadNamed is the workload (Deployment, Job) of that name.
func workloadNamed(t *testing.T, objs []k8sObject, name string) workload {
	t.Helper()
	for _, w := range workloads(t, objs) {
		if w.name() == name {
			return w
		}
	}
	t.Fatalf("no workload %s", name)
	return workload{}
}
