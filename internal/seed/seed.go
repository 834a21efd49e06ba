package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // the campaign calendar is in Asia/Ho_Chi_Minh whatever the host has

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/store"
)

//go:embed data/*.csv
var data embed.FS

// DefaultCampaignCode is the seeded 2023 Hai Phong contest (plan 274/KH-UBND).
const DefaultCampaignCode = "hp-cchc-2023"

// Settings are the campaign rules that have no column of their own. Everything the plan
// fixes, or that we chose where it is silent, is here as data.
type Settings struct {
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
}

// PrizeCounts is how many first, second and third prizes are given.
type PrizeCounts struct {
	First  int `json:"first"`
	Second int `json:"second"`
	Third  int `json:"third"`
}

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
	{"Ban Tổ chức (demo)", "0911000001", "btc-demo-2023", store.RoleCommittee},
	{"Tổ Thư ký (demo)", "0911000002", "thuky-demo-2023", store.RoleSecretariat},
	{"Ban Giám khảo (demo)", "0911000003", "giamkhao-demo-2023", store.RoleJury},
}

// DefaultCampaign is plan 274/KH-UBND of 17/10/2023 as campaign data.
func DefaultCampaign() store.CampaignSpec {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err) // embedded tzdata makes this unreachable
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2023, m, d, 0, 0, 0, 0, hcm) }
	settings := Settings{
		ParticipationThresholds: map[string]float64{"city_department": 0.7, "district": 0.7, "commune": 0.7, "central": 0.5},
		WeeklyPrizes:            PrizeCounts{1, 2, 3},
		VideoPrizes:             PrizeCounts{1, 2, 3},
		CollectivePrizes:        PrizeCounts{1, 2, 3},
		Ranking:                 []string{"correct_desc", "prediction_distance_asc", "time_used_asc", "finished_at_asc"},
		PrizesPerParticipant:    1,
		VideoDeadline:           day(time.November, 18),
		VideoMaxSeconds:         7 * 60,
		CollectiveTopByVideo:    20,
		CollectiveRanking:       []string{"participation_rate_desc", "mean_best_score_desc"},
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
		PredictionQuestion:  "Theo bạn, đợt thi này sẽ có bao nhiêu người trả lời đúng cả 10 câu hỏi?",
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

// ShiftToDemo moves the calendar so round 1 opened a minute before now, keeping its shape.
func ShiftToDemo(c store.CampaignSpec, now time.Time) store.CampaignSpec {
	offset := now.Truncate(time.Minute).Add(-time.Minute).Sub(c.Rounds[0].OpensAt)
	rounds := make([]store.RoundSpec, len(c.Rounds))
	for i, r := range c.Rounds {
		rounds[i] = store.RoundSpec{Number: r.Number, OpensAt: r.OpensAt.Add(offset), ClosesAt: r.ClosesAt.Add(offset)}
	}
	c.Rounds = rounds
	return c
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
		campaign = ShiftToDemo(campaign, opts.DemoAt)
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
	if !opts.DemoAt.IsZero() {
		for _, s := range DemoStaff {
			hash, err := auth.HashPassword(s.Password)
			if err != nil {
				return campaign, err
			}
			if _, err := st.CreateStaff(ctx, s.Name, s.Phone, hash, s.Role); err != nil {
				return campaign, err
			}
		}
	}
	return campaign, nil
}

func mustOpen(name string) *bytes.Reader {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return bytes.NewReader(b)
}
