package rules

import (
	"encoding/json"
	"fmt"
	"time"
)

// CampaignSettings are the rules of a campaign that have no column of their own. What the
// plan fixes, and what we chose where it is silent, is data here rather than code.
type CampaignSettings struct {
	ParticipationThresholds map[string]float64 `json:"participation_thresholds"`
	WeeklyPrizes            PrizeCounts        `json:"weekly_prizes"`
	VideoPrizes             PrizeCounts        `json:"video_prizes"`
	CollectivePrizes        PrizeCounts        `json:"collective_prizes"`
	Ranking                 []string           `json:"ranking"`
	PrizesPerParticipant    int                `json:"prizes_per_participant_per_round"`
	VideoDeadline           time.Time          `json:"video_deadline"`
	VideoMaxSeconds         int                `json:"video_max_seconds"`
	CollectiveTopByVideo    int                `json:"collective_top_by_video"`
	CollectiveRanking       []string           `json:"collective_ranking"`
	VideoCriteria           []Criterion        `json:"video_criteria"`
	// ApprovalReminderSeconds is how long the workflow waits for a committee decision
	// before it reminds the committee, and again after each reminder.
	ApprovalReminderSeconds int `json:"approval_reminder_seconds"`
	// RankingSettleSeconds is how long after the last possible exam deadline of a round
	// the ranking runs, so the last automatic submissions are in.
	RankingSettleSeconds int `json:"ranking_settle_seconds"`
	// ReviewRelease is when the correct options are shown: ReviewAfterLastDeadline (the
	// default: closing time + time limit + ReviewSettleSeconds) or ReviewAfterRanking.
	ReviewRelease       string `json:"review_release"`
	ReviewSettleSeconds int    `json:"review_settle_seconds"`
	// ScoreShown is when a participant sees their correct count: ScoreAfterRanking (the
	// default) or ScoreAtSubmit.
	ScoreShown string `json:"score_shown"`
	// PublicTopSize is how many places of a published round the public results page lists
	// (national contests publish a weekly top 50).
	PublicTopSize int `json:"public_top_size"`
}

// DefaultPublicTopSize is the length of a published round's public top list.
const DefaultPublicTopSize = 50

// ParseSettings reads a campaign's settings and fills in defaults for what is missing.
func ParseSettings(raw []byte) (CampaignSettings, error) {
	var s CampaignSettings
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &s); err != nil {
			return s, fmt.Errorf("campaign settings: %w", err)
		}
	}
	if len(s.Ranking) == 0 {
		s.Ranking = DefaultRanking
	}
	if s.WeeklyPrizes == (PrizeCounts{}) {
		s.WeeklyPrizes = PrizeCounts{First: 1, Second: 2, Third: 3}
	}
	if len(s.VideoCriteria) == 0 {
		s.VideoCriteria = DefaultVideoCriteria
	}
	if s.VideoMaxSeconds <= 0 {
		s.VideoMaxSeconds = 7 * 60
	}
	if s.VideoPrizes == (PrizeCounts{}) {
		s.VideoPrizes = PrizeCounts{First: 1, Second: 2, Third: 3}
	}
	if s.CollectivePrizes == (PrizeCounts{}) {
		s.CollectivePrizes = PrizeCounts{First: 1, Second: 2, Third: 3}
	}
	if s.CollectiveTopByVideo <= 0 {
		s.CollectiveTopByVideo = 20
	}
	if s.ApprovalReminderSeconds <= 0 {
		s.ApprovalReminderSeconds = 24 * 3600
	}
	if s.RankingSettleSeconds <= 0 {
		s.RankingSettleSeconds = 60
	}
	if s.ReviewRelease == "" {
		s.ReviewRelease = ReviewAfterLastDeadline
	}
	if s.ReviewSettleSeconds <= 0 {
		s.ReviewSettleSeconds = int(DefaultReviewSettle / time.Second)
	}
	if s.ScoreShown == "" {
		s.ScoreShown = ScoreAfterRanking
	}
	if s.PublicTopSize <= 0 {
		s.PublicTopSize = DefaultPublicTopSize
	}
	return s, nil
}

// ApprovalReminder is ApprovalReminderSeconds as a duration.
func (s CampaignSettings) ApprovalReminder() time.Duration {
	return time.Duration(s.ApprovalReminderSeconds) * time.Second
}

// RankingSettle is RankingSettleSeconds as a duration.
func (s CampaignSettings) RankingSettle() time.Duration {
	return time.Duration(s.RankingSettleSeconds) * time.Second
}

// ReviewSettle is ReviewSettleSeconds as a duration.
func (s CampaignSettings) ReviewSettle() time.Duration {
	return time.Duration(s.ReviewSettleSeconds) * time.Second
}

// Disclosure fills in the campaign's release policies.
func (s CampaignSettings) Disclosure(in DisclosureInput) DisclosureInput {
	in.ReviewPolicy, in.ScorePolicy, in.Settle = s.ReviewRelease, s.ScoreShown, s.ReviewSettle()
	return in
}
