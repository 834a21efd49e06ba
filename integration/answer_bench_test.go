//go:build integration

package integration

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// The exam's hot SQL paths against real PostgreSQL (a fresh database per benchmark, the
// demo campaign seeded with round 1 open). Run with:
//
//	go test -run '^$' -bench 'SaveAnswer|StartAttempt|FinalizeAttempt' -benchtime 2000x ./integration/

// benchRound seeds the demo campaign and returns its open round.
func benchRound(b *testing.B) (*store.Store, int64) {
	b.Helper()
	ctx := context.Background()
	st := testenv.NewDatabase(b)
	if _, err := seed.Load(ctx, st, seed.Options{DemoAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	r, err := st.CurrentRound(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return st, r.ID
}

// benchParticipants inserts n participant accounts in one statement.
func benchParticipants(b *testing.B, st *store.Store, n int) []int64 {
	b.Helper()
	rows, err := st.Pool().Query(context.Background(), `
		INSERT INTO users (full_name, phone, agency_id, password_hash, role)
		SELECT 'Người thi ' || g, 'bench-' || g, (SELECT min(id) FROM agencies), 'x', 'participant'
		FROM generate_series(1, $1::int) AS g RETURNING id`, n)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return ids
}

var benchSeed atomic.Uint64

func benchDraw() store.DrawFunc {
	rng := rand.New(rand.NewPCG(benchSeed.Add(1), 7))
	return func(pool []int64, n int) ([]int64, [][4]int, error) {
		ids, err := rules.DrawQuestions(pool, n, rng)
		if err != nil {
			return nil, nil, err
		}
		orders := make([][4]int, n)
		for i := range orders {
			orders[i] = rules.ShuffleOptions(rng)
		}
		return ids, orders, nil
	}
}

// BenchmarkSaveAnswer is one guarded answer write (PUT …/answers/{no} minus HTTP and the
// session lookup), on one open attempt, cycling through its 10 questions.
func BenchmarkSaveAnswer(b *testing.B) {
	ctx := context.Background()
	st, roundID := benchRound(b)
	uid := benchParticipants(b, st, 1)[0]
	a, err := st.StartAttempt(ctx, roundID, uid, benchDraw())
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if err := st.SaveAnswer(ctx, a.ID, uid, i%10+1, i%4); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSaveAnswerParallel saves answers from many participants at once (8 goroutines
// per core, each on its own attempt), as a round in full swing does.
func BenchmarkSaveAnswerParallel(b *testing.B) {
	ctx := context.Background()
	st, roundID := benchRound(b)
	uids := benchParticipants(b, st, 256)
	type open struct{ attempt, user int64 }
	attempts := make([]open, len(uids))
	for i, uid := range uids {
		a, err := st.StartAttempt(ctx, roundID, uid, benchDraw())
		if err != nil {
			b.Fatal(err)
		}
		attempts[i] = open{a.ID, uid}
	}
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		mine := attempts[int(next.Add(1)-1)%len(attempts)]
		i := 0
		for pb.Next() {
			if err := st.SaveAnswer(ctx, mine.attempt, mine.user, i%10+1, i%4); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// BenchmarkStartAttempt is the start transaction (checks, draw, insert attempt and its
// 10 questions, read them back): one new participant per iteration.
func BenchmarkStartAttempt(b *testing.B) {
	ctx := context.Background()
	st, roundID := benchRound(b)
	uids := benchParticipants(b, st, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := st.StartAttempt(ctx, roundID, uids[i], benchDraw()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFinalizeAttempt grades and closes one attempt with 10 answers, as the
// workflow's activity (or a bare-mode submit) does.
func BenchmarkFinalizeAttempt(b *testing.B) {
	ctx := context.Background()
	st, roundID := benchRound(b)
	uids := benchParticipants(b, st, b.N)
	ids := make([]int64, b.N)
	for i, uid := range uids {
		a, err := st.StartAttempt(ctx, roundID, uid, benchDraw())
		if err != nil {
			b.Fatal(err)
		}
		for no := 1; no <= len(a.Questions); no++ {
			if err := st.SaveAnswer(ctx, a.ID, uid, no, no%4); err != nil {
				b.Fatal(err)
			}
		}
		ids[i] = a.ID
	}
	acts := &activities.Activities{Store: st}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := acts.FinalizeAttempt(ctx, workflows.FinalizeRequest{AttemptID: ids[i], Manual: true}); err != nil {
			b.Fatal(err)
		}
	}
}
