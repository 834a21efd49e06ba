package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// runTester marks (or with --off unmarks) a participant account as a rehearsal tester:
// rehearsal rounds run on the real question sets and are sat only by staff and testers.
// The change is written to the audit log in the same transaction, as the command line's.
func runTester(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("accounts tester", flag.ContinueOnError)
	phone := fs.String("phone", "", "the participant's mobile number (their login)")
	off := fs.Bool("off", false, "remove the tester mark")
	if err := fs.Parse(args); err != nil {
		return err
	}
	normalized := rules.NormalizePhone(*phone)
	if fs.NArg() != 0 || !rules.IsVietnameseMobile(normalized) {
		return errAccountsUsage
	}
	operator := "unknown"
	if u, err := user.Current(); err == nil {
		operator = u.Username
	}
	host, _ := os.Hostname()
	audit := store.AuditEntry{Role: "cli", Method: "CLI", Route: "contest accounts tester",
		Path: strings.Join(append([]string{"contest", "accounts", "tester"}, args...), " "), Status: 200,
		IP: host, UserAgent: "os user " + operator}
	return withStore(ctx, func(_ config.Config, st *store.Store) error {
		t, err := st.SetTester(ctx, 0, normalized, !*off, &audit)
		switch {
		case errors.Is(err, contest.ErrNotFound):
			return fmt.Errorf("no account has phone %s", normalized)
		case errors.Is(err, contest.ErrNotParticipant):
			return fmt.Errorf("%s is a staff account: staff sit rehearsals without a mark", normalized)
		case err != nil:
			return err
		}
		fmt.Printf("%s (%s, id %d): tester=%t\n", t.FullName, t.Phone, t.ID, t.IsTester)
		return nil
	})
}
