package contest

// Campaign stages, in the order of plan 274/KH-UBND section IV.
const (
	StageNotStarted      = "not_started"      // before the campaign workflow records its first stage
	StageQuestionBank    = "question_bank"    // secretariat prepares each round's set; committee approves
	StageTrialRun        = "trial_run"        // software trial run; committee approves going live
	StageRounds          = "rounds"           // the weekly rounds, each a child workflow
	StageVideoSubmission = "video_submission" // until the video deadline
	StageJuryScoring     = "jury_scoring"     // jury scores the clips; committee closes it
	StageJointMeeting    = "joint_meeting"    // committee and jury meet
	StageResultsDecision = "results_decision" // committee approves the decision on the results
	StageCeremony        = "ceremony"         // closing ceremony and awards
	StageCompleted       = "completed"
)

// What a stage waits for besides a decision kind (a stage's waiting_for).
const (
	WaitingQuestionSetApprovals = "question_set_approvals"
	WaitingVideoDeadline        = "video_deadline"
)
