package installation

import (
	"errors"
	"testing"

	"github.com/hpcontest/contest/workflows"
)

const (
	own   = "0123456789abcdef0123456789abcdef"
	other = "fedcba9876543210fedcba9876543210"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, header, workflowID string
		wantForeign              bool
		wantOwner                string
	}{
		{"own header", own, workflows.ExamWorkflowID(own, 8), false, ""},
		{"own header wins over a foreign id", own, workflows.ExamWorkflowID(other, 8), false, ""},
		{"foreign header", other, workflows.ExamWorkflowID(own, 8), true, other},
		{"foreign header on a campaign", other, workflows.CampaignWorkflowID(other, 1), true, other},
		{"no header, own exam id (started before the upgrade)", "", workflows.ExamWorkflowID(own, 8), false, ""},
		{"no header, own campaign id", "", workflows.CampaignWorkflowID(own, 1), false, ""},
		{"no header, own round id", "", workflows.RoundWorkflowID(own, 5), false, ""},
		{"no header, foreign exam id", "", workflows.ExamWorkflowID(other, 8), true, Short(other)},
		{"no header, foreign round id", "", workflows.RoundWorkflowID(other, 5), true, Short(other)},
		{"no header, id without installation", "", "exam-8", true, ""},
		{"no header, id of something else", "", "trace-" + own[:12], true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(own, tc.header, tc.workflowID)
			var foreign *ForeignError
			if got := errors.As(err, &foreign); got != tc.wantForeign {
				t.Fatalf("Check(%q, %q) = %v, want foreign %v", tc.header, tc.workflowID, err, tc.wantForeign)
			}
			if foreign != nil && foreign.Owner != tc.wantOwner {
				t.Errorf("owner %q, want %q", foreign.Owner, tc.wantOwner)
			}
		})
	}
}

func TestTaskQueue(t *testing.T) {
	if got := TaskQueue(own); got != "contest-0123456789ab" {
		t.Errorf("TaskQueue = %q", got)
	}
	if TaskQueue(own) == TaskQueue(other) {
		t.Error("two installations share a default task queue")
	}
	// The task queue and the workflow ids carry the same part of the id.
	if want := "exam-" + Short(own) + "-1"; workflows.ExamWorkflowID(own, 1) != want {
		t.Errorf("exam workflow id %q, want %q", workflows.ExamWorkflowID(own, 1), want)
	}
}
