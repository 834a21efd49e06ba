//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

type rankingAnswer struct {
	Ranking struct {
		State        string `json:"state"`
		Participants int    `json:"participants"`
		Rows         []struct {
			ParticipantID     int64  `json:"participant_id"`
			Rank              int    `json:"rank"`
			Prize             string `json:"prize"`
			CorrectCount      int    `json:"correct_count"`
			BelowPrizeMinimum bool   `json:"below_prize_minimum"`
		} `json:"rows"`
	} `json:"ranking"`
	MinCorrectForPrize int `json:"min_correct_for_prize"`
}

func (a rankingAnswer) below() map[int64]bool {
	out := map[int64]bool{}
	for _, r := range a.Ranking.Rows {
		out[r.ParticipantID] = r.BelowPrizeMinimum
	}
	return out
}

func (a rankingAnswer) prizes() map[int64]string {
	out := map[int64]string{}
	for _, r := range a.Ranking.Rows {
		out[r.ParticipantID] = r.Prize
	}
	return out
}

func prizeNotifications(t *testing.T, s *testenv.Stack, userID int64) int {
	t.Helper()
	return countRows(t, s, `SELECT count(*) FROM notifications WHERE kind = 'weekly_prize' AND user_id = $1`, userID)
}

// TestNoPrizeWithoutTheMinimumCorrectAnswers ranks a week with six prizes and three
// participants: 10 correct, 3 correct, and one who answered nothing (0/10). The last is
// ranked but wins nothing and is not congratulated; the campaign's own minimum (5) then
// leaves 3 correct without a prize too, and a stored minimum of 0 is refused.
func TestNoPrizeWithoutTheMinimumCorrectAnswers(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ctx := context.Background()
	committee := s.Staff(t, "committee")
	ag := agencyIDsByCode(t, s)
	round1 := roundIDByNumber(t, s, 1)
	finished := s.Campaign.Rounds[0].OpensAt.Add(time.Hour)
	best := insertParticipant(t, s, ag["so-tu-phap"], "Người đúng 10 câu")
	few := insertParticipant(t, s, ag["so-noi-vu"], "Người đúng 3 câu")
	zero := insertParticipant(t, s, ag["bhxh-tp"], "Người không trả lời câu nào")
	insertResult(t, s, round1, best, ag["so-tu-phap"], 10, 200*time.Second, finished)
	insertResult(t, s, round1, few, ag["so-noi-vu"], 3, 100*time.Second, finished)
	// The fastest: only the correct-count check keeps them from a prize.
	insertResult(t, s, round1, zero, ag["bhxh-tp"], 0, 5*time.Second, finished)

	rank := func() workflows.RankSummary {
		t.Helper()
		sum, err := s.Activities().RankRound(ctx, workflows.RankRequest{RoundID: round1, Criteria: rules.DefaultRanking,
			Prizes: rules.PrizeCounts{First: 1, Second: 2, Third: 3}})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	ranking := func() rankingAnswer {
		t.Helper()
		var a rankingAnswer
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+s.Campaign.Code+"/rounds/1/ranking", nil).JSON(t, &a)
		return a
	}

	// The seeded campaign writes no minimum of its own beyond the default: 1.
	if sum := rank(); sum.Participants != 3 || sum.Winners != 2 {
		t.Fatalf("ranking summary %+v, want 3 ranked and 2 winners", sum)
	}
	got := ranking()
	if p := got.prizes(); len(p) != 3 || p[best] != "first" || p[few] != "second" || p[zero] != "" {
		t.Fatalf("prizes %v: the 0-correct participant must be ranked without a prize", p)
	}
	if b := got.below(); got.MinCorrectForPrize != 1 || !b[zero] || b[few] || b[best] {
		t.Fatalf("minimum %d, below it %v: the committee must see why the 0-correct row has no prize", got.MinCorrectForPrize, b)
	}

	// The campaign raises its minimum to 5: a re-rank leaves 3 correct without a prize.
	if _, err := s.Store.Pool().Exec(ctx, `
		UPDATE campaigns SET settings = jsonb_set(settings, '{min_correct_for_prize}', '5') WHERE code = $1`, s.Campaign.Code); err != nil {
		t.Fatal(err)
	}
	if sum := rank(); sum.Winners != 1 {
		t.Fatalf("ranking summary with a minimum of 5: %+v, want 1 winner", sum)
	}
	raised := ranking()
	if p, b := raised.prizes(), raised.below(); p[best] != "first" || p[few] != "" || p[zero] != "" || raised.MinCorrectForPrize != 5 || !b[few] {
		t.Fatalf("prizes with a minimum of 5: %v (below %v, minimum %d)", p, b, raised.MinCorrectForPrize)
	}
	// A minimum of 0 is refused by the database, whatever writes it, and nothing changes.
	if _, err := s.Store.Pool().Exec(ctx, `
		UPDATE campaigns SET settings = jsonb_set(settings, '{min_correct_for_prize}', '0') WHERE code = $1`, s.Campaign.Code); err == nil {
		t.Fatal("a minimum of 0 correct answers was stored")
	}
	var stored string
	if err := s.Store.Pool().QueryRow(ctx, `SELECT settings->>'min_correct_for_prize' FROM campaigns WHERE code = $1`, s.Campaign.Code).Scan(&stored); err != nil || stored != "5" {
		t.Fatalf("stored minimum %q (%v), want 5", stored, err)
	}

	// Published, the week congratulates its one winner only.
	if _, err := s.Store.Pool().Exec(ctx, `UPDATE rounds SET state = 'approved' WHERE id = $1`, round1); err != nil {
		t.Fatal(err)
	}
	if err := s.RunPublishTaskAgain(ctx, round1); err != nil {
		t.Fatal(err)
	}
	var pub publication
	s.NewClient(t).Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/rounds/%d/results", round1), nil).JSON(t, &pub)
	if pub.Participants != 3 || len(pub.Winners) != 1 || pub.Winners[0].CorrectCount != 10 {
		t.Fatalf("publication %+v, want 3 participants and the one winner with 10 correct", pub)
	}
	if n := prizeNotifications(t, s, best); n != 1 {
		t.Fatalf("%d congratulations for the winner", n)
	}
	for who, id := range map[string]int64{"3 correct": few, "0 correct": zero} {
		if n := prizeNotifications(t, s, id); n != 0 {
			t.Fatalf("%d congratulations queued for the participant with %s", n, who)
		}
	}
}
