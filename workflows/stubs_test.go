package workflows

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
)

// newTestEnv is the test suite's environment with a deadlock detector that measures a
// hang, not a busy machine: the SDK's default fails a workflow task that has not yielded
// within one second of wall-clock time, which a loaded 2-core machine can take.
func newTestEnv() *testsuite.TestWorkflowEnvironment {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	return env
}

var errNotMocked = errors.New("activity stub called without a mock")

// registerActivityStubs registers, under their production names, functions with the
// activities' signatures, so that tests can mock them by name (env.OnActivity(name, …))
// without the activities package and its database.
func registerActivityStubs(env *testsuite.TestWorkflowEnvironment) {
	stubs := map[string]any{
		ActivityFinalizeAttempt:  func(context.Context, FinalizeRequest) (ExamResult, error) { return ExamResult{}, errNotMocked },
		ActivityLoadCampaignPlan: func(context.Context, int64) (CampaignPlan, error) { return CampaignPlan{}, errNotMocked },
		ActivityRecordDecision:   func(context.Context, DecisionRecord) (time.Time, error) { return time.Time{}, errNotMocked },
		ActivityRecordStage:      func(context.Context, StageRecord) error { return errNotMocked },
		ActivityAdvanceRound:     func(context.Context, RoundStateChange) error { return errNotMocked },
		ActivityRankRound:        func(context.Context, RankRequest) (RankSummary, error) { return RankSummary{}, errNotMocked },
		ActivityPublishRound:     func(context.Context, int64) error { return errNotMocked },
		ActivityRemindCommittee:  func(context.Context, ReminderRequest) error { return errNotMocked },
		ActivityJuryComplete:     func(context.Context, int64) (bool, error) { return false, errNotMocked },
	}
	// In the order of ActivityNames, not of the map, so registration is the same every run.
	for _, name := range ActivityNames {
		env.RegisterActivityWithOptions(stubs[name], activity.RegisterOptions{Name: name})
	}
}
