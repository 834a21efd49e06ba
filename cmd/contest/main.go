// Command contest is the whole platform in one binary: the API, the Temporal worker,
// database migrations and seeding, and a dev mode that runs everything in one process.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `contest — nền tảng hội thi trực tuyến (online contest platform)

Usage: contest <command> [flags]

Commands:
  serve             run the HTTP API
  worker            run the Temporal worker (exam workflows and activities)
  dev               migrate, seed the demo campaign if the database is empty, and run API + worker
  migrate           apply database migrations
  seed              load the agency tree, the 2023 campaign and its sample questions
  import-questions  import a question bank CSV into a campaign
  accounts          create staff accounts: committee, secretariat, jury, admin, agency focal points
  campaign start    start a campaign's workflow (the worker starts the default campaign's)
  campaign rehearse copy a campaign with a compressed calendar and run it (--week 3m --auto-approve)
  loadtest          drive a local API with simulated participants and report latency (see deploy/bench.sh)
  rush              a login or registration rush through the real endpoints while participants sit (see deploy/bench.sh)
  hasher            the password-hashing child process serve and dev start themselves (not run by hand)

Configuration comes from the environment: DATABASE_URL, REDIS_ADDR, TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, HTTP_ADDR, METRICS_ADDR, LOG_FORMAT, LOG_LEVEL,
TEMPORAL_TLS_*, TEMPORAL_API_KEY, OTEL_EXPORTER_OTLP_ENDPOINT, HASH_PROCESS, HASH_WORKERS
(see README.md).
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	process.command = os.Args[1]
	if err := setupLogging(process.command); err != nil {
		slog.Error("bad logging configuration", "error", err)
		os.Exit(2)
	}
	commands := map[string]func(context.Context, []string) error{
		"serve":            runServe,
		"worker":           runWorker,
		"dev":              runDev,
		"migrate":          runMigrate,
		"seed":             runSeed,
		"import-questions": runImportQuestions,
		"accounts":         runAccounts,
		"campaign":         runCampaign,
		"loadtest":         runLoadtest,
		"rush":             runRush,
		"hasher":           runHasher,
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd(ctx, os.Args[2:]); err != nil {
		slog.Error("command failed", "command", os.Args[1], "error", err)
		os.Exit(1)
	}
}
