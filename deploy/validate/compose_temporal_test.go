package validate

import (
	"strings"
	"testing"
)

// checkComposeTemporal: Temporal in compose runs as in production, the temporalio/server
// image after a schema step with temporal-sql-tool (admin-tools of the same version), on
// PostgreSQL databases of its own with SQL visibility; temporalio/auto-setup, deprecated
// and not for production, appears nowhere.
func checkComposeTemporal(t *testing.T, services map[string]any) {
	for name := range services {
		if img := str(services, name, "image"); strings.Contains(img, "auto-setup") {
			t.Errorf("service %s runs %s", name, img)
		}
	}
	server := str(services, "temporal", "image")
	if !strings.HasPrefix(server, "temporalio/server:") {
		t.Errorf("temporal image %q, want temporalio/server", server)
	}
	version := strings.TrimPrefix(server, "temporalio/server:")
	if !strings.Contains(readFile(t, deployDir, "temporal-server.sh"), "SERVER_VERSION=v"+version+"\n") {
		t.Errorf("temporal image %s is not the server version of deploy/temporal-server.sh", server)
	}
	env := mapping(services, "temporal", "environment")
	if db := str(env, "DB"); db != "postgres12_pgx" {
		t.Errorf("temporal DB=%q, want postgres12_pgx", db)
	}
	if seeds := str(env, "POSTGRES_SEEDS"); services[seeds] == nil {
		t.Errorf("temporal POSTGRES_SEEDS=%q is not a service", seeds)
	}
	for _, k := range []string{"ENABLE_ES", "ES_SEEDS", "CASSANDRA_SEEDS"} {
		if _, ok := env[k]; ok {
			t.Errorf("temporal sets %s: persistence and visibility are PostgreSQL only", k)
		}
	}
	if get(services, "temporal", "depends_on", "temporal-schema", "condition") != "service_completed_successfully" {
		t.Error("temporal does not wait for temporal-schema to complete")
	}
	schema := mapping(services, "temporal-schema")
	if img := str(schema, "image"); img != "temporalio/admin-tools:"+version {
		t.Errorf("temporal-schema image %q, want temporalio/admin-tools:%s (the server's version)", img, version)
	}
	script := ""
	for _, part := range list(schema, "command") {
		s, _ := part.(string)
		script += s
	}
	for _, want := range []string{"temporal-sql-tool", "--plugin postgres12_pgx ", " create", "setup-schema -v 0.0", "update-schema -d",
		"postgresql/v12/$$dir/versioned", "temporal:temporal", "temporal_visibility:visibility"} {
		if !strings.Contains(script, want) {
			t.Errorf("temporal-schema command lacks %q:\n%s", want, script)
		}
	}
	// The server uses the databases the schema step set up, not the application's.
	appDB := "contest"
	for key, want := range map[string]string{"DBNAME": "temporal", "VISIBILITY_DBNAME": "temporal_visibility"} {
		if got := str(env, key); got != want || got == appDB {
			t.Errorf("temporal %s=%q, want %q (set up by temporal-schema)", key, got, want)
		}
	}
	ns := mapping(services, "temporal-namespace")
	if img := str(ns, "image"); img != "temporalio/admin-tools:"+version {
		t.Errorf("temporal-namespace image %q, want temporalio/admin-tools:%s", img, version)
	}
	nsScript := ""
	for _, part := range list(ns, "command") {
		s, _ := part.(string)
		nsScript += s
	}
	appNamespace := str(services, "api", "environment", "TEMPORAL_NAMESPACE")
	if !strings.Contains(nsScript, "namespace create --namespace "+appNamespace) {
		t.Errorf("temporal-namespace does not create the namespace %q the application uses", appNamespace)
	}
	for _, name := range []string{"api", "worker"} {
		if get(services, name, "depends_on", "temporal-namespace", "condition") != "service_completed_successfully" {
			t.Errorf("service %s does not wait for the namespace to exist", name)
		}
	}
}
