package workflows

import "go.temporal.io/sdk/workflow"

// Registry is what workflows are registered on: a worker or a replayer.
type Registry interface {
	RegisterWorkflow(w any)
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// RegisterWorkflows puts every workflow on r under its type name. The worker and the
// replay test both use it, so a workflow cannot run in production yet miss replay.
func RegisterWorkflows(r Registry) {
	r.RegisterWorkflow(ExamWorkflowV2)
	r.RegisterWorkflowWithOptions(ExamWorkflowV1, workflow.RegisterOptions{Name: ExamWorkflowV1Type})
	r.RegisterWorkflow(CampaignWorkflow)
	r.RegisterWorkflow(RoundWorkflow)
}
