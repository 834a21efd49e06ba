//go:build integration

package webtest

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// offeredButtons are the committee's decision buttons on the page, as kind/round/outcome.
func offeredButtons(b *browser) []string {
	return eval[[]string](b, `[...document.querySelectorAll("#actions button[data-kind]")].map(x => x.dataset.kind + "/" + (x.dataset.round || 0) + "/" + x.dataset.outcome)`)
}

// allowedButtons are the buttons the campaign's allowed_decisions say the committee has.
func allowedButtons(t *testing.T, committee *testenv.Client, code string) []string {
	t.Helper()
	var v struct {
		AllowedDecisions []struct {
			Kind     string   `json:"kind"`
			Round    int      `json:"round"`
			Outcomes []string `json:"outcomes"`
			By       string   `json:"by"`
		} `json:"allowed_decisions"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &v)
	var out []string
	for _, d := range v.AllowedDecisions {
		if d.By != "committee" {
			continue
		}
		for _, o := range d.Outcomes {
			out = append(out, fmt.Sprintf("%s/%d/%s", d.Kind, d.Round, o))
		}
	}
	return out
}

// TestCommitteeButtonsAreTheAllowedDecisions: at 360 and 1280 px the committee's page
// offers exactly the decisions the campaign's allowed_decisions list, the usual outcome
// first: in the question bank the sets still with the committee (none for a set sent back
// to the secretariat), in the trial run going live or not.
func TestCommitteeButtonsAreTheAllowedDecisions(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	committee := s.Staff(t, "committee")
	code := rehearsal(t, s, committee).Code
	if r := decide(committee, code, "question_set", 2, "sent_back", "Câu 3 có hai phương án đúng."); r.Status != http.StatusOK {
		t.Fatalf("send back set 2: %d %s", r.Status, r.Body)
	}
	browsers := map[int64]*browser{360: newBrowser(t, s.URL, 360, 740), 1280: newBrowser(t, s.URL, 1280, 900)}
	widths := []int64{360, 1280}
	check := func(stage, shot string, want []string) {
		t.Helper()
		if got := allowedButtons(t, committee, code); !slices.Equal(got, want) {
			t.Fatalf("%s: allowed_decisions offer %v, want %v", stage, got, want)
		}
		for _, w := range widths {
			b := browsers[w]
			b.open("/ban-to-chuc?campaign=" + code)
			b.waitStage(stage)
			b.waitFor("the decision buttons", fmt.Sprintf(`document.querySelectorAll("#actions button[data-kind]").length === %d`, len(want)), step)
			if got := offeredButtons(b); !slices.Equal(got, want) {
				t.Fatalf("%s at %d px: page offers %v, want %v", stage, w, got, want)
			}
			if !eval[bool](b, `document.querySelector("#actions button[data-kind]").classList.contains("button-primary")`) {
				t.Fatalf("%s at %d px: the usual outcome is not the primary button", stage, w)
			}
			b.screenshot(fmt.Sprintf("committee-%d-allowed-decisions-%s", w, shot))
			b.assertNoProblems()
		}
	}
	for _, w := range widths {
		browsers[w].login(committee)
	}

	check(workflows.StageQuestionBank, "question-bank", []string{
		"question_set/1/approved", "question_set/1/sent_back", "question_set/3/approved", "question_set/3/sent_back",
		"question_set/4/approved", "question_set/4/sent_back"})

	if r := decide(s.Staff(t, "secretariat"), code, "question_set_ready", 2, "done", ""); r.Status != http.StatusOK {
		t.Fatalf("resubmit set 2: %d %s", r.Status, r.Body)
	}
	for n := 1; n <= 4; n++ {
		if r := decide(committee, code, "question_set", n, "approved", ""); r.Status != http.StatusOK {
			t.Fatalf("approve set %d: %d %s", n, r.Status, r.Body)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for getCampaign(t, committee, code).Stage != workflows.StageTrialRun {
		if time.Now().After(deadline) {
			t.Fatal("the rehearsal did not reach the trial run")
		}
		time.Sleep(200 * time.Millisecond)
	}
	check(workflows.StageTrialRun, "trial-run", []string{"go_live/0/approved", "go_live/0/sent_back"})
}
