package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/hpcontest/contest/internal/app"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/seed"
)

// runCampaign handles `contest campaign start|rehearse`.
func runCampaign(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: contest campaign start|rehearse [flags]")
	}
	fs := flag.NewFlagSet("campaign "+args[0], flag.ContinueOnError)
	code := fs.String("campaign", seed.DefaultCampaignCode, "campaign code")
	week := fs.Duration("week", 3*time.Minute, "rehearse: how long one week of the calendar lasts")
	timeLimit := fs.Duration("time-limit", 0, "rehearse: exam time limit (scaled, at least 20s, when 0)")
	auto := fs.Bool("auto-approve", false, "take every committee decision automatically")
	lead := fs.Duration("lead", time.Minute, "rehearse: time until round 1 opens")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return withStack(ctx, func(stack *app.Stack) error {
		st, run := stack.Store, stack.Campaigns
		switch args[0] {
		case "start":
			id, err := st.CampaignIDByCode(ctx, *code)
			if err != nil {
				return fmt.Errorf("campaign %s: %w", *code, err)
			}
			if err := run.Start(ctx, id, *auto); err != nil {
				return err
			}
			slog.Info("campaign workflow running", "campaign", *code)
		case "rehearse":
			newCode, err := run.Rehearse(ctx, *code, campaigns.RehearsalOptions{Week: *week, TimeLimit: *timeLimit, AutoApprove: *auto, Lead: *lead, Now: time.Now()})
			if err != nil {
				return err
			}
			fmt.Printf("rehearsal campaign %s started (one week = %s); follow it with GET /api/v1/campaigns/%s\n", newCode, *week, newCode)
		default:
			return fmt.Errorf("unknown campaign command %q", args[0])
		}
		return nil
	})
}
