//go:build integration

package webtest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// A participant who started on their phone opens the quiz page on another device, whose
// browser remembers no attempt: the page finds the attempt through the API and resumes it
// with the saved answer; after the submission it shows the result there.
func TestQuizResumesOnAnotherDevice(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	phone := s.Participant(t)
	var started struct {
		AttemptID int64 `json:"attempt_id"`
	}
	phone.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), nil).JSON(t, &started)
	phone.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/2", started.AttemptID), map[string]string{"choice": "B"})

	b := newBrowser(t, s.URL, 1280, 800)
	b.login(phone)
	b.open("/thi")
	b.waitFor("the quiz resumed", `!document.querySelector("#quiz").hidden && document.querySelectorAll("#questions fieldset.question").length === 10`, step)
	if got := b.attemptID(); got != started.AttemptID {
		t.Fatalf("page resumed attempt %d, want %d", got, started.AttemptID)
	}
	if !eval[bool](b, `document.querySelector("#q2-B").checked`) {
		t.Fatal("the answer saved on the phone is not shown as chosen")
	}

	phone.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", started.AttemptID), nil)
	eval[any](b, `localStorage.removeItem("contest.attempt")`)
	b.open("/thi")
	b.waitFor("the result", `!document.querySelector("#done").hidden && document.querySelector("#result") !== null`, step)
	if got := b.text("#result .result-status dd"); got != "Đã nộp bài" {
		t.Fatalf("result status shown as %q", got)
	}
	b.assertNoProblems()
}
