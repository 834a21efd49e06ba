//go:build integration

package integration

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/testenv"
)

// A login refused as busy gets a retry ticket; coming back with it, it takes its place
// ahead of a login that arrived later, which is refused in its stead. Without tickets a
// rush's retries are a lottery: some participants waited two minutes while later ones got in.
func TestRetryTicketKeepsPlaceInTheHashingQueue(t *testing.T) {
	pool := auth.NewPool(1, 1, 20*time.Second)
	previous := auth.SetDefaultPool(pool)
	t.Cleanup(func() { auth.SetDefaultPool(previous) })
	limits := api.DefaultLimits
	limits.LoginPerIP = api.Limit{Max: 10000, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits})
	var agencies []struct{ ID int64 }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	first, later := testenv.UniquePhone(), testenv.UniquePhone()
	for _, phone := range []string{first, later} {
		s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
			"full_name": "Trần Thị Xếp Hàng", "date_of_birth": "1987-03-09", "phone": phone,
			"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
		})
	}
	login := func(phone, ticket string) testenv.Response {
		c := s.NewClient(t)
		if ticket != "" {
			c.Header = http.Header{"X-Retry-Ticket": {ticket}}
		}
		return c.Raw("POST", "/api/v1/sessions", `{"phone":"`+phone+`","password":"mat-khau-thu"}`)
	}
	waitQueued := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for pool.Stats().Waiting != n {
			if time.Now().After(deadline) {
				t.Fatalf("%d waiting for a hashing slot, want %d", pool.Stats().Waiting, n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	// The slot is busy and the one waiting place taken (by the test itself).
	holding, hold := make(chan struct{}), make(chan struct{})
	go func() { _ = pool.Do(context.Background(), func() { close(holding); <-hold }) }()
	<-holding
	queuedHold, releaseQueued := make(chan struct{}), make(chan struct{})
	go func() { _ = pool.Do(context.Background(), func() { close(queuedHold); <-releaseQueued }) }()
	waitQueued(1)

	refused := login(first, "")
	ticket := refused.Header.Get("X-Retry-Ticket")
	if refused.Status != http.StatusServiceUnavailable || refused.Header.Get("Retry-After") == "" || ticket == "" {
		t.Fatalf("full queue: %d Retry-After %q ticket %q, want 503 with both", refused.Status, refused.Header.Get("Retry-After"), ticket)
	}

	// The waiting place frees up and is taken by a login that came after the refused one.
	close(hold)
	<-queuedHold
	laterAnswer := make(chan testenv.Response, 1)
	go func() { laterAnswer <- login(later, "") }()
	waitQueued(1)

	// The refused login comes back with its ticket: the later one makes way for it.
	firstAnswer := make(chan testenv.Response, 1)
	go func() { firstAnswer <- login(first, ticket) }()
	select {
	case r := <-laterAnswer:
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("X-Retry-Ticket") == "" {
			t.Fatalf("later login pushed out: %d ticket %q, want 503 with a ticket of its own", r.Status, r.Header.Get("X-Retry-Ticket"))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the later login was not pushed out by the earlier ticket")
	}
	close(releaseQueued)
	if r := <-firstAnswer; r.Status != http.StatusOK {
		t.Fatalf("earlier login with its ticket: %d %s, want 200", r.Status, r.Body)
	}
}
