package workflows

// The names the activities are registered under. Workflows call activities by name so
// that they depend on no implementation (and so on no database driver); the names are
// part of every recorded history and must not change.
const (
	ActivityFinalizeAttempt  = "FinalizeAttempt"
	ActivityLoadCampaignPlan = "LoadCampaignPlan"
	ActivityRecordDecision   = "RecordDecision"
	ActivityRecordStage      = "RecordStage"
	ActivityAdvanceRound     = "AdvanceRound"
	ActivityRankRound        = "RankRound"
	ActivityPublishRound     = "PublishRound"
	ActivityRemindCommittee  = "RemindCommittee"
	ActivityJuryComplete     = "JuryComplete"
)

// ActivityNames lists every name above, for the test that checks each is registered.
var ActivityNames = []string{
	ActivityFinalizeAttempt, ActivityLoadCampaignPlan, ActivityRecordDecision, ActivityRecordStage,
	ActivityAdvanceRound, ActivityRankRound, ActivityPublishRound, ActivityRemindCommittee, ActivityJuryComplete,
}

// DeadlineNotReachedErrorType is the application error type of an automatic close asked
// for before the database's clock reached the deadline; it is retried.
const DeadlineNotReachedErrorType = "DeadlineNotReached"
