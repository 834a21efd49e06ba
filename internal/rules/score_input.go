package rules

import (
	"errors"
	"strconv"
	"strings"
)

// Errors of ParseScore. A score typed by a juror is read the Vietnamese way: the comma is
// the decimal mark ("0,5" is half a point). A dot is read as a decimal mark too ("0.5"),
// except where it may be a thousands separator, as Vietnamese writes "1.500" for 1500:
// such input, and anything with two separators, is refused rather than guessed.
var (
	ErrScoreNotNumber = errors.New("score is not a number")
	ErrScoreAmbiguous = errors.New("score is ambiguous: decimal comma or thousands separator")
)

// ParseScore reads one criterion's points as typed: digits with at most one decimal mark
// (comma, or a dot not followed by exactly three digits). It never accepts a sign, an
// exponent or spaces inside the number.
func ParseScore(raw string) (float64, error) {
	s := strings.TrimSpace(raw)
	seps := strings.Count(s, ",") + strings.Count(s, ".")
	if seps > 1 {
		return 0, ErrScoreAmbiguous
	}
	intPart, frac, hasSep := s, "", false
	sep := byte(0)
	if i := strings.IndexAny(s, ",."); i >= 0 {
		intPart, frac, hasSep, sep = s[:i], s[i+1:], true, s[i]
	}
	if !allDigits(intPart) || (hasSep && !allDigits(frac)) {
		return 0, ErrScoreNotNumber
	}
	if sep == '.' && len(frac) == 3 && strings.TrimLeft(intPart, "0") != "" {
		return 0, ErrScoreAmbiguous
	}
	v, err := strconv.ParseFloat(intPart+"."+frac, 64)
	if !hasSep {
		v, err = strconv.ParseFloat(intPart, 64)
	}
	if err != nil {
		return 0, ErrScoreNotNumber
	}
	return v, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
