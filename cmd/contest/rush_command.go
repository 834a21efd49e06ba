package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/loadtest"
)

// runRush handles `contest rush`: a login or registration rush against a local API
// through its real endpoints, while participants already sitting keep saving answers.
func runRush(ctx context.Context, args []string) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("rush", flag.ContinueOnError)
	rc := loadtest.RushConfig{}
	fs.StringVar(&rc.URL, "url", "http://"+cfg.HTTPAddr, "API base URL (loopback only)")
	fs.StringVar(&rc.DatabaseURL, "database-url", cfg.DatabaseURL, "the database the API serves from; the run adds synthetic accounts to it")
	fs.StringVar(&rc.Kind, "kind", loadtest.RushLogin, "login (existing accounts log in) or register (new accounts register)")
	fs.IntVar(&rc.Arrivals, "arrivals", 3000, "logins or registrations")
	fs.DurationVar(&rc.Window, "window", 30*time.Second, "arrivals are spread evenly over this span")
	fs.IntVar(&rc.InFlight, "in-flight", 1000, "participants sitting an exam during the rush")
	fs.DurationVar(&rc.SaveEvery, "save-every", time.Second, "each sitting participant saves an answer this often")
	fs.DurationVar(&rc.Target, "target", 60*time.Second, "an arrival should succeed within this long (retries included)")
	fs.DurationVar(&rc.GiveUp, "give-up", 120*time.Second, "an arrival stops retrying this long after it arrived")
	fs.DurationVar(&rc.RequestTimeout, "request-timeout", 30*time.Second, "client timeout per request")
	fs.IntVar(&rc.ServerPID, "server-pid", 0, "pid of the API process (0: every process named contest except this one)")
	fs.BoolVar(&rc.ForwardedFor, "forwarded-for", true, "send each arrival from its own address in X-Forwarded-For (the API must list the load client in TRUSTED_PROXIES)")
	fs.StringVar(&rc.Label, "label", "", "name of the run in the report")
	jsonOut := fs.String("json", "", "also write the full result as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if rc.Label == "" {
		rc.Label = "rush / " + rc.Kind
	}
	res, err := loadtest.Rush(ctx, rc, os.Stderr)
	if err != nil {
		return err
	}
	loadtest.WriteRushMarkdown(os.Stdout, res)
	fmt.Println(loadtest.RushSummaryLine(res))
	if *jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(*jsonOut, b, 0o644)
	}
	return nil
}
