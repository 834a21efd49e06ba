package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // the campaign calendar is in Asia/Ho_Chi_Minh whatever the host has

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

//go:embed data/*.csv
var data embed.FS

// DefaultCampaignCode is the seeded 2023 Hai Phong contest (plan 274/KH-UBND).
const DefaultCampaignCode = "hp-cchc-2023"

// Options change what Load writes.
type Options struct {
	// DemoAt, when set, shifts the calendar so that round 1 opens just before it and
	// creates demo staff accounts: a new user can take a quiz at once.
	DemoAt time.Time
	// TimeLimit overrides the campaign's 10 min 30 s (tests use a few seconds).
	TimeLimit time.Duration
}

// DemoStaff are the accounts a demo seed creates, so the committee pages can be tried.
var DemoStaff = []struct{ Name, Phone, Password, Role string }{
	{"Ban Tổ chức (demo)", "0911000001", "btc-demo-2023", contest.RoleCommittee},
	{"Tổ Thư ký (demo)", "0911000002", "thuky-demo-2023", contest.RoleSecretariat},
	{"Ban Giám khảo (demo)", "0911000003", "giamkhao-demo-2023", contest.RoleJury},
}

// DefaultCampaign is plan 274/KH-UBND of 17/10/2023 as campaign data.
func DefaultCampaign() store.CampaignSpec { return defaultCampaign(0) }

// defaultCampaign builds the campaign with every date moved by offset.
func defaultCampaign(offset time.Duration) store.CampaignSpec {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err) // embedded tzdata makes this unreachable
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2023, m, d, 0, 0, 0, 0, hcm).Add(offset) }
	settings := rules.CampaignSettings{
		ParticipationThresholds: map[string]float64{"city_department": 0.7, "district": 0.7, "commune": 0.7, "central": 0.5},
		WeeklyPrizes:            rules.PrizeCounts{First: 1, Second: 2, Third: 3},
		VideoPrizes:             rules.PrizeCounts{First: 1, Second: 2, Third: 3},
		CollectivePrizes:        rules.PrizeCounts{First: 1, Second: 2, Third: 3},
		Ranking:                 rules.DefaultRanking,
		PrizesPerParticipant:    1,
		VideoDeadline:           day(time.November, 18),
		// The plan (17/10/2023) opens the video contest; no USB can have arrived before it.
		VideoOpensAt:            day(time.October, 17),
		VideoMaxSeconds:         7 * 60,
		CollectiveTopByVideo:    20,
		CollectiveRanking:       []string{rules.ByParticipationRateDesc, rules.ByMeanBestScoreDesc},
		VideoCriteria:           rules.DefaultVideoCriteria,
		ApprovalReminderSeconds: 24 * 3600,
		RankingSettleSeconds:    60,
		MinCorrectForPrize:      1,
	}
	raw, err := json.Marshal(settings)
	if err != nil {
		panic(err)
	}
	return store.CampaignSpec{
		Code:                DefaultCampaignCode,
		Name:                "Hội thi trực tuyến tìm hiểu công tác cải cách hành chính trong cán bộ, công chức thành phố Hải Phòng năm 2023",
		Timezone:            "Asia/Ho_Chi_Minh",
		QuestionsPerAttempt: 10,
		TimeLimit:           10*time.Minute + 30*time.Second,
		AttemptsPerRound:    1,
		PredictionQuestion:  "Theo bạn, tuần thi này sẽ có bao nhiêu người trả lời đúng cả 10 câu hỏi?",
		Settings:            raw,
		IsDefault:           true,
		Rounds: []store.RoundSpec{
			{Number: 1, OpensAt: day(time.October, 23), ClosesAt: day(time.October, 30)},
			{Number: 2, OpensAt: day(time.October, 30), ClosesAt: day(time.November, 6)},
			{Number: 3, OpensAt: day(time.November, 6), ClosesAt: day(time.November, 13)},
			{Number: 4, OpensAt: day(time.November, 13), ClosesAt: day(time.November, 18)},
		},
	}
}

