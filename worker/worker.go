// Package worker registers the workflows and activities on a Temporal worker.
package worker

import (
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/workflows"
)

// New builds a worker for the contest task queue. It is not started.
func New(c client.Client, taskQueue string, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		// Exams are short and many: let one worker finalize a rush of deadlines at once.
		MaxConcurrentActivityExecutionSize:     200,
		MaxConcurrentWorkflowTaskExecutionSize: 200,
		// The SDK's default of 2 pollers each left tasks waiting in the load benchmark.
		MaxConcurrentWorkflowTaskPollers: 32,
		MaxConcurrentActivityTaskPollers: 8,
		// On SIGTERM, let running activities (a ranking, a publication) finish rather than
		// be cancelled and retried elsewhere; within Kubernetes' 60 s grace period.
		WorkerStopTimeout: 20 * time.Second,
	})
	Register(w, acts)
	return w
}

// Register puts every workflow and activity on a registry; tests use it with their own worker.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflow(workflows.ExamWorkflowV2)
	r.RegisterWorkflowWithOptions(workflows.ExamWorkflowV1, workflow.RegisterOptions{Name: workflows.ExamWorkflowV1Type})
	r.RegisterWorkflow(workflows.CampaignWorkflow)
	r.RegisterWorkflow(workflows.RoundWorkflow)
	r.RegisterActivity(acts)
}
