package rules

import "testing"

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