// DemoCampaign is the default campaign with its calendar moved so that round 1 opened a
// minute before now, keeping its shape.
func DemoCampaign(now time.Time) store.CampaignSpec {
	opens := DefaultCampaign().Rounds[0].OpensAt
	return defaultCampaign(now.Truncate(time.Minute).Add(-time.Minute).Sub(opens))
}

// Load writes the agency tree, the default campaign and its sample question bank. It is
// idempotent: running it again updates in place.
func Load(ctx context.Context, st *store.Store, opts Options) (store.CampaignSpec, error) {
	agencies, err := ParseAgencies(mustOpen("data/agencies.csv"))
	if err != nil {
		return store.CampaignSpec{}, fmt.Errorf("parse seed agencies: %w", err)
	}
	if err := st.UpsertAgencies(ctx, agencies, true); err != nil {
		return store.CampaignSpec{}, err
	}
	campaign := DefaultCampaign()
	if !opts.DemoAt.IsZero() {
		campaign = DemoCampaign(opts.DemoAt)
	}
	if opts.TimeLimit > 0 {
		campaign.TimeLimit = opts.TimeLimit
	}
	id, err := st.UpsertCampaign(ctx, campaign)
	if err != nil {
		return campaign, err
	}
	questions, err := ParseQuestions(mustOpen("data/questions.csv"))
	if err != nil {
		return campaign, fmt.Errorf("parse seed questions: %w", err)
	}
	if _, err := st.ImportQuestions(ctx, id, questions, true); err != nil {
		return campaign, err
	}
	if err := loadPractice(ctx, st, id); err != nil {
		return campaign, err
	}
	if !opts.DemoAt.IsZero() {
		if err := approveForDemo(ctx, st, id, campaign); err != nil {
			return campaign, err
		}
	}
	return campaign, nil
}

// approveForDemo creates the demo staff and records, in the demo committee's name, the
// approvals that let round 1 open at once: every round's question set and going live.
func approveForDemo(ctx context.Context, st *store.Store, campaignID int64, campaign store.CampaignSpec) error {
	var committee int64
	for _, s := range DemoStaff {
		hash, err := auth.HashPassword(s.Password)
		if err != nil {
			return err
		}
		id, err := st.CreateStaff(ctx, s.Name, s.Phone, hash, s.Role)
		if err != nil {
			return err
		}
		if s.Role == contest.RoleCommittee {
			committee = id
		}
	}
	const comment = "Phê duyệt tự động khi khởi tạo bản trình diễn (demo)."
	decisions := make([]store.DecisionRecord, 0, len(campaign.Rounds)+1)
	for _, r := range campaign.Rounds {
		decisions = append(decisions, store.DecisionRecord{Kind: contest.DecisionQuestionSet, RoundNumber: r.Number})
	}
	decisions = append(decisions, store.DecisionRecord{Kind: contest.DecisionGoLive})
	for _, d := range decisions {
		d.CampaignID, d.Outcome, d.DecidedBy, d.Comment = campaignID, contest.OutcomeApproved, committee, comment
		d.RequestID = fmt.Sprintf("demo-seed:%d:%s:%d", campaignID, d.Kind, d.RoundNumber)
		if _, err := st.RecordDecision(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// loadPractice creates the campaign's practice round (thi thử) and its bank of practice
// questions, written for practice and never drawn in a real round.
func loadPractice(ctx context.Context, st *store.Store, campaignID int64) error {
	practiceID, err := st.EnsurePractice(ctx, campaignID)
	if err != nil {
		return err
	}
	questions, err := ParseQuestions(mustOpen("data/practice_questions.csv"))
	if err != nil {
		return fmt.Errorf("parse practice questions: %w", err)
	}
	_, err = st.ImportQuestions(ctx, practiceID, questions, true)
	return err
}

func mustOpen(name string) *bytes.Reader {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return bytes.NewReader(b)
}
