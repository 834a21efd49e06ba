package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

// refuseDemoAccounts keeps a production API from opening while the demo seed's staff
// accounts, whose passwords are in the source and the docs, can still log in.
func refuseDemoAccounts(ctx context.Context, st *store.Store) error {
	demo, err := seed.PublishedDemoAccounts(ctx, st)
	if err != nil {
		return err
	}
	if len(demo) == 0 {
		return nil
	}
	phones := make([]string, len(demo))
	for i, d := range demo {
		phones[i] = d.Phone
	}
	return fmt.Errorf("refusing to serve: %d demo staff accounts (%s) still have their published passwords; "+
		"run `contest accounts reset-demo` to replace them, or `contest dev` to try the platform",
		len(demo), strings.Join(phones, ", "))
}
