package installation

import (
	"context"
	"log/slog"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/hpcontest/contest/internal/metrics"
)

// Guard is the worker interceptor that refuses, before it runs, every activity (local or
// not) whose workflow belongs to another installation. The refusal is non-retryable: a
// retry would run on this same worker (a local activity) or on any poller of the shared
// queue, and the answer cannot change. It is logged once, at error level, because it
// means two installations share a task queue, which is a deployment mistake.
type Guard struct {
	interceptor.WorkerInterceptorBase
	Own string
	Log *slog.Logger
}

// InterceptActivity wraps every activity this worker runs.
func (g *Guard) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	a := &activityGuard{guard: g}
	a.Next = next
	return a
}

type activityGuard struct {
	interceptor.ActivityInboundInterceptorBase
	guard *Guard
}

func (a *activityGuard) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	info := activity.GetInfo(ctx)
	err := Check(a.guard.Own, FromContext(ctx), info.WorkflowExecution.ID)
	if err == nil {
		return a.Next.ExecuteActivity(ctx, in)
	}
	metrics.ForeignActivityRefused()
	log := a.guard.Log
	if log == nil {
		log = slog.Default()
	}
	log.Error("refused an activity of another installation: two installations share this task queue",
		"activity", info.ActivityType.Name, "local", info.IsLocalActivity, "workflow_id", info.WorkflowExecution.ID,
		"task_queue", info.TaskQueue, "installation", a.guard.Own, "error", err)
	return nil, temporal.NewNonRetryableApplicationError(err.Error(), ForeignErrorType, nil)
}
