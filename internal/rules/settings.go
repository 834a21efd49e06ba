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
	// VideoOpensAt is when the video contest opened: no clip can have been received
	// before it. Zero when the campaign has no such date.
	VideoOpensAt         time.Time   `json:"video_opens_at,omitzero"`
	VideoMaxSeconds      int         `json:"video_max_seconds"`
	CollectiveTopByVideo int         `json:"collective_top_by_video"`
	CollectiveRanking    []string    `json:"collective_ranking"`
	VideoCriteria        []Criterion `json:"video_criteria"`
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
	// MinCorrectForPrize is the fewest correct answers that can win a weekly prize. It
	// defaults to 1, so that no answer right never wins; a value below 1 is refused.
	MinCorrectForPrize int `json:"min_correct_for_prize"`
	// PublicTopSize is how many places of a published round the public results page lists
	// (national contests publish a weekly top 50).
	PublicTopSize int `json:"public_top_size"`
	// Registration is how a registration its agency's roster does not list is treated:
	// RegistrationConfirmUnmatched (the default) or RegistrationRosterOnly.
	Registration string `json:"registration,omitempty"`
	// RequireCCCD makes the citizen ID number (12 digits) a required registration field.
	RequireCCCD bool `json:"require_cccd,omitempty"`
	// RegistrationCode, when set, is the contest password or link code a registration
	// must give (handed out by the agencies, as real contests do). Never shown by the API.
	RegistrationCode string `json:"registration_code,omitempty"`
}

// DefaultPublicTopSize is the length of a published round's public top list.
const DefaultPublicTopSize = 50

// SettingsError is a campaign setting a rule refuses. Its message is in Vietnamese: the
// staff who wrote the setting read it.
type SettingsError struct {
	Field   string
	Message string
}

func (e *SettingsError) Error() string { return e.Message }

// ParseSettings reads a campaign's settings and fills in defaults for what is missing.
func ParseSettings(raw []byte) (CampaignSettings, error) {
	var s CampaignSettings
	var given struct {
		MinCorrectForPrize *int `json:"min_correct_for_prize"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &s); err != nil {
			return s, fmt.Errorf("campaign settings: %w", err)
		}
		if err := json.Unmarshal(raw, &given); err != nil {
			return s, fmt.Errorf("campaign settings: %w", err)
		}
	}
	// A minimum written as 0 (or less) would give a prize for no correct answer: refused,
	// not silently replaced, so that whoever wrote it learns the rule.
	if given.MinCorrectForPrize != nil && *given.MinCorrectForPrize < 1 {
		return s, &SettingsError{Field: "min_correct_for_prize", Message: fmt.Sprintf(
			"Số câu trả lời đúng tối thiểu để nhận giải (min_correct_for_prize) phải từ 1 trở lên, không thể là %d.",
			*given.MinCorrectForPrize)}
	}
	if s.MinCorrectForPrize < 1 {
		s.MinCorrectForPrize = 1
	}
	switch s.Registration {
	case "":
		s.Registration = RegistrationConfirmUnmatched
	case RegistrationConfirmUnmatched, RegistrationRosterOnly:
	default:
		return s, &SettingsError{Field: "registration", Message: fmt.Sprintf(
			"Cách nhận đăng ký (registration) chỉ có thể là %q hoặc %q, không thể là %q.",
			RegistrationConfirmUnmatched, RegistrationRosterOnly, s.Registration)}
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
