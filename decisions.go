package contest

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
