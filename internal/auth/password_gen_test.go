package auth

import (
	"strings"
	"testing"
)

func TestNewPasswordIsRandomAndReadable(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw, err := NewPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(pw) != GeneratedPasswordLength {
			t.Fatalf("%q has %d characters", pw, len(pw))
		}
		for _, r := range pw {
			if !strings.ContainsRune(passwordAlphabet, r) {
				t.Fatalf("%q has %q, outside the alphabet", pw, r)
			}
		}
		if seen[pw] {
			t.Fatalf("%q generated twice", pw)
		}
		seen[pw] = true
	}
	for _, lookalike := range "0O1lI" {
		if strings.ContainsRune(passwordAlphabet, lookalike) {
			t.Errorf("alphabet has the look-alike %q", lookalike)
		}
	}
}
