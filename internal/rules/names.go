package rules

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeName is how a person's name is stored: NFC (a Vietnamese letter typed as a
// base letter plus combining marks, as some phones and Mac keyboards send it, becomes the
// one composed letter every other form sends), trimmed, inner runs of spaces as one.
// Without it "Nguyễn" could be stored in two byte forms that look the same and compare
// different everywhere: search, sorting, the duplicate check, certificates.
func NormalizeName(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// NameSkeleton is what two names that look alike share: compatibility forms folded
// (fullwidth letters), letters of other scripts that look Latin mapped to the Latin one
// (Cyrillic "а", Greek "ο"), the Icelandic eth taken for the Vietnamese "đ", invisible
// characters dropped, case and spacing ignored. Diacritics stay: "Hòa" and "Hoa" are two
// names. It is for comparison only, never shown or stored as a name.
func NameSkeleton(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if invisible(r) {
			continue
		}
		if m, ok := confusables[r]; ok {
			r = m
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Join(strings.Fields(norm.NFC.String(b.String())), " ")
}

func invisible(r rune) bool {
	switch r {
	case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
		return true
	}
	return false
}

// confusables maps letters that render like a Latin letter in common fonts to that
// letter: the Cyrillic and Greek homoglyphs (after NFKD, so accented forms arrive as base
// letter plus marks) and the look-alikes of Vietnamese đ. A small table on purpose: the
// letters a person or a bot would use to register a second "same" name, not all of
// Unicode's confusables.txt.
var confusables = map[rune]rune{
	// Cyrillic capitals
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C',
	'Т': 'T', 'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԁ': 'D', 'Ԛ': 'Q', 'Ԝ': 'W',
	// Cyrillic small
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
	'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l',
	'ԛ': 'q', 'ԝ': 'w', 'ѵ': 'v', 'ү': 'y', 'ɡ': 'g',
	// Greek capitals
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N',
	'Ο': 'O', 'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	// Greek small
	'α': 'a', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'ϲ': 'c', 'ϳ': 'j',
	// Vietnamese đ/Đ look-alikes: Icelandic eth, African D, d with bar-like strokes
	'Ð': 'Đ', 'Ɖ': 'Đ', 'ð': 'đ', 'ɖ': 'đ',
	// Latin letters that only look like others
	'ı': 'i', 'ȷ': 'j', 'ℓ': 'l',
}
