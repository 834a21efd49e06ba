//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

type allowedDecision struct {
	Kind                string   `json:"kind"`
	Round               int      `json:"round"`
	Outcomes            []string `json:"outcomes"`
	By                  string   `json:"by"`
	QuestionSetRevision int      `json:"question_set_revision"`
}

func (d allowedDecision) String() string {
	return fmt.Sprintf("%s/%d%v by %s rev %d", d.Kind, d.Round, d.Outcomes, d.By, d.QuestionSetRevision)
}

type allowedState struct {
	Stage            string            `json:"stage"`
	AllowedDecisions []allowedDecision `json:"allowed_decisions"`
}

func (a allowedState) list() string {
	out := make([]string, len(a.AllowedDecisions))
	for i, d := range a.AllowedDecisions {
		out[i] = d.String()
	}
	return strings.Join(out, ", ")
}

// TestAllowedDecisionsAreWhatTheWorkflowTakes steps a compressed rehearsal through its
// real workflows and checks, at each stage, that the campaign's allowed_decisions (what
// the committee's buttons offer) lists exactly what the workflow then accepts: each
// round's set while the bank is prepared (a sent-back set becomes the secretariat's),
// going live in the trial run, nothing in the rounds stage before a week is ranked; a
// decision the list does not offer is refused.
func TestAllowedDecisionsAreWhatTheWorkflowTakes(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	committee := s.Staff(t, "committee")
	code, err := s.Campaigns.Rehearse(context.Background(), seed.DefaultCampaignCode, campaigns.RehearsalOptions{
		Week: time.Minute, TimeLimit: 3 * time.Second, Lead: 3 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var id struct {
		ID int64 `json:"id"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &id)
	t.Cleanup(func() {
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, id.ID), "", "test over")
	})
	get := func() allowedState {
		t.Helper()
		var v allowedState
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
		return v
	}
	decideAllowed := func(c *testenv.Client, d allowedDecision, outcome string) testenv.Response {
		return c.Do("POST", "/api/v1/campaigns/"+code+"/decisions", map[string]any{"kind": d.Kind, "round": d.Round,
			"outcome": outcome, "comment": "kiểm thử", "question_set_revision": d.QuestionSetRevision})
	}
	approval := []string{"approved", "sent_back"}

	var a allowedState
	waitFor(t, 10*time.Second, "the question bank stage", func() bool { a = get(); return a.Stage == workflows.StageQuestionBank })
	if len(a.AllowedDecisions) != 4 {
		t.Fatalf("question bank allows %s, want the four sets", a.list())
	}
	for i, d := range a.AllowedDecisions {
		if d.Kind != "question_set" || d.Round != i+1 || !slices.Equal(d.Outcomes, approval) || d.By != "committee" || d.QuestionSetRevision < 1 {
			t.Fatalf("question bank allows %s", a.list())
		}
	}
	if r := decide(committee, code, "go_live", 0, "approved"); r.Status != http.StatusConflict {
		t.Fatalf("go live, not offered in the question bank: %d %s, want 409", r.Status, r.Body)
	}

	// Sent back, set 2 is the secretariat's to resubmit, and then the committee's again.
	if r := decideAllowed(committee, a.AllowedDecisions[1], "sent_back"); r.Status != http.StatusOK {
		t.Fatalf("send back set 2: %d %s", r.Status, r.Body)
	}
	a = get()
	i := slices.IndexFunc(a.AllowedDecisions, func(d allowedDecision) bool { return d.Round == 2 })
	if len(a.AllowedDecisions) != 4 || i < 0 || a.AllowedDecisions[i].Kind != "question_set_ready" || a.AllowedDecisions[i].By != "secretariat" ||
		!slices.Equal(a.AllowedDecisions[i].Outcomes, []string{"done"}) {
		t.Fatalf("after the send-back: %s", a.list())
	}
	if r := decideAllowed(s.Staff(t, "secretariat"), a.AllowedDecisions[i], "done"); r.Status != http.StatusOK {
		t.Fatalf("resubmit set 2: %d %s", r.Status, r.Body)
	}
	a = get()
	for _, d := range a.AllowedDecisions {
		if d.Kind != "question_set" || d.By != "committee" {
			t.Fatalf("after the resubmission: %s", a.list())
		}
		if r := decideAllowed(committee, d, d.Outcomes[0]); r.Status != http.StatusOK {
			t.Fatalf("approve set %d as offered: %d %s", d.Round, r.Status, r.Body)
		}
	}

	waitFor(t, 10*time.Second, "the trial run stage", func() bool { a = get(); return a.Stage == workflows.StageTrialRun })
	if len(a.AllowedDecisions) != 1 || a.AllowedDecisions[0].String() != (allowedDecision{Kind: "go_live", Outcomes: approval, By: "committee"}).String() {
		t.Fatalf("trial run allows %s, want going live", a.list())
	}
	if r := decide(committee, code, "weekly_results", 1, "approved"); r.Status != http.StatusConflict {
		t.Fatalf("week 1, not offered in the trial run: %d %s, want 409", r.Status, r.Body)
	}
	if r := decideAllowed(committee, a.AllowedDecisions[0], "approved"); r.Status != http.StatusOK {
		t.Fatalf("go live as offered: %d %s", r.Status, r.Body)
	}
	waitFor(t, 10*time.Second, "the rounds stage", func() bool { a = get(); return a.Stage == workflows.StageRounds })
	if len(a.AllowedDecisions) != 0 {
		t.Fatalf("rounds stage before a week is ranked allows %s, want nothing", a.list())
	}
}
