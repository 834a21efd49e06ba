package testenv

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
)

// PastVideoDeadline moves the seeded campaign's video deadline to `ago` before the
// database's clock, so clips can be recorded as received before it and the campaign's
// workflow goes past its video submission stage at once. Rounds are left as they are.
func (s *Stack) PastVideoDeadline(t testing.TB, ago time.Duration) time.Time {
	t.Helper()
	var deadline time.Time
	err := s.Store.Pool().QueryRow(context.Background(), `
		UPDATE campaigns SET settings = jsonb_set(settings, '{video_deadline}', to_jsonb(date_trunc('second', now() - $2::interval)))
		WHERE code = $1 RETURNING (settings->>'video_deadline')::timestamptz`,
		seed.DefaultCampaignCode, fmt.Sprintf("%d seconds", int(ago/time.Second))).Scan(&deadline)
	if err != nil {
		t.Fatalf("move the video deadline: %v", err)
	}
	return deadline
}

// ToJuryScoring runs the seeded campaign's workflow up to its jury scoring stage: every
// round is moved into the past (each a day long, the last one closed a day ago), the video
// deadline to an hour ago unless it is already past, then the workflow starts and the
// committee approves each week's ranking through the API. It returns when the API says
// the campaign is in stage jury_scoring or beyond (a complete jury closes by itself).
func (s *Stack) ToJuryScoring(t testing.TB, committee *Client) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := s.Store.Pool().QueryRow(ctx, `SELECT id FROM campaigns WHERE code = $1`, seed.DefaultCampaignCode).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.Pool().Exec(ctx, `
		UPDATE rounds SET opens_at = now() - make_interval(days => 10 - 2 * number), closes_at = now() - make_interval(days => 9 - 2 * number)
		WHERE campaign_id = $1`, id); err != nil {
		t.Fatalf("move the rounds into the past: %v", err)
	}
	var past bool
	if err := s.Store.Pool().QueryRow(ctx, `SELECT (settings->>'video_deadline')::timestamptz < now() FROM campaigns WHERE id = $1`, id).Scan(&past); err != nil {
		t.Fatal(err)
	}
	if !past {
		s.PastVideoDeadline(t, time.Hour)
	}
	if err := s.Campaigns.Start(ctx, id, false); err != nil {
		t.Fatal(err)
	}
	type campaign struct {
		Stage  string `json:"stage"`
		Rounds []struct {
			Number int    `json:"number"`
			State  string `json:"state"`
		} `json:"rounds"`
	}
	read := func() campaign {
		var c campaign
		committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+seed.DefaultCampaignCode, nil).JSON(t, &c)
		return c
	}
	approved := map[int]bool{}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		c := read()
		switch c.Stage {
		case "jury_scoring", "joint_meeting", "results_decision", "ceremony", "completed":
			return id
		}
		for _, r := range c.Rounds {
			if r.State == "ranked" && !approved[r.Number] {
				resp := committee.Do("POST", "/api/v1/campaigns/"+seed.DefaultCampaignCode+"/decisions",
					map[string]any{"kind": "weekly_results", "round": r.Number, "outcome": "approved"})
				if resp.Status == http.StatusOK {
					approved[r.Number] = true
				}
			}
		}
		if time.Now().After(deadline) {
			raw, _ := json.Marshal(c)
			t.Fatalf("the campaign did not reach jury scoring within a minute: %s", raw)
		}
	}
}
