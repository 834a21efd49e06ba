package rules

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Registration modes: how a campaign treats a registration that its agency's roster does
// not list (SPEC, fairness rules).
const (
	// RegistrationConfirmUnmatched (the default) accepts it, but the account counts for no
	// agency and wins nothing until the agency's focal point confirms it.
	RegistrationConfirmUnmatched = "confirm_unmatched"
	// RegistrationRosterOnly refuses it: only roster members may register.
	RegistrationRosterOnly = "roster_only"
)

// Where an account stands against its agency's roster (users.roster_status).
const (
	RosterUnchecked = "unchecked" // the agency had no roster when the account registered
	RosterMatched   = "matched"
	RosterPending   = "pending"
	RosterConfirmed = "confirmed"
	RosterRejected  = "rejected"
)

// CountsForAgency says whether an account with this roster status counts for its agency
// (participation, the zero-score rule, the collective prize) and can win a prize.
func CountsForAgency(status string) bool {
	return status == RosterUnchecked || status == RosterMatched || status == RosterConfirmed
}

// RegistrationStatus decides an account's roster status at registration: hasRoster says
// whether its agency has a roster on file, onRoster whether the registration matches a
// member of it. ok is false when the campaign refuses the registration.
func RegistrationStatus(mode string, hasRoster, onRoster bool) (status string, ok bool) {
	switch {
	case onRoster:
		return RosterMatched, true
	case mode == RegistrationRosterOnly:
		return "", false
	case !hasRoster:
		// Nothing to match against yet: the account counts as before, and is matched
		// (or put to the focal point) the moment the agency's roster is imported.
		return RosterUnchecked, true
	default:
		return RosterPending, true
	}
}

// NameKey is a full name as roster matching compares it: NFC, lower case, single spaces,
// so that "Nguyễn  Văn A" typed with combining accents matches "nguyễn văn a".
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(name)), " "))
}

// IsCCCD reports whether s is a citizen ID number (căn cước công dân): exactly 12 digits.
func IsCCCD(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// NormalizeCCCD drops the spaces and dots people type inside a citizen ID number.
func NormalizeCCCD(raw string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' {
			return -1
		}
		return r
	}, raw)
}

// MaskCCCD shows only the last four digits of a citizen ID number (Decree 13/2023/NĐ-CP:
// personal data shown only as far as the reader needs it). Empty stays empty.
func MaskCCCD(cccd string) string {
	if cccd == "" {
		return ""
	}
	if len(cccd) <= 4 {
		return strings.Repeat("*", len(cccd))
	}
	return strings.Repeat("*", len(cccd)-4) + cccd[len(cccd)-4:]
}

// MaskBirthDate shows only the year of a date of birth, as **/**/1985. A nil date is "".
func MaskBirthDate(d *time.Time) string {
	if d == nil || d.IsZero() {
		return ""
	}
	return "**/**/" + d.Format("2006")
}

// BirthDateText is a date of birth in full, dd/mm/yyyy, for the committee's prize list.
func BirthDateText(d *time.Time) string {
	if d == nil || d.IsZero() {
		return ""
	}
	return d.Format("02/01/2006")
}

// Person is who a registration or a roster line says someone is.
type Person struct {
	FullName    string
	DateOfBirth time.Time
	Phone       string // normalized
	CCCD        string // empty when not given
}

// MatchesRoster says whether a registration is the roster member: same name (NameKey),
// date of birth and phone, and the same CCCD when both give one.
func MatchesRoster(member, reg Person) bool {
	return NameKey(member.FullName) == NameKey(reg.FullName) &&
		member.DateOfBirth.Format(time.DateOnly) == reg.DateOfBirth.Format(time.DateOnly) &&
		member.Phone == reg.Phone &&
		(member.CCCD == "" || reg.CCCD == "" || member.CCCD == reg.CCCD)
}
