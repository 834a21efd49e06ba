package rules

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeName(t *testing.T) {
	decomposed := norm.NFD.String("Nguyễn Thị Hoa")
	cases := []struct{ in, want string }{
		{"Nguyễn Thị Hoa", "Nguyễn Thị Hoa"},
		{decomposed, "Nguyễn Thị Hoa"},
		{"  Trần   Văn  Bình ", "Trần Văn Bình"},
		{"Đặng Thu Thảo", "Đặng Thu Thảo"},
	}
	if decomposed == "Nguyễn Thị Hoa" {
		t.Fatal("test input is not decomposed")
	}
	for _, tc := range cases {
		if got := NormalizeName(tc.in); got != tc.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNameSkeleton(t *testing.T) {
	same := []struct{ name, a, b string }{
		{"case and spaces", "Nguyễn Thị Hoa", "nguyễn  thị HOA"},
		{"decomposed diacritics", "Nguyễn Thị Hoa", norm.NFD.String("Nguyễn Thị Hoa")},
		{"Cyrillic а", "Nguyễn Thị Hoa", "Nguyễn Thị Hoа"},
		{"Cyrillic е under Vietnamese marks", "Nguyễn Thị Hoa", "Nguy\u0435\u0302\u0303n Thị Hoa"},
		{"Cyrillic capitals", "PHAN THỊ HÀ", "РНАN ТHỊ НÀ"},
		{"Greek ο and Ι", "Lê Văn Toàn", "Lê Văn Tοàn"},
		{"Icelandic eth for đ", "Đặng Thu Thảo", "Ðặng Thu Thảo"},
		{"fullwidth letters", "Mai Lan", "Ｍａｉ Ｌａｎ"},
		{"zero-width space", "Mai Lan", "Ma\u200Bi Lan"},
	}
	for _, tc := range same {
		if a, b := NameSkeleton(tc.a), NameSkeleton(tc.b); a != b {
			t.Errorf("%s: %q and %q have skeletons %q and %q, want the same", tc.name, tc.a, tc.b, a, b)
		}
	}
	different := []struct{ name, a, b string }{
		{"another tone", "Nguyễn Thị Hoa", "Nguyễn Thị Hòa"},
		{"d and đ", "Đặng Thu Thảo", "Dặng Thu Thảo"},
		{"another name", "Nguyễn Thị Hoa", "Nguyễn Thị Hoà Bình"},
	}
	for _, tc := range different {
		if a, b := NameSkeleton(tc.a), NameSkeleton(tc.b); a == b {
			t.Errorf("%s: %q and %q share the skeleton %q, want different", tc.name, tc.a, tc.b, a)
		}
	}
}
