package contest

import "time"

// Decision kinds: the stage transitions the plan gives to people.
const (
	DecisionQuestionSet      = "question_set"       // committee approves or sends back a round's set
	DecisionQuestionSetReady = "question_set_ready" // secretariat resubmits a set that was sent back
	DecisionGoLive           = "go_live"            // committee approves going live after the trial run
	DecisionWeeklyResults    = "weekly_results"     // committee approves or sends back a week's ranking
	DecisionCloseJury        = "close_jury"         // committee closes jury scoring
	DecisionJointMeeting     = "joint_meeting"      // committee and jury met
	DecisionFinalResults     = "final_results"      // committee approves the decision on the results
	DecisionCeremonyHeld     = "ceremony_held"      // the closing ceremony took place
)

// Decision outcomes.
const (
	OutcomeApproved = "approved"
	OutcomeSentBack = "sent_back"
	OutcomeDone     = "done" // acknowledgements
)

// DecisionOutcomes lists the outcomes a decision kind takes, the usual one first: an
// approval is approved or sent back, every other kind acknowledges that something
// happened.
func DecisionOutcomes(kind string) []string {
	switch kind {
	case DecisionQuestionSet, DecisionGoLive, DecisionWeeklyResults, DecisionFinalResults:
		return []string{OutcomeApproved, OutcomeSentBack}
	}
	return []string{OutcomeDone}
}

// IsApproval says whether a decision kind is approved or sent back rather than acknowledged.
func IsApproval(kind string) bool { return DecisionOutcomes(kind)[0] == OutcomeApproved }

// Decision is one decision taken by a logged-in person (or, in rehearsals, the system).
type Decision struct {
	Kind      string
	Round     int
	Outcome   string // approved or sent_back; done for acknowledgements
	ActorID   int64
	ActorRole string
	Comment   string
}

// DecisionReceipt tells the person what was recorded, and in which stage.
type DecisionReceipt struct {
	Kind      string
	Round     int
	Outcome   string
	Stage     string
	DecidedAt time.Time
}

// SetRevision says that a round's question set has a new revision, which waits for the
// committee again.
type SetRevision struct {
	Round    int
	Revision int
}
