package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSettingsMinCorrectForPrize(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    int
		refused bool
	}{
		{name: "no settings at all: the default makes 0 impossible", raw: ``, want: 1},
		{name: "absent: default 1", raw: `{"weekly_prizes":{"first":1,"second":2,"third":3}}`, want: 1},
		{name: "a campaign's own minimum", raw: `{"min_correct_for_prize":5}`, want: 5},
		{name: "0 is refused", raw: `{"min_correct_for_prize":0}`, refused: true},
		{name: "a negative minimum is refused", raw: `{"min_correct_for_prize":-2}`, refused: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSettings([]byte(tt.raw))
			if tt.refused {
				var se *SettingsError
				if !errors.As(err, &se) || se.Field != "min_correct_for_prize" || !strings.Contains(se.Message, "tối thiểu để nhận giải") {
					t.Fatalf("err %v, want a Vietnamese refusal naming min_correct_for_prize", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.MinCorrectForPrize != tt.want {
				t.Fatalf("min_correct_for_prize %d, want %d", s.MinCorrectForPrize, tt.want)
			}
		})
	}
}

func TestPublicTopSizeDefault(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want int
	}{
		{``, DefaultPublicTopSize},
		{`{}`, DefaultPublicTopSize},
		{`{"public_top_size": 0}`, DefaultPublicTopSize},
		{`{"public_top_size": -3}`, DefaultPublicTopSize},
		{`{"public_top_size": 100}`, 100},
	} {
		s, err := ParseSettings([]byte(tc.raw))
		if err != nil || s.PublicTopSize != tc.want {
			t.Errorf("ParseSettings(%q).PublicTopSize = %d, %v; want %d", tc.raw, s.PublicTopSize, err, tc.want)
		}
	}
}
