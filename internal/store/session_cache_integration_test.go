//go:build integration

package store_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
)

// The session cache against PostgreSQL: one store caches (the API replica under test),
// another on the same database changes sessions and accounts (another replica, or psql).
// The cache's ttl is an hour, so only a notification can make a change visible in time.
func TestSessionCacheFollowsChangesMadeElsewhere(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cached := testenv.NewDatabase(t)
	other, err := store.Open(ctx, cached.Pool().Config().ConnString(), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	cached.CacheSessions(ctx, time.Hour, slog.Default())
	eventually(t, "the cache to go live", func() bool { return cached.SessionCacheStats().Live })

	newSession := func(t *testing.T) (int64, []byte) {
		t.Helper()
		var uid int64
		if err := cached.Pool().QueryRow(ctx, `
			INSERT INTO users (full_name, phone, agency_id, password_hash, role)
			VALUES ('Người thi', $1, (SELECT min(id) FROM agencies), 'x', 'participant') RETURNING id`,
			testenv.UniquePhone()).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		token := []byte(testenv.UniquePhone() + "-token")
		if err := cached.CreateSession(ctx, uid, token, time.Hour); err != nil {
			t.Fatal(err)
		}
		// Twice: the second lookup must be a hit, or the test would prove nothing.
		before := cached.SessionCacheStats().Hits
		for range 2 {
			if _, err := cached.UserBySession(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		if cached.SessionCacheStats().Hits != before+1 {
			t.Fatalf("the session was not served from the cache: %+v", cached.SessionCacheStats())
		}
		return uid, token
	}

	t.Run("another replica logs the account out everywhere", func(t *testing.T) {
		uid, token := newSession(t)
		if err := other.RevokeAllSessions(ctx, uid); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the revoked session to be refused", func() bool {
			_, err := cached.UserBySession(ctx, token)
			return errors.Is(err, contest.ErrNotFound)
		})
	})
	t.Run("another replica marks the account a tester", func(t *testing.T) {
		uid, token := newSession(t)
		if _, err := other.SetTester(ctx, uid, "", true, nil); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the tester mark to be seen", func() bool {
			u, err := cached.UserBySession(ctx, token)
			return err == nil && u.IsTester
		})
	})
	t.Run("psql renames the account", func(t *testing.T) {
		uid, token := newSession(t)
		if _, err := other.Pool().Exec(ctx, `UPDATE users SET full_name = 'Lê Thị Cúc' WHERE id = $1`, uid); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the new name to be seen", func() bool {
			u, err := cached.UserBySession(ctx, token)
			return err == nil && u.FullName == "Lê Thị Cúc"
		})
	})
	t.Run("psql deletes the sessions", func(t *testing.T) {
		_, token := newSession(t)
		if _, err := other.Pool().Exec(ctx, `TRUNCATE sessions`); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the deleted session to be refused", func() bool {
			_, err := cached.UserBySession(ctx, token)
			return errors.Is(err, contest.ErrNotFound)
		})
	})
	// What this process changes itself is seen by its very next lookup.
	t.Run("this replica logs out, resets and changes passwords", func(t *testing.T) {
		_, token := newSession(t)
		if err := cached.RevokeSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := cached.UserBySession(ctx, token); !errors.Is(err, contest.ErrNotFound) {
			t.Fatalf("logged-out session: %v, want not found", err)
		}
		uid, token := newSession(t)
		if err := cached.ResetPassword(ctx, uid, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if _, err := cached.UserBySession(ctx, token); !errors.Is(err, contest.ErrNotFound) {
			t.Fatalf("session after a reset: %v, want not found", err)
		}
		uid, token = newSession(t)
		if err := cached.ChangePassword(ctx, uid, "newer-hash", token); err != nil {
			t.Fatal(err)
		}
		if u, err := cached.UserBySession(ctx, token); err != nil || u.MustChangePassword {
			t.Fatalf("the session that changed the password: %+v, %v", u, err)
		}
	})
	t.Run("the listening connection is killed", func(t *testing.T) {
		uid, token := newSession(t)
		if _, err := other.Pool().Exec(ctx, `
			SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%'`); err != nil {
			t.Fatal(err)
		}
		// A revocation made while nobody listens (the listener reconnects after a second)
		// has no notification: the cache must have forgotten what it held.
		if err := other.RevokeAllSessions(ctx, uid); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the session revoked while nobody listened to be refused", func() bool {
			_, err := cached.UserBySession(ctx, token)
			return errors.Is(err, contest.ErrNotFound)
		})
		// ...and the cache comes back by itself.
		eventually(t, "the cache to go live again", func() bool { return cached.SessionCacheStats().Live })
		newSession(t)
	})
}

// eventually waits up to 15 s for cond, generous for a loaded machine: what is measured is
// whether the change arrives at all, with an hour's ttl as the alternative.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
