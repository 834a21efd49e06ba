//go:build faults

package faults

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

// save is one answer save as the client saw it.
type save struct {
	no     int
	choice string
	r      reply
}

// PostgreSQL crashes (SIGKILL to the postmaster and every backend) while 30 participants
// save answers, and comes back after crash recovery. No save the API acknowledged with 200
// is lost, and every save that failed got the one error shape with a status to retry on.
func TestAnswerSavesSurviveAPostgresCrash(t *testing.T) {
	pg := startPrivatePostgres(t)
	t.Setenv("TEST_DATABASE_URL", pg.AdminURL())
	limits := api.DefaultLimits
	limits.AnswersPerUser = api.Limit{Max: 1_000_000, Window: time.Minute}
	s := testenv.New(t, testenv.Options{Limits: limits})

	const participants = 30
	type sitter struct {
		token   string
		attempt int64
		saves   []save
	}
	sitters := make([]*sitter, participants)
	for i := range sitters {
		p := s.Participant(t)
		var r struct{ ID int64 }
		p.Expect(http.StatusOK, "GET", "/api/v1/rounds/current", nil).JSON(t, &r)
		var a struct {
			AttemptID int64 `json:"attempt_id"`
		}
		p.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", r.ID), nil).JSON(t, &a)
		sitters[i] = &sitter{token: p.Token, attempt: a.AttemptID}
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	for _, st := range sitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				no := 1 + rand.IntN(10)
				choice := string(rune('A' + rand.IntN(4)))
				r := call("PUT", fmt.Sprintf("%s/api/v1/attempts/%d/answers/%d", s.URL, st.attempt, no), st.token,
					map[string]string{"choice": choice})
				st.saves = append(st.saves, save{no, choice, r})
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	time.Sleep(3 * time.Second)
	crashed := time.Now()
	pg.kill()
	time.Sleep(2 * time.Second) // the outage
	pg.start(t)
	back := time.Now()
	t.Logf("PostgreSQL down %v (crash, 2 s outage, restart and crash recovery)", back.Sub(crashed).Round(time.Millisecond))
	time.Sleep(4 * time.Second) // saves go on after the restart
	stop.Store(true)
	wg.Wait()

	var acked, failed, transport, shapeless, lost, ambiguousKept int
	codes := map[string]int{}
	// Thousands of saves fail in the outage: show the first few violations, count the rest.
	violations := 0
	violation := func(format string, args ...any) {
		t.Helper()
		if violations++; violations <= 10 {
			t.Errorf(format, args...)
		}
	}
	defer func() {
		if violations > 10 {
			t.Errorf("... and %d more violations", violations-10)
		}
	}()
	for _, st := range sitters {
		for _, sv := range st.saves {
			switch {
			case sv.r.Err != nil:
				transport++
				violation("attempt %d answer %d: no HTTP answer: %v", st.attempt, sv.no, sv.r.Err)
			case sv.r.Status == http.StatusOK:
				acked++
			default:
				failed++
				code := sv.r.errorCode()
				codes[fmt.Sprintf("%d %s", sv.r.Status, code)]++
				if code == "" {
					shapeless++
					violation("attempt %d answer %d: %d without the error shape: %s", st.attempt, sv.no, sv.r.Status, sv.r.Body)
				} else if sv.r.Status != http.StatusServiceUnavailable || sv.r.RetryAfter == "" {
					violation("attempt %d answer %d: %d %s (Retry-After %q), want 503 with Retry-After: a client must know to retry",
						st.attempt, sv.no, sv.r.Status, sv.r.Body, sv.r.RetryAfter)
				}
			}
		}
		// What the participant's page shows once the database is back.
		got := call("GET", fmt.Sprintf("%s/api/v1/attempts/%d", s.URL, st.attempt), st.token, nil)
		if got.Err != nil || got.Status != http.StatusOK {
			t.Fatalf("resume attempt %d after the restart: %v %d %s", st.attempt, got.Err, got.Status, got.Body)
		}
		var view struct {
			Answers map[string]string `json:"answers"`
		}
		if err := jsonUnmarshal(got.Body, &view); err != nil {
			t.Fatal(err)
		}
		for no := 1; no <= 10; no++ {
			// Allowed: the last acknowledged choice, or a choice sent after it whose outcome
			// the client never learned (the database may have committed it before dying).
			allowed := map[string]bool{}
			ackedChoice := ""
			for _, sv := range st.saves {
				if sv.no != no {
					continue
				}
				if sv.r.Err == nil && sv.r.Status == http.StatusOK {
					ackedChoice = sv.choice
					allowed = map[string]bool{sv.choice: true}
				} else {
					allowed[sv.choice] = true
				}
			}
			stored, ok := view.Answers[fmt.Sprint(no)]
			switch {
			case ackedChoice == "" && !ok:
			case ok && allowed[stored]:
				if stored != ackedChoice {
					ambiguousKept++
				}
			default:
				lost++
				violation("attempt %d question %d: stored %q (present %v), last acknowledged %q, allowed %v",
					st.attempt, no, stored, ok, ackedChoice, allowed)
			}
		}
		// The attempt can still be submitted.
		if r := call("POST", fmt.Sprintf("%s/api/v1/attempts/%d/submit", s.URL, st.attempt), st.token, nil); r.Err != nil || r.Status != http.StatusOK {
			t.Errorf("submit attempt %d after the restart: %v %d %s", st.attempt, r.Err, r.Status, r.Body)
		}
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("saves: %d acknowledged, %d failed %v, %d without an HTTP answer, %d failures without the error shape; "+
		"questions whose stored answer contradicts an acknowledged save: %d; stored answers from a failed save sent after the last acknowledged one: %d",
		acked, failed, fmtCounts(keys, codes), transport, shapeless, lost, ambiguousKept)
	if acked == 0 || failed == 0 {
		t.Fatalf("the test did not exercise the outage: %d acknowledged, %d failed", acked, failed)
	}
}

func fmtCounts(keys []string, m map[string]int) string {
	out := "["
	for i, k := range keys {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s: %d", k, m[k])
	}
	return out + "]"
}
