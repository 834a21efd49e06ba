//go:build integration

package integration

import (
	"context"
	"encoding/json"
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

type campaignState struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Stage      string `json:"stage"`
	StageLabel string `json:"stage_label"`
	WaitingFor string `json:"waiting_for"`
	History    []struct {
		Stage string `json:"stage"`
	} `json:"history"`
	Decisions []struct {
		Kind      string `json:"kind"`
		Outcome   string `json:"outcome"`
		DecidedBy string `json:"decided_by"`
		Comment   string `json:"comment"`
	} `json:"decisions"`
	Rounds []struct {
		ID     int64  `json:"id"`
		Number int    `json:"number"`
		State  string `json:"state"`
	} `json:"rounds"`
}

type publication struct {
	RoundNumber  int `json:"round_number"`
	Participants int `json:"participants"`
	PerfectCount int `json:"perfect_count"`
	Winners      []struct {
		Prize        string `json:"prize"`
		Rank         int    `json:"rank"`
		FullName     string `json:"full_name"`
		CorrectCount int    `json:"correct_count"`
	} `json:"winners"`
}

// waitFor polls until cond holds; conditions, never sleeps, decide a test's outcome.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func decide(c *testenv.Client, code, kind string, round int, outcome string) testenv.Response {
	return c.Do("POST", "/api/v1/campaigns/"+code+"/decisions",
		map[string]any{"kind": kind, "round": round, "outcome": outcome, "comment": "kiểm thử"})
}

// TestCompressedRoundIsRankedApprovedAndPublished rehearses the seeded campaign with a
// week compressed to seconds: the committee approves the question sets and going live
// through the API, three testers sit week 1, the round closes, is ranked, approved and
// published (never publicly: a rehearsal stays out of the results and the feed), with the
// winners notified once.
func TestCompressedRoundIsRankedApprovedAndPublished(t *testing.T) {
	// The participants below poll the start endpoint until the round opens.
	limits := api.DefaultLimits
	limits.StartsPerUser = api.Limit{Max: 1000, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits, ScoreAtSubmit: true})
	committee := s.Staff(t, "committee")
	// Accounts first: registration hashes passwords, which must not eat into the short week.
	sitters := map[string]*testenv.Client{"all": s.Participant(t), "half": s.Participant(t), "none": s.Participant(t)}
	// A rehearsal is sat by staff and marked testers only.
	for _, p := range sitters {
		committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/participants/%d/tester", myID(t, p)), map[string]bool{"tester": true})
	}
	code, err := s.Campaigns.Rehearse(context.Background(), seed.DefaultCampaignCode, campaigns.RehearsalOptions{
		Week: 16 * time.Second, TimeLimit: 3 * time.Second, Lead: 3 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var state campaignState
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &state)
	t.Cleanup(func() {
		s.RecordHistory(t, workflows.CampaignWorkflowID(s.Installation, state.ID), "campaign_steered_by_committee")
		s.RecordHistory(t, workflows.RoundWorkflowID(s.Installation, state.Rounds[0].ID), "round_approved_by_committee")
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, state.ID), "", "test over")
	})
	waitFor(t, 10*time.Second, "the question bank stage", func() bool {
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &state)
		return state.Stage == workflows.StageQuestionBank
	})
	steerToGoLive(t, s, committee, code, &state)
	round1 := state.Rounds[0].ID
	sitWeek1(t, s, sitters, round1)
	rankAndApproveWeek1(t, committee, code)
	checkWeek1PublishedOnce(t, s, code, round1)

	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, &state)
	kinds := map[string]int{}
	for _, d := range state.Decisions {
		kinds[d.Kind]++
		if d.DecidedBy == "" {
			t.Fatalf("decision without its author: %+v", d)
		}
	}
	if kinds["question_set"] != 4 || kinds["go_live"] != 1 || kinds["weekly_results"] != 1 {
		t.Fatalf("recorded decisions %v", kinds)
	}
}

// steerToGoLive approves the question sets through the committee API, with the refusals
// of an early go-live, of other roles and of a duplicate approval, then goes live.
func steerToGoLive(t *testing.T, s *testenv.Stack, committee *testenv.Client, code string, state *campaignState) {
	// Going live before the question sets are approved is refused, naming the stage.
	r := decide(committee, code, "go_live", 0, "approved")
	if r.Status != http.StatusConflict || r.ErrorCode() != "stage_conflict" || !strings.Contains(string(r.Body), "phê duyệt bộ câu hỏi") {
		t.Fatalf("early go-live: %d %s", r.Status, r.Body)
	}
	// A participant cannot take decisions, nor can the secretariat approve.
	if r := decide(s.Participant(t), code, "question_set", 1, "approved"); r.Status != http.StatusForbidden {
		t.Fatalf("participant deciding: %d %s", r.Status, r.Body)
	}
	if r := decide(s.Staff(t, "secretariat"), code, "question_set", 1, "approved"); r.Status != http.StatusForbidden {
		t.Fatalf("secretariat approving: %d %s", r.Status, r.Body)
	}
	for round := 1; round <= 4; round++ {
		if r := decide(committee, code, "question_set", round, "approved"); r.Status != http.StatusOK {
			t.Fatalf("approve set %d: %d %s", round, r.Status, r.Body)
		}
	}
	if r := decide(committee, code, "question_set", 1, "approved"); r.Status != http.StatusConflict {
		t.Fatalf("second approval of set 1: %d %s", r.Status, r.Body)
	}
	waitFor(t, 10*time.Second, "the trial run stage", func() bool {
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code, nil).JSON(t, state)
		return state.Stage == workflows.StageTrialRun
	})
	if r := decide(committee, code, "go_live", 0, "approved"); r.Status != http.StatusOK {
		t.Fatalf("go live: %d %s", r.Status, r.Body)
	}
}

