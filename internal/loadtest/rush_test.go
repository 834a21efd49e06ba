package loadtest

import (
	"testing"
	"unicode"

	"github.com/hpcontest/contest/internal/rules"
)

// The rush goes through the real registration validation: its phones must be Vietnamese
// mobile numbers unique within a run, and its names letters only.
func TestRushIdentitiesPassRegistrationRules(t *testing.T) {
	phones := map[string]bool{}
	names := map[string]bool{}
	for i := range 5000 {
		p := rushPhone(42, i)
		if !rules.IsVietnameseMobile(rules.NormalizePhone(p)) {
			t.Fatalf("%q is not a Vietnamese mobile number", p)
		}
		if phones[p] {
			t.Fatalf("phone %q repeats", p)
		}
		phones[p] = true
		n := rushName(i)
		for _, r := range n {
			if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != ' ' {
				t.Fatalf("name %q holds %q", n, r)
			}
		}
		names[n] = true
	}
	if len(names) != 5000 {
		t.Fatalf("%d distinct names for 5000 arrivals", len(names))
	}
}
