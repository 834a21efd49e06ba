package validate

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestTemporalChartValues checks deploy/temporal/values.yaml, the values for the official
// Temporal Helm chart, against the rest of the deployment: pinned chart, the server version
// the project runs, PostgreSQL persistence and SQL visibility only, a history shard count
// that is set on purpose, credentials from Secrets, metrics scraped, and the namespace and
// frontend address the application is configured with.
func TestTemporalChartValues(t *testing.T) {
	raw := readFile(t, deployDir, "temporal", "values.yaml")
	var v doc
	if err := yaml.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatalf("values.yaml: %v", err)
	}
	pins := regexp.MustCompile(`chart "temporal" version (\d+\.\d+\.\d+)`).FindStringSubmatch(raw)
	if pins == nil {
		t.Fatal(`values.yaml does not pin the chart version (chart "temporal" version X.Y.Z)`)
	}
	if !strings.Contains(raw, "--version "+pins[1]) || !strings.Contains(raw, "temporal-"+pins[1]) {
		t.Errorf("values.yaml: the install command or the tag does not use chart version %s", pins[1])
	}
	// The server version the project runs and measures.
	tag := str(v, "server", "image", "tag")
	if !strings.Contains(readFile(t, deployDir, "temporal-server.sh"), "SERVER_VERSION=v"+tag+"\n") {
		t.Errorf("server.image.tag %q is not the version of deploy/temporal-server.sh", tag)
	}
	if got := str(v, "admintools", "image", "tag"); got != tag {
		t.Errorf("admintools.image.tag %q (it runs the schema Job), want the server's %q", got, tag)
	}
	compose := str(composeFile(t).docs[0], "services", "temporal", "image")
	if compose != "temporalio/server:"+tag {
		t.Errorf("compose runs %s, the chart temporalio/server:%s", compose, tag)
	}
	// PostgreSQL only.
	for _, bad := range []string{"elasticsearch:", "cassandra:"} {
		if regexp.MustCompile(`(?m)^\s*` + bad).MatchString(raw) {
			t.Errorf("values.yaml configures %s: persistence and visibility are PostgreSQL only", strings.TrimSuffix(bad, ":"))
		}
	}
	if get(v, "shims", "elasticsearchTool") != false || get(v, "shims", "dockerize") != false {
		t.Error("shims.dockerize and shims.elasticsearchTool must be false for server images ≥ 1.30")
	}
	persistence := mapping(v, "server", "config", "persistence")
	if str(persistence, "defaultStore") != "default" || str(persistence, "visibilityStore") != "visibility" {
		t.Errorf("persistence stores %v/%v, want default/visibility", persistence["defaultStore"], persistence["visibilityStore"])
	}
	appDB, err := url.Parse(str(findIn(t, "Secret", "contest-secrets").doc, "stringData", "DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	for store, db := range map[string]string{"default": "temporal", "visibility": "temporal_visibility"} {
		sql := mapping(persistence, "datastores", store, "sql")
		if sql == nil || len(mapping(persistence, "datastores", store)) != 1 {
			t.Errorf("datastore %s: want sql only", store)
			continue
		}
		if str(sql, "pluginName") != "postgres12_pgx" || str(sql, "databaseName") != db {
			t.Errorf("datastore %s: plugin %q database %q, want postgres12_pgx %s", store, str(sql, "pluginName"), str(sql, "databaseName"), db)
		}
		if _, ok := sql["password"]; ok || str(sql, "existingSecret") == "" {
			t.Errorf("datastore %s: the password must come from existingSecret, not the values file", store)
		}
		if get(sql, "createDatabase") != true || get(sql, "manageSchema") != true {
			t.Errorf("datastore %s: createDatabase and manageSchema should be true (the chart's schema Job)", store)
		}
		host := strings.Split(str(sql, "connectAddr"), ":")[0]
		if host == "" || host == appDB.Hostname() {
			t.Errorf("datastore %s: connectAddr %q: Temporal's PostgreSQL should be apart from the application's (%s)", store, str(sql, "connectAddr"), appDB.Hostname())
		}
	}
	// The shard count is chosen, and the reason written next to it.
	shards, _ := get(persistence, "numHistoryShards").(int)
	if shards < 4 || shards&(shards-1) != 0 {
		t.Errorf("numHistoryShards %d: want a power of two, chosen on purpose", shards)
	}
	if !regexp.MustCompile(`(?s)can never change.*numHistoryShards: \d+`).MatchString(raw) {
		t.Error("values.yaml does not explain, above numHistoryShards, that it can never change")
	}
	if get(v, "server", "metrics", "serviceMonitor", "enabled") != true {
		t.Error("the Temporal services' metrics are not scraped (server.metrics.serviceMonitor.enabled)")
	}
	// The application's namespace and frontend address.
	cm := findIn(t, "ConfigMap", "contest-config")
	ns := str(cm.doc, "data", "TEMPORAL_NAMESPACE")
	created := false
	for _, n := range list(v, "server", "config", "namespaces", "namespace") {
		created = created || str(n, "name") == ns
	}
	if get(v, "server", "config", "namespaces", "create") != true || !created {
		t.Errorf("the chart does not create the namespace %q the application uses", ns)
	}
	if addr := str(cm.doc, "data", "TEMPORAL_ADDRESS"); !strings.Contains(raw, addr) ||
		addr != "temporal-frontend.temporal.svc.cluster.local:7233" {
		t.Errorf("TEMPORAL_ADDRESS %q is not the frontend of release temporal in namespace temporal", addr)
	}
	for _, svc := range []string{"frontend", "history", "matching", "worker"} {
		if n, _ := get(v, "server", svc, "replicaCount").(int); n < 2 {
			t.Errorf("server.%s.replicaCount %d: want at least 2", svc, n)
		}
		if get(v, "server", svc, "podDisruptionBudget", "maxUnavailable") != 1 {
			t.Errorf("server.%s has no PodDisruptionBudget with maxUnavailable 1", svc)
		}
		if get(v, "server", svc, "resources", "requests", "cpu") == nil {
			t.Errorf("server.%s has no resources", svc)
		}
	}
}

// findIn returns an object of the base render.
func findIn(t *testing.T, kind, name string) k8sObject {
	t.Helper()
	o, ok := find(render(t, "base"), kind, name)
	if !ok {
		t.Fatalf("the base has no %s %s", kind, name)
	}
	return o
}
