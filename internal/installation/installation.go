// Package installation keeps installations that share a Temporal namespace apart. An
// installation is one database (its id is created by the first migration): every process
// on that database agrees on it, two databases never do. It names the default task
// queue, and it travels in the header of every workflow the installation starts, so that
// a worker refuses the activities of a workflow that is not its own instead of running
// them against its own database by attempt or round id.
package installation

import (
	"fmt"
	"regexp"
)

// ShortLen is how much of the id workflow ids and task queues carry: 48 bits, enough to
// keep the installations of one namespace apart.
const ShortLen = 12

// Short is the part of the id that workflow ids and the default task queue carry.
func Short(id string) string {
	if len(id) > ShortLen {
		return id[:ShortLen]
	}
	return id
}

// TaskQueue is the default Temporal task queue of an installation, used when
// TEMPORAL_TASK_QUEUE is not set. Deriving it means two installations in one namespace
// get different queues without anyone choosing names.
func TaskQueue(id string) string { return "contest-" + Short(id) }

// ForeignErrorType is the application error type of an activity refused because its
// workflow belongs to another installation; it is never retried.
const ForeignErrorType = "ForeignInstallation"

// ForeignError says that an activity's workflow belongs to another installation.
type ForeignError struct {
	Own        string // this installation
	Owner      string // the installation named by the header, or the short one in the workflow id
	WorkflowID string
	Reason     string
}

func (e *ForeignError) Error() string {
	return fmt.Sprintf("workflow %s belongs to installation %q, not to this one (%s): %s", e.WorkflowID, e.Owner, e.Own, e.Reason)
}

// workflowIDPattern matches the ids this code gives its workflows: exam-, campaign- and
// round-<short installation>-<number> (workflows.ExamWorkflowID and its siblings).
var workflowIDPattern = regexp.MustCompile(`^[a-z]+-([0-9a-f]{` + fmt.Sprint(ShortLen) + `})-[0-9]+$`)

// Check says whether installation own may run an activity of the workflow workflowID
// whose header named the installation header ("" when the header is missing).
//
// The header decides when present. It is missing only from workflows started before
// installations stamped it (a release ago) or by something that is not this code; then
// the installation part of the workflow id decides, since every workflow id this code
// has given since installations exist carries it. A workflow with neither is refused:
// nothing shows it is ours, and running it could close someone else's attempt here.
func Check(own, header, workflowID string) error {
	if header != "" {
		if header == own {
			return nil
		}
		return &ForeignError{Own: own, Owner: header, WorkflowID: workflowID, Reason: "its header names another installation"}
	}
	m := workflowIDPattern.FindStringSubmatch(workflowID)
	switch {
	case m == nil:
		return &ForeignError{Own: own, WorkflowID: workflowID, Reason: "no installation header and the workflow id names no installation"}
	case m[1] != Short(own):
		return &ForeignError{Own: own, Owner: m[1], WorkflowID: workflowID, Reason: "no installation header and the workflow id names another installation"}
	}
	return nil
}
