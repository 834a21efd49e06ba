package contest_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/hpcontest/contest"

// drivers are the packages that reach outside the process: a database, Redis, mail, files.
var drivers = []string{"pgx", "asynq", "go-redis", "excelize", "net/smtp"}

// goList runs `go list` with a template over packages of this module.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

// The direction of dependencies (docs/architecture.md): the domain package depends on
// nothing here, workflows on no driver, the API on neither workflows nor activities, only
// the worker and the composition root (internal/app) wire the activities in, and only
// internal/jobs speaks asynq.
func TestDependenciesPointOneWay(t *testing.T) {
	t.Run("domain imports nothing of the module", func(t *testing.T) {
		for _, imp := range goList(t, "-f", `{{join .Imports " "}}`, ".") {
			if strings.HasPrefix(imp, module+"/") {
				t.Errorf("package contest imports %s", imp)
			}
		}
		for _, dep := range goList(t, "-deps", ".") {
			for _, driver := range drivers {
				if strings.Contains(dep, driver) {
					t.Errorf("package contest depends on %s", dep)
				}
			}
		}
	})
	t.Run("workflows pull in no driver", func(t *testing.T) {
		for _, dep := range goList(t, "-deps", "./workflows") {
			for _, banned := range append(drivers, module+"/activities", module+"/internal/store") {
				if strings.Contains(dep, banned) {
					t.Errorf("workflows depend on %s", dep)
				}
			}
		}
	})
	t.Run("api imports neither workflows nor activities", func(t *testing.T) {
		imports := goList(t, "-f", `{{join .Imports " "}}`, "./api")
		for _, banned := range []string{module + "/workflows", module + "/activities"} {
			if slices.Contains(imports, banned) {
				t.Errorf("api imports %s", banned)
			}
		}
	})
	t.Run("only the worker and the composition root import activities", func(t *testing.T) {
		onlyImportedBy(t, module+"/activities", module+"/worker", module+"/internal/app")
	})
	t.Run("activities and api enqueue through interfaces, without asynq", func(t *testing.T) {
		for _, dep := range goList(t, "-deps", "./activities", "./api") {
			if strings.Contains(dep, "asynq") || dep == module+"/internal/jobs" {
				t.Errorf("activities or api depend on %s", dep)
			}
		}
	})
	t.Run("only internal/jobs imports asynq", func(t *testing.T) {
		onlyImportedBy(t, "github.com/hibiken/asynq", module+"/internal/jobs")
	})
}

// onlyImportedBy fails for every package of the module, apart from allowed, that imports
// dep (test files aside: tests may call an activity directly).
func onlyImportedBy(t *testing.T, dep string, allowed ...string) {
	t.Helper()
	for _, line := range goList(t, "-f", `{{.ImportPath}}={{join .Imports ","}}`, "./...") {
		pkg, imports, _ := strings.Cut(line, "=")
		if slices.Contains(strings.Split(imports, ","), dep) && !slices.Contains(allowed, pkg) {
			t.Errorf("%s imports %s", pkg, dep)
		}
	}
}
