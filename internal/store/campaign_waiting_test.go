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
