package seed

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

// StaffRow is one line of a staff accounts CSV: a committee member, a secretary, a juror,
// an administrator or an agency's focal point.
type StaffRow struct {
	FullName   string
	Phone      string // normalized
	Role       string
	AgencyCode string // the focal point's agency; empty for the other roles
}

var (
	staffHeader = []string{"full_name", "phone", "role", "agency_code"}
	staffRoles  = map[string]bool{contest.RoleAgency: true, contest.RoleSecretariat: true, contest.RoleJury: true,
		contest.RoleCommittee: true, contest.RoleAdmin: true}
)

// maxNameRunes bounds a full name, as registration does.
const maxNameRunes = 100

// ParseStaffAccounts reads a staff accounts CSV and checks every line; a file with one bad
// line yields no accounts.
func ParseStaffAccounts(r io.Reader) ([]StaffRow, error) {
	var rows []StaffRow
	seen := map[string]int{}
	err := readCSV(r, staffHeader, func(line int, rec []string) error {
		s := StaffRow{FullName: rec[0], Phone: rules.NormalizePhone(rec[1]), Role: strings.ToLower(rec[2]), AgencyCode: rec[3]}
		if err := checkStaffRow(s, rec[1]); err != nil {
			return err
		}
		if prev, dup := seen[s.Phone]; dup {
			return fmt.Errorf("phone %s is already on line %d", s.Phone, prev)
		}
		seen[s.Phone] = line
		rows = append(rows, s)
		return nil
	})
	if err == nil && len(rows) == 0 {
		err = errors.New("no accounts in the file")
	}
	return rows, err
}

func checkStaffRow(s StaffRow, rawPhone string) error {
	switch {
	case s.FullName == "" || utf8.RuneCountInString(s.FullName) > maxNameRunes:
		return fmt.Errorf("full_name must have 1 to %d characters", maxNameRunes)
	case !rules.IsVietnameseMobile(s.Phone):
		return fmt.Errorf("phone %q is not a Vietnamese mobile number", rawPhone)
	case !staffRoles[s.Role]:
		return fmt.Errorf("role %q is not one of agency, secretariat, jury, committee, admin", s.Role)
	case s.Role == contest.RoleAgency && s.AgencyCode == "":
		return errors.New("an agency focal point needs its agency_code")
	case s.Role != contest.RoleAgency && s.AgencyCode != "":
		return fmt.Errorf("agency_code is only for role agency, not %s", s.Role)
	}
	return nil
}

// StaffAccount checks one account given on the command line as a StaffRow.
func StaffAccount(fullName, phone, role, agencyCode string) (StaffRow, error) {
	s := StaffRow{FullName: strings.TrimSpace(fullName), Phone: rules.NormalizePhone(phone),
		Role: strings.ToLower(strings.TrimSpace(role)), AgencyCode: strings.TrimSpace(agencyCode)}
	return s, checkStaffRow(s, phone)
}
