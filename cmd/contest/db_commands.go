package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

func runMigrate(ctx context.Context, _ []string) error {
	return withStore(ctx, func(_ config.Config, st *store.Store) error { return migrate(ctx, st) })
}

func migrate(ctx context.Context, st *store.Store) error {
	applied, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	slog.Info("migrations applied", "new", applied)
	return nil
}

func runSeed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "shift the calendar so round 1 is open now, and create demo staff accounts")
	ifEmpty := fs.Bool("if-empty", false, "do nothing when a campaign already exists")
	timeLimit := fs.Duration("time-limit", 0, "override the exam time limit (e.g. 2m for a quick demo)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withStore(ctx, func(_ config.Config, st *store.Store) error {
		if err := migrate(ctx, st); err != nil {
			return err
		}
		return seedDatabase(ctx, st, *demo, *ifEmpty, *timeLimit)
	})
}

func seedDatabase(ctx context.Context, st *store.Store, demo, ifEmpty bool, timeLimit time.Duration) error {
	if ifEmpty {
		empty, err := st.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			slog.Info("seed skipped: a campaign already exists")
			return nil
		}
	}
	opts := seed.Options{TimeLimit: timeLimit}
	if demo {
		opts.DemoAt = time.Now()
	}
	campaign, err := seed.Load(ctx, st, opts)
	if err != nil {
		return err
	}
	slog.Info("seeded", "campaign", campaign.Code, "round1_opens", campaign.Rounds[0].OpensAt,
		"round1_closes", campaign.Rounds[0].ClosesAt, "demo", demo)
	if demo {
		for _, s := range seed.DemoStaff {
			fmt.Fprintf(os.Stderr, "demo account: %-12s phone %s password %s\n", s.Role, s.Phone, s.Password)
		}
	}
	return nil
}

func runImportQuestions(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import-questions", flag.ContinueOnError)
	campaignCode := fs.String("campaign", seed.DefaultCampaignCode, "campaign code")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: contest import-questions [--campaign CODE] FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := seed.ParseQuestions(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	return withStore(ctx, func(_ config.Config, st *store.Store) error {
		id, err := st.CampaignIDByCode(ctx, *campaignCode)
		if err != nil {
			return fmt.Errorf("campaign %s: %w", *campaignCode, err)
		}
		n, err := st.ImportQuestions(ctx, id, rows, false)
		if err != nil {
			return err
		}
		slog.Info("questions imported", "campaign", *campaignCode, "count", n)
		return nil
	})
}
