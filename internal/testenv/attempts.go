package testenv

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// OpenAttempt starts an attempt of round roundID for a participant inserted straight into
// the database (no API, no password hashing), drawing its questions as the API does.
func OpenAttempt(t testing.TB, st *store.Store, roundID int64) store.Attempt {
	t.Helper()
	ctx := context.Background()
	var uid int64
	if err := st.Pool().QueryRow(ctx, `
		INSERT INTO users (full_name, phone, agency_id, password_hash, role)
		VALUES ('Người thi', $1, (SELECT min(id) FROM agencies), 'x', 'participant') RETURNING id`,
		UniquePhone()).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(uid), 1))
	a, err := st.StartAttempt(ctx, roundID, uid, func(pool []int64, n int) ([]int64, [][4]int, error) {
		ids, err := rules.DrawQuestions(pool, n, rng)
		orders := make([][4]int, n)
		for i := range orders {
			orders[i] = rules.ShuffleOptions(rng)
		}
		return ids, orders, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// ExpireAttempt moves an open attempt's deadline a second into the past.
func ExpireAttempt(t testing.TB, st *store.Store, attemptID int64) {
	t.Helper()
	if _, err := st.Pool().Exec(context.Background(),
		`UPDATE attempts SET started_at = now() - interval '11 minutes', deadline = now() - interval '1 second' WHERE id = $1`, attemptID); err != nil {
		t.Fatal(err)
	}
}
