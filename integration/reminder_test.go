//go:build integration

package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
	"github.com/hpcontest/contest/workflows"
)

// A workflow waiting for the committee enqueues a reminder; the asynq handler turns it
// into one notification per committee member, sent once even if the reminder is enqueued twice.
func TestCommitteeReminderReachesEveryMemberOnce(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	reminder := workflows.ReminderRequest{CampaignID: 1, Stage: "trial_run", Count: 1}
	for range 2 {
		if err := s.Activities().RemindCommittee(ctx, reminder); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 20*time.Second, "the reminder to be sent", func() bool {
		var sent int
		if err := s.Store.Pool().QueryRow(ctx,
			`SELECT count(*) FROM notifications WHERE kind = 'committee_reminder' AND sent_at IS NOT NULL`).Scan(&sent); err != nil {
			t.Fatal(err)
		}
		return sent == 1 // the demo seed has one committee account
	})
	reminders := 0
	for _, m := range s.Notified.Sent() {
		if strings.HasPrefix(m.Subject, "Nhắc việc") {
			reminders++
			if !strings.Contains(m.Subject, "phê duyệt vận hành chính thức") || m.Recipient != "0911000001" {
				t.Fatalf("reminder %+v", m)
			}
		}
	}
	if reminders != 1 {
		t.Fatalf("%d reminders delivered, want 1", reminders)
	}
}
