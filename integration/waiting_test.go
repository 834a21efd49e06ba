//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

type waitingState struct {
	Stage           string `json:"stage"`
	WaitingFor      string `json:"waiting_for"`
	WaitingForLabel string `json:"waiting_for_label"`
	Waiting         []struct {
		Kind  string `json:"kind"`
		Round int    `json:"round"`
		Actor string `json:"actor"`
		Label string `json:"label"`
	} `json:"waiting"`
	Rounds []struct {
		ID        int64  `json:"id"`
		Number    int    `json:"number"`
		State     string `json:"state"`
		Submitted int    `json:"submitted"`
	} `json:"rounds"`
}

func (w waitingState) waits(kind string, round int) bool {
	for _, x := range w.Waiting {
		if x.Kind == kind && x.Round == round {
			return true
		}
	}
	return false
}

type liveRanking struct {
	Ranking struct {
		State        string `json:"state"`
		Ranked       bool   `json:"ranked"`
		Submitted    int    `json:"submitted"`
		Participants int    `json:"participants"`
		PerfectCount *int   `json:"perfect_count"`
	} `json:"ranking"`
}

// TestWhatIsWaitingIsTheWorkflowsState steps a compressed rehearsal through its real
// workflows and checks, at each step, that what the campaign says it waits for (the items
// and the header's wording) is what the workflow takes: the four sets (one sent back waits
// for the secretariat), going live, then in
// the rounds stage, whose own waiting_for is empty, the week the round workflow has
// ranked; the committee's approval of that week is accepted and the item goes. While the
// week is open its live count of submissions is shown, not a ranking of 0.
func TestWhatIsWaitingIsTheWorkflowsState(t *testing.T) {
	limits := api.DefaultLimits
	limits.StartsPerUser = api.Limit{Max: 1000, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits})
	committee := s.Staff(t, "committee")
	sitters := []*testenv.Client{s.Participant(t), s.Participant(t), s.Participant(t)}
	// A rehearsal is sat by staff and marked testers only.
	for _, p := range sitters {
		committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/participants/%d/tester", myID(t, p)), map[string]bool{"tester": true})
	}
	code, err := s.Campaigns.Rehearse(context.Background(), seed.DefaultCampaignCode, campaigns.RehearsalOptions{
		Week: 20 * time.Second, TimeLimit: 3 * time.Second, Lead: 3 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var w waitingState
	get := func() waitingState {
		t.Helper()
		var v waitingState
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
		return v
	}
	var id struct {
		ID int64 `json:"id"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &id)
	t.Cleanup(func() {
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, id.ID), "", "test over")
	})

	waitFor(t, 10*time.Second, "the question bank stage", func() bool { w = get(); return w.Stage == workflows.StageQuestionBank })
	for n := 1; n <= 4; n++ {
		if !w.waits("question_set", n) {
			t.Fatalf("question bank: set %d not among %+v", n, w.Waiting)
		}
	}
	if !strings.Contains(w.WaitingForLabel, "Ban Tổ chức phê duyệt bộ câu hỏi tuần 1") {
		t.Fatalf("question bank header %q", w.WaitingForLabel)
	}
	// A set sent back waits for the secretariat, and the secretariat's resubmission is
	// what the workflow then takes; after it the set waits for the committee again.
	if r := decide(committee, code, "question_set", 2, "sent_back"); r.Status != http.StatusOK {
		t.Fatalf("send back set 2: %d %s", r.Status, r.Body)
	}
	w = get()
	if w.waits("question_set", 2) || !w.waits("question_set_ready", 2) || !strings.Contains(w.WaitingForLabel, "Tổ Thư ký gửi lại bộ câu hỏi tuần 2") {
		t.Fatalf("after the send-back: %+v, header %q", w.Waiting, w.WaitingForLabel)
	}
	for _, x := range w.Waiting {
		if x.Kind == "question_set_ready" && x.Actor != "secretariat" {
			t.Fatalf("a sent-back set waits for %q", x.Actor)
		}
	}
	if r := decide(s.Staff(t, "secretariat"), code, "question_set_ready", 2, "done"); r.Status != http.StatusOK {
		t.Fatalf("resubmit set 2: %d %s", r.Status, r.Body)
	}
	if w = get(); !w.waits("question_set", 2) || w.waits("question_set_ready", 2) {
		t.Fatalf("after the resubmission: %+v", w.Waiting)
	}
	for n := 1; n <= 4; n++ {
		if r := decide(committee, code, "question_set", n, "approved"); r.Status != http.StatusOK {
			t.Fatalf("approve set %d: %d %s", n, r.Status, r.Body)
		}
	}
	waitFor(t, 10*time.Second, "the trial run stage", func() bool { w = get(); return w.Stage == workflows.StageTrialRun })
	if len(w.Waiting) != 1 || !w.waits("go_live", 0) || w.WaitingForLabel != w.Waiting[0].Label || w.WaitingForLabel == "" {
		t.Fatalf("trial run waits for %+v, header %q", w.Waiting, w.WaitingForLabel)
	}
	if r := decide(committee, code, "go_live", 0, "approved"); r.Status != http.StatusOK {
		t.Fatalf("go live: %d %s", r.Status, r.Body)
	}
	waitFor(t, 10*time.Second, "the rounds stage", func() bool { w = get(); return w.Stage == workflows.StageRounds })
	round1 := w.Rounds[0].ID

	// Three sit week 1 and submit.
	for i, p := range sitters {
		var a started
		waitFor(t, 15*time.Second, "round 1 to open", func() bool {
			r := p.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", round1), nil)
			if r.Status == http.StatusCreated {
				r.JSON(t, &a)
				return true
			}
			if r.ErrorCode() != "round_closed" {
				t.Fatalf("start: %d %s", r.Status, r.Body)
			}
			return false
		})
		keys := s.CorrectKeys(t, a.AttemptID)
		for no := 1; no <= 3+i; no++ {
			p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]})
		}
		p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	}
	// Before the ranking, the week's figures are its live submissions, never "0 participants".
	var rk liveRanking
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/ranking", nil).JSON(t, &rk)
	if rk.Ranking.Submitted != 3 || rk.Ranking.Ranked != (rk.Ranking.PerfectCount != nil) {
		t.Fatalf("week 1 before its ranking: %+v", rk.Ranking)
	}
	if !rk.Ranking.Ranked && rk.Ranking.State != "open" && rk.Ranking.State != "closed" {
		t.Fatalf("week 1 unranked in state %s", rk.Ranking.State)
	}
	if w = get(); w.Rounds[0].Submitted != 3 {
		t.Fatalf("campaign round 1 shows %d submitted, want 3", w.Rounds[0].Submitted)
	}

	// The round workflow ranks the week and waits for the committee: so does the campaign
	// view, header included, though the rounds stage itself waits for nothing.
	waitFor(t, 60*time.Second, "week 1 waiting for approval", func() bool { w = get(); return w.waits("weekly_results", 1) })
	if w.Stage != workflows.StageRounds || w.WaitingFor != "" || !strings.Contains(w.WaitingForLabel, "Ban Tổ chức phê duyệt kết quả tuần 1") {
		t.Fatalf("week 1 waits, but the campaign says stage %s waiting_for %q header %q", w.Stage, w.WaitingFor, w.WaitingForLabel)
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/ranking", nil).JSON(t, &rk)
	if !rk.Ranking.Ranked || rk.Ranking.Participants != 3 || rk.Ranking.Submitted != 3 {
		t.Fatalf("week 1 ranked: %+v", rk.Ranking)
	}
	// What the page says waits is what the workflow takes.
	if r := decide(committee, code, "weekly_results", 1, "approved"); r.Status != http.StatusOK {
		t.Fatalf("approve the week the campaign says waits: %d %s", r.Status, r.Body)
	}
	waitFor(t, 20*time.Second, "week 1 no longer waiting", func() bool { w = get(); return !w.waits("weekly_results", 1) })
	if strings.Contains(w.WaitingForLabel, "tuần 1") {
		t.Fatalf("header still says %q", w.WaitingForLabel)
	}
}
