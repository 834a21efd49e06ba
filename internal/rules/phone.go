package rules

import (
	"regexp"
	"strings"
)

// Vietnamese mobile numbers after normalization: 10 digits, a carrier prefix from the
// national numbering plan (03x, 05x, 07x, 08x, 09x).
var vnMobile = regexp.MustCompile(`^0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}$`)

// NormalizePhone turns +84…, 84… and spaced or dotted forms into the 0xxxxxxxxx form.
func NormalizePhone(raw string) string {
	p := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(raw))
	switch {
	case strings.HasPrefix(p, "+84"):
		p = "0" + p[3:]
	case strings.HasPrefix(p, "84") && len(p) == 11:
		p = "0" + p[2:]
	}
	return p
}

// IsVietnameseMobile reports whether a normalized number is a Vietnamese mobile number.
func IsVietnameseMobile(normalized string) bool { return vnMobile.MatchString(normalized) }
