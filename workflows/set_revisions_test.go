package workflows

import (
	"testing"

	"github.com/hpcontest/contest"
)

// A decision on a question set is taken in the question bank stage, and later only on a
// set that a revision put back before the committee.
func TestSetDecisionsAfterTheQuestionBankStage(t *testing.T) {
	plan := CampaignPlan{Rounds: []PlanRound{{Number: 1}, {Number: 2}}}
	tests := []struct {
		name     string
		stage    string
		setState []string
		d        Decision
		allowed  bool
	}{
		{"approved set in the rounds stage", StageRounds, []string{"approved", "approved"}, Decision{Kind: contest.DecisionQuestionSet, Round: 1, Outcome: contest.OutcomeApproved}, false},
		{"revised set in the rounds stage", StageRounds, []string{"ready", "approved"}, Decision{Kind: contest.DecisionQuestionSet, Round: 1, Outcome: contest.OutcomeApproved}, true},
		{"revised set in the trial run", StageTrialRun, []string{"approved", "ready"}, Decision{Kind: contest.DecisionQuestionSet, Round: 2, Outcome: contest.OutcomeSentBack}, true},
		{"revised set sent back, resubmitted", StageRounds, []string{"sent_back", "approved"}, Decision{Kind: contest.DecisionQuestionSetReady, Round: 1, Outcome: contest.OutcomeDone}, true},
		{"revised set after the rounds", StageVideoSubmission, []string{"ready", "approved"}, Decision{Kind: contest.DecisionQuestionSet, Round: 1, Outcome: contest.OutcomeApproved}, false},
		{"another round's set is still approved", StageRounds, []string{"ready", "approved"}, Decision{Kind: contest.DecisionQuestionSet, Round: 2, Outcome: contest.OutcomeApproved}, false},
		{"go-live is not reopened", StageRounds, []string{"ready", "approved"}, Decision{Kind: contest.DecisionGoLive, Outcome: contest.OutcomeApproved}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &campaign{stage: tt.stage, plan: plan, setState: tt.setState}
			if err := c.validate(tt.d); (err == nil) != tt.allowed {
				t.Fatalf("validate: %v, want allowed %v", err, tt.allowed)
			}
		})
	}
}
