//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// BenchmarkRankRound100kAttempts ranks a round of 100,000 finished attempts end to end:
// load the results from PostgreSQL, apply the ranking rules, write the 100,000 ranking
// rows back with COPY. Run with: go test -run x -bench RankRound100k -benchtime 3x ./integration/
func BenchmarkRankRound100kAttempts(b *testing.B) {
	ctx := context.Background()
	st, roundID := seedBenchRound(b)
	const n = benchRoundAttempts
	acts := &activities.Activities{Store: st}
	req := workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking, Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}
	b.ResetTimer()
	for b.Loop() {
		sum, err := acts.RankRound(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Participants != n {
			b.Fatalf("ranked %d participants, want %d", sum.Participants, n)
		}
	}
}

// benchRoundAttempts is the size of the round seedBenchRound makes.
const benchRoundAttempts = 100_000

// seedBenchRound makes a fresh database holding one closed round of 100,000 participants,
// each with one submitted attempt and its result (0 to 10 correct, spread by a hash).
func seedBenchRound(b *testing.B) (*store.Store, int64) {
	b.Helper()
	ctx := context.Background()
	st := testenv.NewDatabase(b)
	pool := st.Pool()
	setup := []string{
		`INSERT INTO campaigns (code, name, prediction_question, is_default) VALUES ('bench', 'bench', '?', true)`,
		`INSERT INTO rounds (campaign_id, number, opens_at, closes_at) SELECT id, 1, now() - interval '8 days', now() - interval '1 day' FROM campaigns`,
		`INSERT INTO users (full_name, phone, password_hash, role)
		 SELECT 'Người thi ' || g, '09' || lpad(g::text, 8, '0'), 'x', 'participant' FROM generate_series(1, 100000) g`,
		`INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
		 SELECT r.id, u.id, 1, 'submitted', r.opens_at + (u.id % 600000) * interval '1 second',
		        r.opens_at + (u.id % 600000) * interval '1 second' + interval '630 seconds',
		        r.opens_at + (u.id % 600000) * interval '1 second' + (u.id % 630) * interval '1 second', u.id % 500
		 FROM users u, rounds r`,
		`INSERT INTO results (attempt_id, round_id, participant_id, correct_count, question_count, prediction, time_used_ms, finished_at, auto_submitted)
		 SELECT a.id, a.round_id, a.participant_id, (hashtext(a.id::text) & 2147483647) % 11, 10, a.prediction,
		        extract(epoch FROM a.finished_at - a.started_at)::bigint * 1000, a.finished_at, false FROM attempts a`,
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	var roundID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM rounds`).Scan(&roundID); err != nil {
		b.Fatal(err)
	}
	return st, roundID
}
