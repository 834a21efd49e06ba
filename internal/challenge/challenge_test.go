package challenge

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	is := Issuer{Secret: []byte("secret"), Difficulty: 8, TTL: 5 * time.Minute}
	c := is.Issue(now)
	n, err := Solve(c)
	if err != nil {
		t.Fatal(err)
	}
	good := strconv.FormatUint(n, 10)
	// A counter that does not solve it: search for one with too few zero bits.
	bad := "0"
	for i := uint64(0); ; i++ {
		if i != n {
			if _, _, err := is.Verify(c.Token, strconv.FormatUint(i, 10), now); errors.Is(err, ErrInvalid) {
				bad = strconv.FormatUint(i, 10)
				break
			}
		}
	}
	other := Issuer{Secret: []byte("other"), Difficulty: 8, TTL: 5 * time.Minute}
	harder := Issuer{Secret: []byte("secret"), Difficulty: 9, TTL: 5 * time.Minute}
	tampered := strings.Replace(c.Token, c.Token[:2], "AA", 1)
	cases := []struct {
		name           string
		is             Issuer
		token, counter string
		at             time.Time
		want           error
	}{
		{"solved", is, c.Token, good, now, nil},
		{"no token", is, "", good, now, ErrMissing},
		{"no counter", is, c.Token, "", now, ErrMissing},
		{"wrong counter", is, c.Token, bad, now, ErrInvalid},
		{"counter not a number", is, c.Token, "x", now, ErrInvalid},
		{"signed by another secret", other, c.Token, good, now, ErrInvalid},
		{"tampered payload", is, tampered, good, now, ErrInvalid},
		{"no signature", is, strings.Split(c.Token, ".")[0], good, now, ErrInvalid},
		{"expired", is, c.Token, good, now.Add(5 * time.Minute), ErrExpired},
		{"issued easier than now required", harder, c.Token, good, now, ErrTooEasy},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := tc.is.Verify(tc.token, tc.counter, tc.at)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestLeadingZeroBits(t *testing.T) {
	cases := []struct {
		first []byte
		want  int
	}{
		{[]byte{0x80}, 0}, {[]byte{0x01}, 7}, {[]byte{0x00, 0x40}, 9}, {[]byte{0x00, 0x00, 0x0f}, 20},
	}
	for _, tc := range cases {
		var h [32]byte
		copy(h[:], tc.first)
		if got := LeadingZeroBits(h); got != tc.want {
			t.Errorf("%x: %d, want %d", tc.first, got, tc.want)
		}
	}
}

func TestSpentRefusesReuseWithoutRedis(t *testing.T) {
	var s Spent
	ctx := context.Background()
	if !s.First(ctx, "a", time.Minute) {
		t.Fatal("first use refused")
	}
	if s.First(ctx, "a", time.Minute) {
		t.Fatal("second use accepted")
	}
	if !s.First(ctx, "b", time.Minute) {
		t.Fatal("another challenge refused")
	}
}
