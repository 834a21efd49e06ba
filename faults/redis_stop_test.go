//go:build faults

package faults

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/worker"
	"github.com/hpcontest/contest/workflows"
)

func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// Redis (asynq's queue and the rate limiter) is stopped from go-live on. Participants sit
// the week anyway (the limits fail open); the committee approves the week while Redis is
// down, so the publication and the winners' notifications cannot be queued. Redis comes
// back empty (nothing on disk), and the round is then published and each winner notified
// exactly once: by the round workflow's retried activity or by the worker's sweeper,
// whichever gets there first, without the other one sending anything again.
func TestPublicationWaitsForRedisAndNotifiesOnce(t *testing.T) {
	rd := startPrivateRedis(t)
	t.Setenv("REDIS_ADDR", rd.Addr())
	limits := api.DefaultLimits
	limits.StartsPerUser = api.Limit{Max: 1000, Window: time.Minute} // the sitters poll until the round opens
	s := testenv.New(t, testenv.Options{Limits: limits, ScoreAtSubmit: true})
	// The worker's safety net, as `contest worker` runs it, with a short period.
	sweepCtx, stopSweeper := context.WithCancel(context.Background())
	sweeperDone := make(chan struct{})
	go func() {
		defer close(sweeperDone)
		(&worker.Sweeper{Store: s.Store, Tasks: s.Tasks, Interval: time.Second, Grace: 2 * time.Second, Log: slog.Default()}).Run(sweepCtx)
	}()
	t.Cleanup(func() { stopSweeper(); <-sweeperDone })

	committee := s.Staff(t, "committee")
	sitters := map[string]*testenv.Client{"all": s.Participant(t), "half": s.Participant(t), "none": s.Participant(t)}
	// A rehearsal is sat by staff and marked testers only.
	for _, p := range sitters {
		var me struct{ ID int64 }
		p.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
		committee.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/participants/%d/tester", me.ID), map[string]bool{"tester": true})
	}
	code, err := s.Campaigns.Rehearse(context.Background(), seed.DefaultCampaignCode, campaigns.RehearsalOptions{
		Week: 30 * time.Second, TimeLimit: 40 * time.Second, Lead: 3 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		ID     int64  `json:"id"`
		Stage  string `json:"stage"`
		Rounds []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"rounds"`
	}
	getState := func() {
		r := call("GET", s.URL+"/api/v1/campaigns/"+code, committee.Token, nil)
		if r.Err != nil || r.Status != http.StatusOK {
			t.Fatalf("campaign state: %v %d %s", r.Err, r.Status, r.Body)
		}
		if err := jsonUnmarshal(r.Body, &state); err != nil {
			t.Fatal(err)
		}
	}
	getState()
	t.Cleanup(func() {
		_ = s.Temporal.TerminateWorkflow(context.Background(), workflows.CampaignWorkflowID(s.Installation, state.ID), "", "test over")
	})
	decide := func(kind string, round int) reply {
		return call("POST", s.URL+"/api/v1/campaigns/"+code+"/decisions", committee.Token,
			map[string]any{"kind": kind, "round": round, "outcome": "approved", "comment": "kiểm thử"})
	}
	waitUntil(t, 10*time.Second, "the question bank stage", func() bool { getState(); return state.Stage == workflows.StageQuestionBank })
	for round := 1; round <= 4; round++ {
		if r := decide("question_set", round); r.Status != http.StatusOK {
			t.Fatalf("approve set %d: %v %d %s", round, r.Err, r.Status, r.Body)
		}
	}
	waitUntil(t, 10*time.Second, "the trial run stage", func() bool { getState(); return state.Stage == workflows.StageTrialRun })
	if r := decide("go_live", 0); r.Status != http.StatusOK {
		t.Fatalf("go live: %v %d %s", r.Err, r.Status, r.Body)
	}
	round1 := state.Rounds[0].ID

	rd.stop()
	redisDown := time.Now()
	t.Logf("Redis stopped at go-live")

	sitWithRedisDown(t, s, sitters, round1)

	waitUntil(t, 90*time.Second, "week 1 to be ranked", func() bool {
		r := call("GET", s.URL+"/api/v1/campaigns/"+code+"/rounds/1/ranking", committee.Token, nil)
		return r.Err == nil && r.Status == http.StatusOK && strings.Contains(string(r.Body), `"state":"ranked"`)
	})
	if r := decide("weekly_results", 1); r.Status != http.StatusOK {
		t.Fatalf("approve week 1 with Redis down: %v %d %s", r.Err, r.Status, r.Body)
	}
	approved := time.Now()
	// Long enough for several sweeps and activity retries, all of which fail to enqueue.
	time.Sleep(6 * time.Second)
	// A rehearsal's results are never public: publication is read from the database.
	publications := func() int {
		var n int
		if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM publications WHERE round_id = $1`, round1).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := publications(); n != 0 {
		t.Fatalf("published with Redis down? %d publications", n)
	}
	countNotifications := func() (queued, sent, overTried int) {
		if err := s.Store.Pool().QueryRow(context.Background(), `
			SELECT count(*), count(sent_at), count(*) FILTER (WHERE tries > 1)
			FROM notifications WHERE kind = 'weekly_prize'`).Scan(&queued, &sent, &overTried); err != nil {
			t.Fatal(err)
		}
		return
	}
	if q, sent, _ := countNotifications(); q != 0 || sent != 0 || len(s.Notified.Sent()) != 0 {
		t.Fatalf("with Redis down: %d prize notifications queued, %d sent, %d delivered", q, sent, len(s.Notified.Sent()))
	}
	getState()
	t.Logf("approved with Redis down; %v later: round state %q, not published, 0 notifications", time.Since(approved).Round(time.Second), state.Rounds[0].State)

	rd.start(t)
	back := time.Now()
	t.Logf("Redis back (empty) after %v", back.Sub(redisDown).Round(time.Second))
	waitUntil(t, 90*time.Second, "week 1's results to be published", func() bool {
		return publications() == 1
	})
	published := time.Since(back)
	// The winners are whoever the ranking gave a prize: the sitter with no correct answer
	// wins none (a prize needs at least one), however few sat.
	var winners int
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT count(*) FROM round_rankings WHERE round_id = $1 AND prize IS NOT NULL`, round1).Scan(&winners); err != nil {
		t.Fatal(err)
	}
	if winners < 2 {
		t.Fatalf("%d winners in week 1; the sitters who answered correctly should both win", winners)
	}
	waitUntil(t, 60*time.Second, "a notification for each winner", func() bool { _, sent, _ := countNotifications(); return sent == winners })
	notified := time.Since(back)
	// The round workflow's own retried PublishRound must also have gone through by now:
	// both it and the sweeper enqueued the same publication into a Redis that had forgotten
	// the first one's task id.
	roundWF := workflows.RoundWorkflowID(s.Installation, round1)
	waitUntil(t, 120*time.Second, "the round workflow to finish publishing", func() bool {
		d, err := s.Temporal.DescribeWorkflow(context.Background(), roundWF, "")
		return err == nil && d.RawResponse.WorkflowExecutionInfo.Status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	time.Sleep(3 * time.Second) // further sweeps, and any send wrongly enqueued twice, run
	queued, sent, overTried := countNotifications()
	perRecipient := map[string]int{}
	for _, m := range s.Notified.Sent() {
		if strings.Contains(m.Subject, "tuần 1") {
			perRecipient[m.Recipient]++
		}
	}
	t.Logf("Redis back: published after %v, %d notifications sent after %v; at the end %d queued, %d sent, %d tried more than once, deliveries per winner %v",
		published.Round(100*time.Millisecond), winners, notified.Round(100*time.Millisecond), queued, sent, overTried, perRecipient)
	if queued != winners || sent != winners || overTried != 0 || len(perRecipient) != winners {
		t.Fatalf("%d queued, %d sent, %d tried more than once, delivered %v: want each of the %d winners notified once", queued, sent, overTried, perRecipient, winners)
	}
	for who, n := range perRecipient {
		if n != 1 {
			t.Fatalf("%s notified %d times", who, n)
		}
	}
}

// sitWithRedisDown has the three sitters take the week at once with Redis down: start,
// answers, prediction and submit must all succeed.
func sitWithRedisDown(t *testing.T, s *testenv.Stack, sitters map[string]*testenv.Client, round1 int64) {
	requests := 0
	// Each request waits for the rate limiter to give up on Redis, so the three sit at once.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	var slowest, total time.Duration
	for _, who := range []string{"all", "half", "none"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sit(s, sitters[who], who, round1, &mu, &requests, &slowest, &total); err != nil {
				mu.Lock()
				problems = append(problems, who+": "+err.Error())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(problems) > 0 {
		t.Fatalf("with Redis down: %v", problems)
	}
	t.Logf("with Redis down: %d quiz requests (start polls, answers, predictions, submits) all answered as without the fault; mean %v, slowest %v (the rate limiter waiting for Redis)",
		requests, (total / time.Duration(max(requests, 1))).Round(time.Millisecond), slowest.Round(time.Millisecond))
}

// sit takes round 1 as who: all answers right, half of them, or none and no submit (the
// deadline submits it). It counts requests and the slowest answer.
func sit(s *testenv.Stack, p *testenv.Client, who string, roundID int64, mu *sync.Mutex, requests *int, slowest, total *time.Duration) error {
	do := func(method, path string, body any) reply {
		began := time.Now()
		r := call(method, s.URL+path, p.Token, body)
		mu.Lock()
		*requests++
		*slowest = max(*slowest, time.Since(began))
		*total += time.Since(began)
		mu.Unlock()
		return r
	}
	var a struct {
		AttemptID int64 `json:"attempt_id"`
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		r := do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID), nil)
		if r.Err == nil && r.Status == http.StatusCreated {
			if err := jsonUnmarshal(r.Body, &a); err != nil {
				return err
			}
			break
		}
		if r.Err != nil || r.errorCode() != "round_closed" || time.Now().After(deadline) {
			return fmt.Errorf("start: %v %d %s", r.Err, r.Status, r.Body)
		}
		time.Sleep(250 * time.Millisecond)
	}
	keys, err := correctKeys(s, a.AttemptID)
	if err != nil {
		return err
	}
	answered := map[string]int{"all": 10, "half": 5, "none": 0}[who]
	for no := 1; no <= answered; no++ {
		if r := do("PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/%d", a.AttemptID, no), map[string]string{"choice": keys[no]}); r.Err != nil || r.Status != http.StatusOK {
			return fmt.Errorf("answer %d: %v %d %s", no, r.Err, r.Status, r.Body)
		}
	}
	if r := do("PUT", fmt.Sprintf("/api/v1/attempts/%d/prediction", a.AttemptID), map[string]int{"count": 1}); r.Err != nil || r.Status != http.StatusOK {
		return fmt.Errorf("prediction: %v %d %s", r.Err, r.Status, r.Body)
	}
	if who == "none" {
		return nil
	}
	r := do("POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	var res struct {
		Status       string `json:"status"`
		CorrectCount int    `json:"correct_count"`
	}
	if r.Err != nil || r.Status != http.StatusOK || jsonUnmarshal(r.Body, &res) != nil {
		return fmt.Errorf("submit: %v %d %s", r.Err, r.Status, r.Body)
	}
	if res.Status != "submitted" || res.CorrectCount != answered {
		return fmt.Errorf("submitted: %+v, want %d correct", res, answered)
	}
	return nil
}

// correctKeys is testenv's CorrectKeys without a testing.T, for goroutines.
func correctKeys(s *testenv.Stack, attemptID int64) (map[int]string, error) {
	rows, err := s.Store.Pool().Query(context.Background(), `
		SELECT aq.no, array_position(aq.option_order, q.correct_option)
		FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id WHERE aq.attempt_id = $1`, attemptID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[int]string{}
	for rows.Next() {
		var no, pos int
		if err := rows.Scan(&no, &pos); err != nil {
			return nil, err
		}
		keys[no] = string(rune('A' + pos - 1))
	}
	return keys, rows.Err()
}
