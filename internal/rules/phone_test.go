package rules

import "testing"

func TestNormalizePhoneAndVietnameseMobile(t *testing.T) {
	tests := []struct {
		raw, normalized string
		valid           bool
	}{
		{"0912345678", "0912345678", true},
		{"+84912345678", "0912345678", true},
		{"84912345678", "0912345678", true},
		{"091 234 5678", "0912345678", true},
		{"091.234.5678", "0912345678", true},
		{"0321234567", "0321234567", true},    // Viettel 03x
		{"0701234567", "0701234567", true},    // MobiFone 070
		{"0812345678", "0812345678", true},    // VinaPhone 081
		{"0561234567", "0561234567", true},    // Vietnamobile 056
		{"0201234567", "0201234567", false},   // not a mobile prefix
		{"02253123456", "02253123456", false}, // Hai Phong landline
		{"091234567", "091234567", false},     // too short
		{"09123456789", "09123456789", false},
		{"abc", "abc", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got := NormalizePhone(tt.raw)
		if got != tt.normalized {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.raw, got, tt.normalized)
		}
		if IsVietnameseMobile(got) != tt.valid {
			t.Errorf("%q valid = %v, want %v", tt.raw, !tt.valid, tt.valid)
		}
	}
}
