package activities

import "github.com/hpcontest/contest/workflows"

// The workflow payloads moved to the workflows package, which owns their JSON; these
// names are kept for callers written before the move.
type (
	// Deprecated: use workflows.CampaignPlan.
	CampaignPlan = workflows.CampaignPlan
	// Deprecated: use workflows.StageRecord.
	StageRecord = workflows.StageRecord
	// Deprecated: use workflows.RoundStateChange.
	RoundStateChange = workflows.RoundStateChange
	// Deprecated: use workflows.RankRequest.
	RankRequest = workflows.RankRequest
	// Deprecated: use workflows.RankSummary.
	RankSummary = workflows.RankSummary
)
