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
// nothing here, workflows on no driver, the API on neither workflows nor activities, and
// only the worker and the composition roots wire the activities in.
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
	t.Run("only the worker and the composition roots import activities", func(t *testing.T) {
		allowed := []string{module + "/worker", module + "/cmd/contest", module + "/internal/testenv"}
		for _, line := range goList(t, "-f", `{{.ImportPath}}={{join .Imports ","}}`, "./...") {
			pkg, imports, _ := strings.Cut(line, "=")
			if slices.Contains(strings.Split(imports, ","), module+"/activities") && !slices.Contains(allowed, pkg) {
				t.Errorf("%s imports activities", pkg)
			}
		}
	})
}
