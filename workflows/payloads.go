package workflows

import (
	"time"

	"github.com/hpcontest/contest/internal/rules"
)

// The payloads workflows exchange with their activities. They are owned here, not by the
// database package, because their JSON is part of every recorded history: a field renamed
// in a SQL row must not silently zero an old payload on replay. Field names and tags are
// exactly those of the recorded histories in testdata; the activities map them to and
// from store rows.

// FinalizeRequest asks to close an attempt; Manual is true when the participant submitted.
type FinalizeRequest struct {
	AttemptID int64
	Manual    bool
}

// ExamResult is the closed attempt an exam workflow returns.
type ExamResult struct {
	AttemptID     int64     `json:"attempt_id"`
	Status        string    `json:"status"`
	CorrectCount  int       `json:"correct_count"`
	QuestionCount int       `json:"question_count"`
	TimeUsedMS    int64     `json:"time_used_ms"`
	FinishedAt    time.Time `json:"finished_at"`
}

// PlanRound is one round of a campaign as its workflow plans it.
type PlanRound struct {
	ID                int64
	Number            int
	OpensAt, ClosesAt time.Time
	QuestionSetStatus string
	State             string
}

// CampaignPlan is the campaign's calendar and rules, and what was decided already.
type CampaignPlan struct {
	CampaignID int64
	Code       string
	TimeLimit  time.Duration
	Live       bool
	Settings   rules.CampaignSettings
	Rounds     []PlanRound
}

// DecisionRecord is a decision to store, with the id that makes storing it idempotent.
type DecisionRecord struct {
	CampaignID  int64
	Kind        string
	RoundNumber int // 0 when the decision is not about one round
	Outcome     string
	DecidedBy   int64
	Comment     string
	RequestID   string
}

// StageRecord is a stage the campaign entered.
type StageRecord struct {
	CampaignID int64
	Seq        int
	Stage      string
	WaitingFor string
	EnteredAt  time.Time
}

// RoundStateChange moves a round forward.
type RoundStateChange struct {
	RoundID int64
	State   string
}

// RankRequest asks to rank a round under the campaign's rules.
type RankRequest struct {
	RoundID  int64
	Criteria []string
	Prizes   rules.PrizeCounts
}

// RankSummary is what the committee is asked to approve.
type RankSummary struct {
	Participants int
	PerfectCount int
	Winners      int
	Ties         int
}

// ReminderRequest asks to remind the committee that a stage waits for them.
type ReminderRequest struct {
	CampaignID int64  `json:"campaign_id"`
	Stage      string `json:"stage"`
	Round      int    `json:"round"`
	Count      int    `json:"count"`
}
