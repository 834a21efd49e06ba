//go:build integration

package integration

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// The demo seed's staff passwords are in the source and the docs: `contest serve` will not
// open on a database where they still work, and `contest accounts reset-demo` replaces
// them (ending their sessions), after which it does.
func TestServeRefusesDemoAccountsWithPublishedPasswords(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	committee := s.Staff(t, "committee") // logged in with the published password
	dbURL := s.Store.Pool().Config().ConnConfig.ConnString()
	env := []string{"DATABASE_URL=" + dbURL, "REDIS_ADDR=" + testenv.RedisAddr(),
		"TEMPORAL_ADDRESS=" + testenv.TemporalAddress(), "TEMPORAL_TASK_QUEUE=" + s.Campaigns.TaskQueue,
		"METRICS_ADDR=" + freeAddr(t), "OTEL_SDK_DISABLED=true", "VIDEO_DIR=" + t.TempDir()}

	refused := startContest(t, append(env, "HTTP_ADDR="+freeAddr(t)), "serve")
	select {
	case err := <-refused.done:
		if err == nil {
			t.Fatal("contest serve exited 0 with demo accounts")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("contest serve started with demo accounts whose passwords are published")
	}
	for _, d := range seed.DemoStaff {
		if !strings.Contains(refused.stderr.String(), d.Phone) {
			t.Errorf("the refusal does not name demo account %s:\n%s", d.Phone, refused.stderr.String())
		}
	}

	out, stderr, err := runAccounts(t, s, "", "reset-demo")
	if err != nil {
		t.Fatalf("accounts reset-demo: %v\n%s", err, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != len(seed.DemoStaff)+1 {
		t.Fatalf("reset-demo printed %q (%v), want a header and %d accounts", out, err, len(seed.DemoStaff))
	}
	if r := committee.Do("GET", "/api/v1/audit", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("a session opened with the published password still works: %d", r.Status)
	}
	anonymous := s.NewClient(t)
	for _, row := range rows[1:] {
		phone, password := row[1], row[3]
		for _, d := range seed.DemoStaff {
			if d.Phone == phone {
				if r := anonymous.Raw("POST", "/api/v1/sessions", fmt.Sprintf(`{"phone":%q,"password":%q}`, phone, d.Password)); r.Status != http.StatusUnauthorized {
					t.Errorf("the published password of %s still logs in: %d", phone, r.Status)
				}
			}
		}
		if r := anonymous.Raw("POST", "/api/v1/sessions", fmt.Sprintf(`{"phone":%q,"password":%q}`, phone, password)); r.Status != http.StatusOK {
			t.Errorf("the new password of %s does not log in: %d %s", phone, r.Status, r.Body)
		}
	}

	addr := freeAddr(t)
	startContest(t, append(env, "HTTP_ADDR="+addr), "serve")
	waitStatus(t, "http://"+addr+"/healthz", http.StatusOK, 60*time.Second)
}
