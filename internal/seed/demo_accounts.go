package seed

import (
	"context"
	"errors"
	"fmt"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/store"
)

// DemoAccount is a demo staff account of this database that still has the password
// printed in the source code and the docs, so anyone can log in with it.
type DemoAccount struct {
	UserID            int64
	Name, Phone, Role string
}

// PublishedDemoAccounts lists the demo staff accounts whose password is still the
// published one; `contest serve` refuses to start while there is any.
func PublishedDemoAccounts(ctx context.Context, st *store.Store) ([]DemoAccount, error) {
	var found []DemoAccount
	for _, d := range DemoStaff {
		cred, err := st.CredentialsByPhone(ctx, d.Phone)
		if errors.Is(err, contest.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("look up demo account %s: %w", d.Phone, err)
		}
		ok, err := auth.CheckPassword(d.Password, cred.PasswordHash)
		if err != nil {
			return nil, fmt.Errorf("check demo account %s: %w", d.Phone, err)
		}
		if ok {
			found = append(found, DemoAccount{UserID: cred.UserID, Name: d.Name, Phone: d.Phone, Role: d.Role})
		}
	}
	return found, nil
}

// ReplaceDemoPasswords gives every demo account that still has its published password a
// new random one, ends its sessions, and calls handOut with each new password.
func ReplaceDemoPasswords(ctx context.Context, st *store.Store, handOut func(DemoAccount, string) error) (int, error) {
	accounts, err := PublishedDemoAccounts(ctx, st)
	if err != nil {
		return 0, err
	}
	for i, a := range accounts {
		pw, err := auth.NewPassword()
		if err != nil {
			return i, err
		}
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return i, err
		}
		// Handed out first: a password nobody received would lock the account.
		if err := handOut(a, pw); err != nil {
			return i, err
		}
		if err := st.ReplacePassword(ctx, a.UserID, hash); err != nil {
			return i, fmt.Errorf("replace the password of %s: %w", a.Phone, err)
		}
	}
	return len(accounts), nil
}
