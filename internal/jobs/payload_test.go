package jobs

import (
	"encoding/json"
	"testing"

	"github.com/hpcontest/contest/workflows"
)

// Reminder tasks queued before the payload moved out of workflows sit in Redis for up to
// the retention: the handler's payload must read the workflow's request as it was queued,
// field for field, and the producer must write the same JSON.
func TestReminderPayloadIsTheWorkflowsRequestOnTheWire(t *testing.T) {
	queued := workflows.ReminderRequest{CampaignID: 7, Stage: "trial_run", Round: 2, Count: 3}
	raw, err := json.Marshal(queued)
	if err != nil {
		t.Fatal(err)
	}
	var p ReminderPayload
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	if p.CampaignID != queued.CampaignID || p.Stage != queued.Stage || p.Round != queued.Round || p.Count != queued.Count {
		t.Fatalf("queued %+v, read %+v", queued, p)
	}
	again, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(raw) {
		t.Fatalf("producer writes %s, the workflow's request was %s", again, raw)
	}
}
