package auth

import (
	"testing"
	"time"
)

func TestTicketArrival(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	tickets := NewTickets([]byte("khoa-bi-mat"))
	other := NewTickets([]byte("khoa-khac"))
	earlier := now.Add(-40 * time.Second)
	valid := tickets.Issue("0912345678", earlier)
	cases := []struct {
		name    string
		ticket  string
		subject string
		want    time.Time
	}{
		{"valid ticket keeps its place", valid, "0912345678", earlier},
		{"no ticket arrives now", "", "0912345678", now},
		{"another subject's ticket", valid, "0987654321", now},
		{"another key's ticket", other.Issue("0912345678", earlier), "0912345678", now},
		{"edited time", "1" + valid, "0912345678", now},
		{"garbage", "abc", "0912345678", now},
		{"from the future", tickets.Issue("0912345678", now.Add(time.Minute)), "0912345678", now},
		{"too old to count", tickets.Issue("0912345678", now.Add(-6*time.Minute)), "0912345678", now},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tickets.Arrival(tc.ticket, tc.subject, now); !got.Equal(tc.want) {
				t.Fatalf("arrival %v, want %v", got, tc.want)
			}
		})
	}
}
