// Package worker registers the workflows and activities on a Temporal worker.
package worker

import (
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/internal/installation"
	"github.com/hpcontest/contest/workflows"
)

// New builds a worker for the contest task queue of installation own. It is not started.
// It runs activities only for own's workflows: the activities act on this database by
// attempt and round id, so a workflow of another installation that shares the queue
// (a misconfiguration) is refused, never run here; the refusals go to log.
func New(c client.Client, taskQueue, own string, acts *activities.Activities, log *slog.Logger) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		Interceptors: []interceptor.WorkerInterceptor{&installation.Guard{Own: own, Log: log}},
		// Exams are short and many: let one worker finalize a rush of deadlines at once.
		MaxConcurrentActivityExecutionSize:     200,
		MaxConcurrentWorkflowTaskExecutionSize: 200,
		// Workflow-task pollers scale with the server's feedback (its backlog), within 2–64.
		// A fixed 32 split evenly between the normal queue and this worker's sticky queue,
		// where an exam (one workflow task) never has work: half the pollers idled while
		// deadlines waited in the normal queue (docs/performance.md, "Temporal server on
		// PostgreSQL"); more fixed pollers only crowded the server. The SDK's default of 2
		// left tasks waiting too.
		WorkflowTaskPollerBehavior: sdkworker.NewPollerBehaviorAutoscaling(sdkworker.PollerBehaviorAutoscalingOptions{
			InitialNumberOfPollers: 16, MinimumNumberOfPollers: 2, MaximumNumberOfPollers: 64}),
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
	workflows.RegisterWorkflows(r)
	// By the struct: each method is registered under its own name, which is the name the
	// workflows call it by (workflows.ActivityNames; TestEveryActivityNameIsRegistered).
	r.RegisterActivity(acts)
}
