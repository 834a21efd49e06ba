package rules

import (
	"testing"
	"time"
)

func TestRegistrationStatus(t *testing.T) {
	cases := []struct {
		name                string
		mode                string
		hasRoster, onRoster bool
		want                string
		ok                  bool
	}{
		{"on the roster, confirm mode", RegistrationConfirmUnmatched, true, true, RosterMatched, true},
		{"on the roster, roster only", RegistrationRosterOnly, true, true, RosterMatched, true},
		{"not on it, confirm mode waits", RegistrationConfirmUnmatched, true, false, RosterPending, true},
		{"not on it, roster only refuses", RegistrationRosterOnly, true, false, "", false},
		{"no roster yet, confirm mode counts as before", RegistrationConfirmUnmatched, false, false, RosterUnchecked, true},
		{"no roster yet, roster only refuses", RegistrationRosterOnly, false, false, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := RegistrationStatus(c.mode, c.hasRoster, c.onRoster)
			if got != c.want || ok != c.ok {
				t.Fatalf("RegistrationStatus = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestCountsForAgency(t *testing.T) {
	for status, want := range map[string]bool{RosterUnchecked: true, RosterMatched: true, RosterConfirmed: true,
		RosterPending: false, RosterRejected: false} {
		if got := CountsForAgency(status); got != want {
			t.Errorf("CountsForAgency(%q) = %v, want %v", status, got, want)
		}
	}
}

func TestNameKey(t *testing.T) {
	cases := []struct{ a, b string }{
		{"Nguyễn Văn An", "nguyễn văn an"},
		{"  Nguyễn   Văn  An ", "Nguyễn Văn An"},
		{"Nguye\u0302\u0303n Văn An", "Nguyễn Văn An"}, // combining accents (NFD) against precomposed
	}
	for _, c := range cases {
		if NameKey(c.a) != NameKey(c.b) {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q; want equal", c.a, NameKey(c.a), c.b, NameKey(c.b))
		}
	}
	if NameKey("Nguyễn Văn An") == NameKey("Nguyễn Văn Ân") {
		t.Error("names differing by a vowel mark must not match")
	}
}

func TestCCCD(t *testing.T) {
	cases := []struct {
		in    string
		valid bool
		mask  string
	}{
		{"031085001234", true, "********1234"},
		{"03108500123", false, "*******0123"},
		{"0310850012345", false, "*********2345"},
		{"03108500123a", false, "********123a"},
		{"", false, ""},
	}
	for _, c := range cases {
		if got := IsCCCD(c.in); got != c.valid {
			t.Errorf("IsCCCD(%q) = %v, want %v", c.in, got, c.valid)
		}
		if got := MaskCCCD(c.in); got != c.mask {
			t.Errorf("MaskCCCD(%q) = %q, want %q", c.in, got, c.mask)
		}
	}
	if got := NormalizeCCCD(" 031 085.001-234 "); got != "031085001234" {
		t.Errorf("NormalizeCCCD = %q", got)
	}
}

func TestBirthDateMasking(t *testing.T) {
	d := time.Date(1985, 3, 7, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		in         *time.Time
		mask, full string
	}{
		{"a date", &d, "**/**/1985", "07/03/1985"},
		{"no date", nil, "", ""},
	}
	for _, c := range cases {
		if got := MaskBirthDate(c.in); got != c.mask {
			t.Errorf("%s: MaskBirthDate = %q, want %q", c.name, got, c.mask)
		}
		if got := BirthDateText(c.in); got != c.full {
			t.Errorf("%s: BirthDateText = %q, want %q", c.name, got, c.full)
		}
	}
}

func TestParseSettingsRegistration(t *testing.T) {
	s, err := ParseSettings(nil)
	if err != nil || s.Registration != RegistrationConfirmUnmatched {
		t.Fatalf("default registration = %q, %v; want %q", s.Registration, err, RegistrationConfirmUnmatched)
	}
	s, err = ParseSettings([]byte(`{"registration":"roster_only","require_cccd":true,"registration_code":"HP2023"}`))
	if err != nil || s.Registration != RegistrationRosterOnly || !s.RequireCCCD || s.RegistrationCode != "HP2023" {
		t.Fatalf("parsed %+v, %v", s, err)
	}
	if _, err := ParseSettings([]byte(`{"registration":"anyone"}`)); err == nil {
		t.Fatal("an unknown registration mode must be refused")
	}
}

func TestMatchesRoster(t *testing.T) {
	dob := time.Date(1985, 3, 7, 0, 0, 0, 0, time.UTC)
	member := Person{FullName: "Nguyễn Văn An", DateOfBirth: dob, Phone: "0912345678", CCCD: "031085001234"}
	cases := []struct {
		name string
		reg  Person
		want bool
	}{
		{"same person, name typed differently", Person{FullName: " nguyễn  văn AN", DateOfBirth: dob, Phone: "0912345678"}, true},
		{"same person with the CCCD", Person{FullName: "Nguyễn Văn An", DateOfBirth: dob, Phone: "0912345678", CCCD: "031085001234"}, true},
		{"another CCCD", Person{FullName: "Nguyễn Văn An", DateOfBirth: dob, Phone: "0912345678", CCCD: "031085009999"}, false},
		{"another phone", Person{FullName: "Nguyễn Văn An", DateOfBirth: dob, Phone: "0912345679"}, false},
		{"another date of birth", Person{FullName: "Nguyễn Văn An", DateOfBirth: dob.AddDate(0, 0, 1), Phone: "0912345678"}, false},
		{"another name", Person{FullName: "Nguyễn Văn Anh", DateOfBirth: dob, Phone: "0912345678"}, false},
	}
	for _, c := range cases {
		if got := MatchesRoster(member, c.reg); got != c.want {
			t.Errorf("%s: MatchesRoster = %v, want %v", c.name, got, c.want)
		}
	}
}
