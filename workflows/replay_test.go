package workflows

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
)

// TestReplayRecordedHistories replays exam histories recorded from a real Temporal server
// (testdata/*.json, exported with `temporal workflow show --output json`). A change to
// the workflow that would break exams in flight during a deployment fails here.
// Record a new history for every new shape the workflow can take.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/exam_*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("found %d recorded exam histories, want at least 2 (submitted and auto-submitted)", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflow(ExamWorkflow)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
