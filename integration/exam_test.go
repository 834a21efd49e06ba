//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

func wrongKey(right string) string {
	if right == "A" {
		return "B"
	}
	return "A"
}

func startCurrent(t *testing.T, c *testenv.Client) (round, started) {
	t.Helper()
	var r round
	c.Expect(http.StatusOK, "GET", "/api/v1/rounds/current", nil).JSON(t, &r)
	var a started
	c.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID), nil).JSON(t, &a)
	return r, a
}

// The correct option must not travel to the browser while the attempt can still change.
func assertNoAnswerLeak(t *testing.T, body []byte) {
	t.Helper()
	for _, leak := range []string{"correct_key", "correct_option", "is_correct", "review"} {
		if strings.Contains(string(body), `"`+leak) {
			t.Fatalf("response exposes %q before the round closed: %s", leak, body)
		}
	}
}

func TestWholeExam(t *testing.T) {
	s := testenv.New(t, testenv.Options{ScoreAtSubmit: true})
	p := s.Participant(t)

	r, a := startCurrent(t, p)
	if r.Status != "open" || r.QuestionCount != 10 || r.TimeLimitSeconds != 630 {
		t.Fatalf("current round %+v", r)
	}
	if len(a.Questions) != 10 || a.PredictionQuestion == "" {
		t.Fatalf("started attempt has %d questions, prediction %q", len(a.Questions), a.PredictionQuestion)
	}
	if got := a.Deadline.Sub(a.StartedAt); got != 630*time.Second {
		t.Fatalf("deadline is %v after start, want 10m30s", got)
	}
	seen := map[string]bool{}
	for i, q := range a.Questions {
		if q.No != i+1 || len(q.Options) != 4 || q.Options[0].Key != "A" || q.Options[3].Key != "D" {
			t.Fatalf("question %d malformed: %+v", i+1, q)
		}
		if seen[q.Text] {
			t.Fatalf("question drawn twice: %q", q.Text)
		}
		seen[q.Text] = true
	}

	// Answer seven right and three wrong; change one answer on the way.
	keys := s.CorrectKeys(t, a.AttemptID)
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	for no := 1; no <= 10; no++ {
		choice := keys[no]
		if no > 7 {
			choice = wrongKey(keys[no])
		}
		if no == 1 {
			p.Expect(http.StatusOK, "PUT", fmt.Sprintf("%s/answers/%d", path, no), map[string]string{"choice": wrongKey(choice)})
		}
		p.Expect(http.StatusOK, "PUT", fmt.Sprintf("%s/answers/%d", path, no), map[string]string{"choice": choice})
	}
	p.Expect(http.StatusOK, "PUT", path+"/prediction", map[string]int{"count": 12})

	// A reload resumes: same questions, the saved answers, the server's remaining time.
	var resumed attempt
	resp := p.Expect(http.StatusOK, "GET", path, nil)
	assertNoAnswerLeak(t, resp.Body)
	resp.JSON(t, &resumed)
	if resumed.Status != "in_progress" || len(resumed.Answers) != 10 || resumed.Answers["1"] != keys[1] ||
		resumed.Prediction == nil || *resumed.Prediction != 12 {
		t.Fatalf("resumed attempt %+v", resumed)
	}
	if resumed.RemainingMS <= 0 || resumed.RemainingMS > 630_000 || !resumed.Deadline.Equal(a.Deadline) {
		t.Fatalf("remaining %d ms, deadline %v", resumed.RemainingMS, resumed.Deadline)
	}
	for i := range a.Questions {
		if resumed.Questions[i].Text != a.Questions[i].Text || resumed.Questions[i].Options[2] != a.Questions[i].Options[2] {
			t.Fatalf("question %d changed on reload", i+1)
		}
	}

	var res result
	p.Expect(http.StatusOK, "POST", path+"/submit", nil).JSON(t, &res)
	if res.Status != "submitted" || res.CorrectCount != 7 || res.QuestionCount != 10 || res.TimeUsedMS <= 0 || res.TimeUsedMS > 630_000 {
		t.Fatalf("submit result %+v", res)
	}
	// Submitting again answers the same single result.
	var again result
	p.Expect(http.StatusOK, "POST", path+"/submit", nil).JSON(t, &again)
	if again != res {
		t.Fatalf("second submit %+v differs from first %+v", again, res)
	}
	if code := p.Do("PUT", path+"/answers/9", map[string]string{"choice": keys[9]}).ErrorCode(); code != "attempt_closed" {
		t.Fatalf("answer after submit: code %q, want attempt_closed", code)
	}

	var closed attempt
	resp = p.Expect(http.StatusOK, "GET", path, nil)
	assertNoAnswerLeak(t, resp.Body) // the round is still open
	resp.JSON(t, &closed)
	if closed.Status != "submitted" || closed.Result == nil || *closed.Result != res {
		t.Fatalf("closed attempt %+v", closed)
	}

	// The submission ends the exam's workflow (it is told right after the answer), and
	// the database holds exactly one result.
	waitFor(t, 15*time.Second, "the exam workflow to complete", func() bool {
		desc, err := s.Temporal.DescribeWorkflow(context.Background(), workflows.ExamWorkflowID(s.Installation, a.AttemptID), "")
		if err != nil {
			t.Fatal(err)
		}
		return desc.RawResponse.WorkflowExecutionInfo.Status == enums.WORKFLOW_EXECUTION_STATUS_COMPLETED
	})
	s.RecordHistory(t, workflows.ExamWorkflowID(s.Installation, a.AttemptID), "exam_submitted_by_signal")
	var results int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM results WHERE attempt_id = $1`, a.AttemptID).Scan(&results); err != nil {
		t.Fatal(err)
	}
	if results != 1 {
		t.Fatalf("%d result rows, want 1", results)
	}

	// The default campaign allows one attempt per round.
	if code := p.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID), nil).ErrorCode(); code != "attempt_limit_reached" {
		t.Fatalf("second attempt: code %q, want attempt_limit_reached", code)
	}
}

func TestExamExpiresAndIsSubmittedAutomatically(t *testing.T) {
	// Room for the four saves below on a busy machine before the deadline.
	const limit = 8 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit, ScoreAtSubmit: true})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	p.Expect(http.StatusOK, "PUT", path+"/answers/2", map[string]string{"choice": keys[2]})
	p.Expect(http.StatusOK, "PUT", path+"/answers/5", map[string]string{"choice": keys[5]})
	p.Expect(http.StatusOK, "PUT", path+"/answers/6", map[string]string{"choice": wrongKey(keys[6])})
	p.Expect(http.StatusOK, "PUT", path+"/prediction", map[string]int{"count": 3})

	// Right after the deadline the database refuses answers, whether or not the
	// workflow's timer has fired yet.
	time.Sleep(time.Until(a.Deadline.Add(50 * time.Millisecond)))
	if r := p.Do("PUT", path+"/answers/1", map[string]string{"choice": keys[1]}); r.Status != http.StatusConflict || r.ErrorCode() != "attempt_closed" {
		t.Fatalf("late answer: %d %s", r.Status, r.Body)
	}
	if r := p.Do("PUT", path+"/prediction", map[string]int{"count": 5}); r.ErrorCode() != "attempt_closed" {
		t.Fatalf("late prediction: %d %s", r.Status, r.Body)
	}

	var got attempt
	deadline := time.Now().Add(15 * time.Second)
	for {
		p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
		if got.Status != "in_progress" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got.Status != "auto_submitted" || got.Result == nil {
		t.Fatalf("attempt after its deadline: %+v", got)
	}
	if got.Result.CorrectCount != 2 || got.Result.TimeUsedMS != limit.Milliseconds() {
		t.Fatalf("result %+v, want 2 correct and the whole time limit used", got.Result)
	}
	if got.Prediction == nil || *got.Prediction != 3 {
		t.Fatalf("prediction %v, want the one saved before the deadline", got.Prediction)
	}
	// A submit after the automatic one returns that same result.
	var res result
	p.Expect(http.StatusOK, "POST", path+"/submit", nil).JSON(t, &res)
	if res != *got.Result {
		t.Fatalf("submit after expiry %+v, want %+v", res, *got.Result)
	}
	s.RecordHistory(t, workflows.ExamWorkflowID(s.Installation, a.AttemptID), "exam_auto_submitted_local_finalize")
}

func TestSubmitRacingTheDeadlineYieldsOneResult(t *testing.T) {
	const limit = 2 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	path := fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID)

	time.Sleep(time.Until(a.Deadline.Add(-30 * time.Millisecond)))
	const racers = 6
	results := make(chan result, racers)
	for range racers {
		go func() {
			var r result
			resp := p.Do("POST", path, nil)
			if resp.Status != http.StatusOK {
				t.Errorf("submit: %d %s", resp.Status, resp.Body)
			}
			resp.JSON(t, &r)
			results <- r
		}()
	}
	first := <-results
	for range racers - 1 {
		if r := <-results; r != first {
			t.Fatalf("racing submits disagree: %+v vs %+v", r, first)
		}
	}
	var rows int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM results WHERE attempt_id = $1`, a.AttemptID).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Fatalf("%d result rows, want 1", rows)
	}
}

func TestSubmitWorksWhenNoWorkerRuns(t *testing.T) {
	// With no worker polling, the update cannot complete; the API closes the attempt in
	// PostgreSQL itself rather than leave the participant waiting.
	s := testenv.New(t, testenv.Options{NoWorker: true})
	p := s.Participant(t)
	_, a := startCurrent(t, p)
	var res result
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil).JSON(t, &res)
	if res.Status != "submitted" {
		t.Fatalf("result %+v", res)
	}
}
