//go:build integration

package integration

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/testenv"
)

// A burst of logins larger than the hashing pool gets 200 or 503 busy with Retry-After,
// never a 500, and never runs more hashes at once than the pool allows.
func TestLoginRushIsBoundedByTheHashingPool(t *testing.T) {
	pool := auth.NewPool(2, 2, 200*time.Millisecond)
	previous := auth.SetDefaultPool(pool)
	t.Cleanup(func() { auth.SetDefaultPool(previous) })
	limits := api.DefaultLimits
	limits.LoginPerIP = api.Limit{Max: 10000, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits})
	c := s.NewClient(t)
	var agencies []struct{ ID int64 }
	c.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Nguyễn Văn Vội", "date_of_birth": "1988-05-17", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})

	const logins = 40
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
	)
	for i := 0; i < logins; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := s.NewClient(t).Raw("POST", "/api/v1/sessions", `{"phone":"`+phone+`","password":"mat-khau-thu"}`)
			mu.Lock()
			defer mu.Unlock()
			counts[r.Status]++
			if r.Status == http.StatusServiceUnavailable && (r.Header.Get("Retry-After") == "" || r.ErrorCode() != "busy") {
				t.Errorf("503 without Retry-After or code busy: %s %q", r.Header.Get("Retry-After"), r.ErrorCode())
			}
		}()
	}
	wg.Wait()
	t.Logf("answers by status: %v; pool %+v", counts, pool.Stats())
	for status := range counts {
		if status != http.StatusOK && status != http.StatusServiceUnavailable {
			t.Errorf("%d logins answered %d", counts[status], status)
		}
	}
	if counts[http.StatusOK] == 0 || counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("want both admitted and refused logins in a burst of %d over a pool of 2: %v", logins, counts)
	}
	if peak := pool.Stats().PeakFlight; peak > 2 {
		t.Errorf("%d hashes ran at once, the pool allows 2", peak)
	}
}