// sitWeek1 has three participants sit week 1: all right, half right, and one who never submits.
func sitWeek1(t *testing.T, s *testenv.Stack, sitters map[string]*testenv.Client, round1 int64) {
	results := map[string]int{}
	for _, who := range []string{"all", "half", "none"} {
		p := sitters[who]
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
		answered := map[string]int{"all": 10, "half": 5, "none": 0}[who]
		for no := 1; no <= answered; no++ {
			p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]})
		}
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/prediction", a.AttemptID), map[string]int{"count": 1})
		if who != "none" {
			var res result
			p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
			results[who] = res.CorrectCount
		}
	}
	if results["all"] != 10 || results["half"] != 5 {
		t.Fatalf("results %v", results)
	}
}

// rankAndApproveWeek1 checks that week 1 cannot be approved before it is ranked, waits
// for its ranking and approves it once.
func rankAndApproveWeek1(t *testing.T, committee *testenv.Client, code string) {
	if r := decide(committee, code, "weekly_results", 1, "approved"); r.Status != http.StatusConflict || r.ErrorCode() != "stage_conflict" {
		t.Fatalf("early weekly approval: %d %s", r.Status, r.Body)
	}
	var ranking struct {
		Ranking struct {
			State        string `json:"state"`
			PerfectCount *int   `json:"perfect_count"`
			Participants int    `json:"participants"`
			Rows         []struct {
				Rank         int    `json:"rank"`
				Prize        string `json:"prize"`
				CorrectCount int    `json:"correct_count"`
			} `json:"rows"`
		} `json:"ranking"`
	}
	waitFor(t, 60*time.Second, "week 1 to be ranked", func() bool {
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/ranking", nil).JSON(t, &ranking)
		return ranking.Ranking.State == "ranked"
	})
	rk := ranking.Ranking
	if rk.Participants != 3 || rk.PerfectCount == nil || *rk.PerfectCount != 1 || len(rk.Rows) != 3 ||
		rk.Rows[0].CorrectCount != 10 || rk.Rows[0].Prize != "first" || rk.Rows[1].Prize != "second" ||
		rk.Rows[2].CorrectCount != 0 || rk.Rows[2].Prize != "" { // no prize for 0 correct answers
		t.Fatalf("ranking %+v", rk)
	}
	if r := decide(committee, code, "weekly_results", 1, "approved"); r.Status != http.StatusOK {
		t.Fatalf("approve week 1: %d %s", r.Status, r.Body)
	}
	if r := decide(committee, code, "weekly_results", 1, "approved"); r.Status != http.StatusConflict {
		t.Fatalf("duplicate approval of week 1: %d %s", r.Status, r.Body)
	}
}

// checkWeek1PublishedOnce checks the publication, that a rehearsal's results stay
// private, and that each winner is notified once even when the task is delivered twice.
func checkWeek1PublishedOnce(t *testing.T, s *testenv.Stack, code string, round1 int64) {
	var pub publication
	waitFor(t, 30*time.Second, "week 1's results to be published", func() bool {
		var raw []byte
		err := s.Store.Pool().QueryRow(context.Background(), `SELECT payload FROM publications WHERE round_id = $1`, round1).Scan(&raw)
		if err == nil {
			err = json.Unmarshal(raw, &pub)
		}
		return err == nil
	})
	if pub.Participants != 3 || pub.PerfectCount != 1 || len(pub.Winners) != 2 || pub.Winners[0].Prize != "first" {
		t.Fatalf("publication %+v", pub)
	}
	// Published, yet never public: the results and the portals' feed refuse a rehearsal.
	anonymous := s.NewClient(t)
	expectRehearsalOnly(t, anonymous.Do("GET", fmt.Sprintf("/api/v1/rounds/%d/results", round1), nil), "a rehearsal week's public results")
	expectRehearsalOnly(t, anonymous.Do("GET", "/api/v1/feed/results.json?campaign="+code, nil), "a rehearsal's feed")

	// Each winner is notified exactly once, and the outbox says so; 0 correct is no winner.
	waitFor(t, 20*time.Second, "two winner notifications", func() bool {
		var sent int
		if err := s.Store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM notifications WHERE kind = 'weekly_prize' AND sent_at IS NOT NULL`).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		return sent == 2
	})
	// A duplicate delivery of the publication task changes nothing and notifies no one again.
	if err := s.RunPublishTaskAgain(context.Background(), round1); err != nil {
		t.Fatal(err)
	}
	var queued int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM notifications WHERE kind = 'weekly_prize'`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != 2 {
		t.Fatalf("%d prize notifications queued after a duplicate publication, want 2", queued)
	}
	time.Sleep(time.Second) // let any wrongly enqueued send run before counting
	perRecipient := map[string]int{}
	for _, m := range s.Notified.Sent() {
		if strings.Contains(m.Subject, "tuần 1") {
			perRecipient[m.Recipient]++
		}
	}
	if len(perRecipient) != 2 {
		t.Fatalf("notified %v, want the two winners", perRecipient)
	}
	for who, n := range perRecipient {
		if n != 1 {
			t.Fatalf("%s notified %d times", who, n)
		}
	}
}
