package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/config"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

const accountsUsage = `usage:
  contest accounts import FILE.csv   (columns: full_name,phone,role,agency_code; - reads stdin)
  contest accounts add --name NAME --phone PHONE --role ROLE [--agency CODE]
  contest accounts reset-demo        (new passwords for the demo accounts of a demo seed)
  contest accounts tester --phone PHONE [--off]   (mark a participant as a rehearsal tester, or unmark)
Roles: agency (focal point of the agency with that code), secretariat, jury, committee, admin.
Each account gets a random password; the accounts and their passwords are printed as CSV
on standard output, to hand out. All accounts of a command are created, or none.`

// errAccountsUsage is printed to the operator as it stands, so it is written as help text.
//
//lint:ignore ST1005 usage text, shown verbatim
var errAccountsUsage = errors.New(accountsUsage)

// runAccounts creates staff accounts, which nobody can register for themselves.
func runAccounts(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errAccountsUsage
	}
	var (
		rows []seed.StaffRow
		err  error
	)
	switch args[0] {
	case "reset-demo":
		return withStore(ctx, func(_ config.Config, st *store.Store) error {
			return resetDemoAccounts(ctx, st, os.Stdout)
		})
	case "tester":
		return runTester(ctx, args[1:])
	case "import":
		rows, err = staffFromFile(args[1:])
	case "add":
		rows, err = staffFromFlags(args[1:])
	default:
		return fmt.Errorf("unknown accounts command %q\n%s", args[0], accountsUsage)
	}
	if err != nil {
		return err
	}
	return withStore(ctx, func(_ config.Config, st *store.Store) error {
		return createStaff(ctx, st, rows, os.Stdout)
	})
}

func staffFromFile(args []string) ([]seed.StaffRow, error) {
	if len(args) != 1 {
		return nil, errAccountsUsage
	}
	in := io.Reader(os.Stdin)
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	rows, err := seed.ParseStaffAccounts(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", args[0], err)
	}
	return rows, nil
}

func staffFromFlags(args []string) ([]seed.StaffRow, error) {
	fs := flag.NewFlagSet("accounts add", flag.ContinueOnError)
	name := fs.String("name", "", "full name")
	phone := fs.String("phone", "", "mobile number, the login")
	role := fs.String("role", "", "agency, secretariat, jury, committee or admin")
	agency := fs.String("agency", "", "agency code, for role agency")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() != 0 {
		return nil, errAccountsUsage
	}
	row, err := seed.StaffAccount(*name, *phone, *role, *agency)
	if err != nil {
		return nil, err
	}
	return []seed.StaffRow{row}, nil
}

// createStaff gives each account a random password and prints the accounts with their
// passwords before the transaction commits, so an account is never created whose password
// was not delivered.
func createStaff(ctx context.Context, st *store.Store, rows []seed.StaffRow, out io.Writer) error {
	accounts := make([]store.NewStaff, len(rows))
	passwords := make([]string, len(rows))
	for i, r := range rows {
		pw, err := auth.NewPassword()
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		passwords[i] = pw
		accounts[i] = store.NewStaff{FullName: r.FullName, Phone: r.Phone, Role: r.Role, AgencyCode: r.AgencyCode, PasswordHash: hash}
	}
	handOut := func() error {
		w := csv.NewWriter(out)
		_ = w.Write([]string{"full_name", "phone", "role", "agency_code", "password"})
		for i, r := range rows {
			_ = w.Write([]string{r.FullName, r.Phone, r.Role, r.AgencyCode, passwords[i]})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("print the accounts and passwords: %w", err)
		}
		return nil
	}
	if _, err := st.CreateStaffAccounts(ctx, accounts, handOut); err != nil {
		return fmt.Errorf("no account created: %w", err)
	}
	slog.Info("staff accounts created", "count", len(rows))
	return nil
}

// resetDemoAccounts replaces the published passwords of the demo accounts, which
// `contest serve` refuses to run with, and prints the new ones.
func resetDemoAccounts(ctx context.Context, st *store.Store, out io.Writer) error {
	w := csv.NewWriter(out)
	_ = w.Write([]string{"full_name", "phone", "role", "password"})
	n, err := seed.ReplaceDemoPasswords(ctx, st, func(a seed.DemoAccount, password string) error {
		_ = w.Write([]string{a.Name, a.Phone, a.Role, password})
		w.Flush()
		return w.Error()
	})
	w.Flush()
	if err != nil {
		return fmt.Errorf("after %d demo accounts: %w", n, err)
	}
	slog.Info("demo account passwords replaced", "count", n)
	return nil
}
