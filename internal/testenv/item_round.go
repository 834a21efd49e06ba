package testenv

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/workflows"
)

// ItemRoundNumber is the round CraftItemRound fills.
const ItemRoundNumber = 3

// CraftItemRound gives round 3 of the seeded campaign a set of three questions and ten
// participants whose answers make a known item analysis:
//
//   - IA-1 (key A): the ranked 1st–5th choose A, 6th–7th B, 8th–9th C, the 10th leaves it
//     blank: p 0.5, D 1 (upper 3/3, lower 0/3).
//   - IA-2 (key B): the upper three choose D, everyone else B: p 0.7, D −1, flagged
//     negative_discrimination and distractor_beats_key.
//   - IA-3 (key C): in the set, never drawn.
//
// Totals run from 10 (1st) down to 1 (10th), so the 27 % groups are the first and last
// three. Options are shown reversed to every second participant: an analysis by the key
// pressed rather than the bank's option would count them wrong. With rank, the round is
// ranked (state 'ranked'); without, it is left closed. It returns the round's id.
func (s *Stack) CraftItemRound(t testing.TB, rank bool) int64 {
	t.Helper()
	ctx := context.Background()
	pool := s.Store.Pool()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var roundID, agencyID int64
	if err := pool.QueryRow(ctx, `SELECT r.id FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.code = $1 AND r.number = $2`,
		s.Campaign.Code, ItemRoundNumber).Scan(&roundID); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT id FROM agencies ORDER BY id LIMIT 1`).Scan(&agencyID); err != nil {
		t.Fatal(err)
	}
	var ids [3]int64
	for i := range ids {
		if err := pool.QueryRow(ctx, `
			INSERT INTO questions (campaign_id, code, source_document, text, options, correct_option)
			SELECT id, $2, 'Luật Cán bộ, công chức', 'Câu hỏi phân tích ' || $2, ARRAY['Một', 'Hai', 'Ba', 'Bốn'], $3
			FROM campaigns WHERE code = $1 RETURNING id`, s.Campaign.Code, fmt.Sprintf("IA-%d", i+1), i).Scan(&ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	exec(`DELETE FROM round_questions WHERE round_id = $1`, roundID)
	for _, id := range ids {
		exec(`INSERT INTO round_questions (round_id, question_id) VALUES ($1, $2)`, roundID, id)
	}
	exec(`UPDATE rounds SET state = 'closed' WHERE id = $1`, roundID)
	const none = -1
	q1 := []int{0, 0, 0, 0, 0, 1, 1, 2, 2, none} // bank options chosen by the ranked 1st … 10th
	q2 := []int{3, 3, 3, 1, 1, 1, 1, 1, 1, 1}
	finished := time.Date(2023, 11, 14, 9, 0, 0, 0, time.UTC)
	for i := range 10 {
		var attemptID int64
		if err := pool.QueryRow(ctx, `
			WITH u AS (
				INSERT INTO users (full_name, phone, agency_id, password_hash, role)
				VALUES ($1, $2, $3, 'not-a-hash', 'participant') RETURNING id),
			a AS (
				INSERT INTO attempts (round_id, participant_id, seq, status, started_at, deadline, finished_at, prediction)
				SELECT $4, id, 1, 'submitted', $5::timestamptz - interval '5 minutes', $5::timestamptz + interval '1 hour', $5, 1 FROM u
				RETURNING id, participant_id)
			INSERT INTO results (attempt_id, round_id, participant_id, agency_id, correct_count, question_count,
			                     prediction, time_used_ms, finished_at, auto_submitted)
			SELECT id, $4, participant_id, $3, $6, 10, 1, 300000, $5, false FROM a RETURNING attempt_id`,
			fmt.Sprintf("Người thi %d", i+1), UniquePhone(), agencyID, roundID, finished.Add(time.Duration(i)*time.Second), 10-i).Scan(&attemptID); err != nil {
			t.Fatal(err)
		}
		order := []int16{0, 1, 2, 3}
		if i%2 == 1 {
			order = []int16{3, 2, 1, 0}
		}
		for no, choice := range []int{q1[i], q2[i]} {
			exec(`INSERT INTO attempt_questions (attempt_id, no, question_id, option_order, choice)
				VALUES ($1, $2, $3, $4::smallint[], CASE WHEN $5::int < 0 THEN NULL ELSE array_position($4::smallint[], $5::smallint) - 1 END)`,
				attemptID, no+1, ids[no], order, choice)
		}
	}
	if rank {
		s.RankItemRound(t, roundID)
	}
	return roundID
}

// RankItemRound ranks the crafted round under the default rules and marks it ranked, as
// the round's workflow would.
func (s *Stack) RankItemRound(t testing.TB, roundID int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: roundID, Criteria: rules.DefaultRanking,
		Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE rounds SET state = 'ranked' WHERE id = $1`, roundID); err != nil {
		t.Fatal(err)
	}
}
