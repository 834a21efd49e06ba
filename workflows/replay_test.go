package workflows

import (
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays workflow histories recorded from a real Temporal
// server (testdata/*.json, exported with `temporal workflow show --output json` or by the
// integration tests with RECORD_HISTORIES set). A change to a workflow that would break
// executions in flight during a deployment fails here. Record a new history for every new
// shape a workflow can take.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range files {
		kinds[strings.SplitN(filepath.Base(f), "_", 2)[0]]++
	}
	for _, kind := range []string{"exam", "campaign", "round"} {
		if kinds[kind] == 0 {
			t.Errorf("no recorded %s history in testdata", kind)
		}
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			RegisterWorkflows(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
