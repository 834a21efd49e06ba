package store

import (
	"slices"
	"testing"

	"github.com/hpcontest/contest"
)

func TestWaitingItems(t *testing.T) {
	round := func(n int, state, set string) RoundStatus {
		return RoundStatus{Number: n, State: state, QuestionSetStatus: set}
	}
	tests := []struct {
		name       string
		waitingFor string
		rounds     []RoundStatus
		want       []WaitingItem
	}{
		{
			name:       "question bank: each set not approved, by who must act",
			waitingFor: "question_set_approvals",
			rounds: []RoundStatus{round(1, "scheduled", "approved"), round(2, "scheduled", "draft"),
				round(3, "scheduled", "sent_back"), round(4, "scheduled", "ready")},
			want: []WaitingItem{{contest.DecisionQuestionSet, 2, WaitingOnCommittee}, {contest.DecisionQuestionSetReady, 3, WaitingOnSecretariat},
				{contest.DecisionQuestionSet, 4, WaitingOnCommittee}},
		},
		{
			name:       "rounds stage with a week ranked: the week waits, though the stage waits for nothing",
			waitingFor: "",
			rounds:     []RoundStatus{round(1, "published", "approved"), round(2, "ranked", "approved"), round(3, "open", "approved")},
			want:       []WaitingItem{{contest.DecisionWeeklyResults, 2, WaitingOnCommittee}},
		},
		{
			name:       "rounds stage with no week ranked: nothing",
			waitingFor: "",
			rounds:     []RoundStatus{round(1, "closed", "approved"), round(2, "open", "approved")},
			want:       []WaitingItem{},
		},
		{
			name:       "a stage waiting for a committee acknowledgement",
			waitingFor: "close_jury",
			rounds:     []RoundStatus{round(1, "published", "approved")},
			want:       []WaitingItem{{"close_jury", 0, WaitingOnCommittee}},
		},
		{
			name:       "the video deadline is the calendar's",
			waitingFor: "video_deadline",
			want:       []WaitingItem{{"video_deadline", 0, WaitingOnCalendar}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WaitingItems(tt.waitingFor, tt.rounds); !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// The buttons of the staff pages come from AllowedDecisions: every waiting decision with
// the outcomes its kind takes and who takes it, never the calendar.
func TestAllowedDecisions(t *testing.T) {
	rounds := []RoundStatus{{Number: 1, QuestionSetStatus: "ready", QuestionSetRevision: 3}, {Number: 2, QuestionSetStatus: "sent_back", QuestionSetRevision: 1}}
	waiting := []WaitingItem{{contest.DecisionQuestionSet, 1, WaitingOnCommittee}, {contest.DecisionQuestionSetReady, 2, WaitingOnSecretariat},
		{contest.WaitingVideoDeadline, 0, WaitingOnCalendar}, {contest.DecisionCloseJury, 0, WaitingOnCommittee}, {contest.DecisionWeeklyResults, 2, WaitingOnCommittee}}
	want := []AllowedDecision{
		{Kind: contest.DecisionQuestionSet, Round: 1, Outcomes: []string{contest.OutcomeApproved, contest.OutcomeSentBack}, By: WaitingOnCommittee, QuestionSetRevision: 3},
		{Kind: contest.DecisionQuestionSetReady, Round: 2, Outcomes: []string{contest.OutcomeDone}, By: WaitingOnSecretariat, QuestionSetRevision: 1},
		{Kind: contest.DecisionCloseJury, Outcomes: []string{contest.OutcomeDone}, By: WaitingOnCommittee},
		{Kind: contest.DecisionWeeklyResults, Round: 2, Outcomes: []string{contest.OutcomeApproved, contest.OutcomeSentBack}, By: WaitingOnCommittee},
	}
	got := AllowedDecisions(waiting, rounds)
	if !slices.EqualFunc(got, want, func(a, b AllowedDecision) bool {
		return a.Kind == b.Kind && a.Round == b.Round && slices.Equal(a.Outcomes, b.Outcomes) && a.By == b.By && a.QuestionSetRevision == b.QuestionSetRevision
	}) {
		t.Fatalf("allowed decisions\n got %+v\nwant %+v", got, want)
	}
	if got := AllowedDecisions(nil, nil); got == nil || len(got) != 0 {
		t.Fatalf("nothing waiting gives %#v, want an empty list", got)
	}
}
