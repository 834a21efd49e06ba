//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/workflows"
)

// BenchmarkItemAnalysis100kAttempts computes the item analysis of a ranked round of
// 100,000 attempts (the round of BenchmarkRankRound100kAttempts), each having drawn 10 of
// a set of 30 questions with its own shuffle and choices: 1,000,000 answers, aggregated
// in PostgreSQL to a few rows per question, then the statistics in Go. Run with:
// go test -tags integration -run x -bench ItemAnalysis100k -benchtime 3x ./integration/
func BenchmarkItemAnalysis100kAttempts(b *testing.B) {
	ctx := context.Background()
	st, roundID := seedBenchRound(b)
	pool := st.Pool()
	const setSize = 30
	setup := []string{
		`INSERT INTO questions (campaign_id, code, source_document, text, options, correct_option)
		 SELECT c.id, 'Q' || lpad(g::text, 3, '0'), 'Luật', 'Câu ' || g, ARRAY['A', 'B', 'C', 'D'], g % 4
		 FROM campaigns c, generate_series(1, 30) g`,
		`INSERT INTO round_questions (round_id, question_id) SELECT r.id, q.id FROM rounds r, questions q`,
		// Attempt a draws questions (a + 3·no) mod 30, shown in one of four orders, and
		// chooses by a hash (one answer in 20 left blank).
		`INSERT INTO attempt_questions (attempt_id, no, question_id, option_order, choice)
		 SELECT a.id, no, q.id,
		        (CASE a.id % 4 WHEN 0 THEN '{0,1,2,3}' WHEN 1 THEN '{3,2,1,0}' WHEN 2 THEN '{1,0,3,2}' ELSE '{2,3,0,1}' END)::smallint[],
		        CASE WHEN h % 20 = 0 THEN NULL ELSE h % 4 END
		 FROM attempts a CROSS JOIN generate_series(1, 10) no
		 CROSS JOIN LATERAL (SELECT (hashtext(a.id::text || ':' || no) & 2147483647) AS h) hh
		 JOIN questions q ON q.code = 'Q' || lpad((1 + (a.id + 3 * no) % 30)::text, 3, '0')`,
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	acts := &activities.Activities{Store: st}
	if _, err := acts.RankRound(ctx, workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE rounds SET state = 'ranked'`); err != nil {
		b.Fatal(err)
	}
	var campaignID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM campaigns`).Scan(&campaignID); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		a, err := reports.RoundItemAnalysis(ctx, st, campaignID, 1)
		if err != nil {
			b.Fatal(err)
		}
		answered := 0
		for _, it := range a.Items {
			answered += it.Attempts
		}
		if a.Attempts != benchRoundAttempts || len(a.Items) != setSize || answered != 10*benchRoundAttempts {
			b.Fatalf("analysed %d attempts, %d questions, %d answers", a.Attempts, len(a.Items), answered)
		}
	}
}
