//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// TestAccommodationExtraTimeMovesARunningExam: the committee grants a minute to a
// participant whose attempt is already running. The grant's answer and the attempt both
// report the moved deadline, an answer after the old deadline is taken, and the exam
// workflow, told by a signal, closes the attempt at the new deadline with the whole
// extended time used.
func TestAccommodationExtraTimeMovesARunningExam(t *testing.T) {
	// Long enough for the grant to land before the old deadline on a busy machine.
	const limit = 6 * time.Second
	s := testenv.New(t, testenv.Options{TimeLimit: limit})
	committee := s.Staff(t, "committee")
	p := s.Participant(t)
	phone := phoneOf(t, s, p)
	r, a := startCurrent(t, p)
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)

	var g struct {
		accommodation
		Moved []struct {
			AttemptID int64     `json:"attempt_id"`
			Deadline  time.Time `json:"deadline"`
		} `json:"moved_attempts"`
	}
	committee.Expect(http.StatusCreated, "POST", fmt.Sprintf("/api/v1/rounds/%d/accommodations", r.ID), map[string]any{
		"phone": phone, "extra_minutes": 1, "reason": "Mất điện tại điểm thi trong lúc làm bài.",
	}).JSON(t, &g)
	want := a.Deadline.Add(time.Minute)
	if len(g.Moved) != 1 || g.Moved[0].AttemptID != a.AttemptID || !g.Moved[0].Deadline.Equal(want) {
		t.Fatalf("grant moved %+v, want attempt %d to %s", g.Moved, a.AttemptID, want)
	}
	var got attempt
	p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
	if !got.Deadline.Equal(want) || got.RemainingMS <= limit.Milliseconds() {
		t.Fatalf("attempt reports deadline %s, %d ms left; want %s", got.Deadline, got.RemainingMS, want)
	}

	// Past the old deadline (the database's clock decides), answers are still taken.
	time.Sleep(time.Until(a.Deadline.Add(time.Second)))
	keys := s.CorrectKeys(t, a.AttemptID)
	p.Expect(http.StatusOK, "PUT", path+"/answers/1", map[string]string{"choice": keys[1]})
	p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
	if got.Status != "in_progress" {
		t.Fatalf("attempt closed at the old deadline: %+v", got)
	}

	wait := time.Now().Add(time.Until(want) + 60*time.Second)
	for {
		p.Expect(http.StatusOK, "GET", path, nil).JSON(t, &got)
		if got.Status != "in_progress" || time.Now().After(wait) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if got.Status != "auto_submitted" || got.Result == nil {
		t.Fatalf("attempt after its moved deadline: %+v", got)
	}
	if w := (limit + time.Minute).Milliseconds(); got.Result.TimeUsedMS != w || got.Answers["1"] != keys[1] {
		t.Fatalf("result %+v, answers %v; want the extended %d ms used and the late answer kept", got.Result, got.Answers, w)
	}

	// The workflow itself moved its timer (not only the close retried at the database's
	// deadline): the signal is in its history next to the version marker.
	id := workflows.ExamWorkflowID(s.Installation, a.AttemptID)
	var signalled, marked bool
	iter := s.Temporal.GetWorkflowHistory(t.Context(), id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
			signalled = signalled || e.GetWorkflowExecutionSignaledEventAttributes().GetSignalName() == workflows.DeadlineMovedSignal
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			marked = marked || e.GetMarkerRecordedEventAttributes().GetMarkerName() == "Version"
		}
	}
	if !signalled || !marked {
		t.Fatalf("exam history: deadline signal %v, version marker %v; want both", signalled, marked)
	}
	s.RecordHistory(t, id, "exam_deadline_moved")
}
