package rules

import (
	"errors"
	"testing"
)

func TestParseScore(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr error
	}{
		{"0,5", 0.5, nil},
		{"12,75", 12.75, nil},
		{" 7 ", 7, nil},
		{"0.5", 0.5, nil},
		{"10.25", 10.25, nil},
		{"0.125", 0.125, nil}, // a zero before the dot cannot be a thousands group
		{"1.500", 0, ErrScoreAmbiguous},
		{"1.000,5", 0, ErrScoreAmbiguous},
		{"1,2,3", 0, ErrScoreAmbiguous},
		{"1,5.", 0, ErrScoreAmbiguous},
		{"", 0, ErrScoreNotNumber},
		{",5", 0, ErrScoreNotNumber},
		{"5,", 0, ErrScoreNotNumber},
		{"-1", 0, ErrScoreNotNumber},
		{"1e2", 0, ErrScoreNotNumber},
		{"5 ,5", 0, ErrScoreNotNumber},
		{"năm", 0, ErrScoreNotNumber},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseScore(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil && got != tt.want) {
				t.Fatalf("ParseScore(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
