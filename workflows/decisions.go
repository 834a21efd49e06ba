package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// DecideUpdate is the update through which people take the decisions the plan gives them.
const DecideUpdate = "decide"

// StageConflictError is the error type of a decision refused in the current stage.
const StageConflictError = "StageConflict"

// Decision is one decision sent by the API on behalf of a logged-in person.
type Decision struct {
	Kind      string
	Round     int
	Outcome   string // approved or sent_back; done for acknowledgements
	ActorID   int64
	ActorRole string
	Comment   string
}

// DecisionReceipt tells the caller what was recorded.
type DecisionReceipt struct {
	Kind      string
	Round     int
	Outcome   string
	Stage     string
	DecidedAt time.Time
}

// systemActor marks decisions the workflow takes itself (rehearsals with auto-approval).
const systemActor = "system"

func stageConflict(stage, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), StageConflictError, stage)
}

// recordDecision stores a decision through an activity. The update's id makes the record
// idempotent across activity retries.
func recordDecision(ctx workflow.Context, campaignID int64, d Decision) (time.Time, error) {
	wfID := workflow.GetInfo(ctx).WorkflowExecution.ID
	requestID := fmt.Sprintf("wf:%s:auto:%s:%d", wfID, d.Kind, d.Round)
	if d.ActorRole != systemActor {
		requestID = fmt.Sprintf("wf:%s:%s", wfID, workflow.GetCurrentUpdateInfo(ctx).ID)
	}
	var at time.Time
	err := workflow.ExecuteActivity(withShortActivity(ctx), ActivityRecordDecision, DecisionRecord{
		CampaignID: campaignID, Kind: d.Kind, RoundNumber: d.Round, Outcome: d.Outcome,
		DecidedBy: d.ActorID, Comment: d.Comment, RequestID: requestID,
	}).Get(ctx, &at)
	return at, err
}

// withShortActivity is for activities that are single database statements; they retry
// without limit because the process they belong to must not stop on a database restart.
func withShortActivity(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}

// sleepUntil waits for an instant of the calendar; a past instant returns at once.
func sleepUntil(ctx workflow.Context, t time.Time) error {
	if d := t.Sub(workflow.Now(ctx)); d > 0 {
		return workflow.Sleep(ctx, d)
	}
	return nil
}

// awaitWithReminders waits for cond, reminding the committee every interval it is not met.
func awaitWithReminders(ctx workflow.Context, interval time.Duration, cond func() bool, remind func(n int) error) error {
	for n := 1; ; n++ {
		ok, err := workflow.AwaitWithTimeout(ctx, interval, cond)
		if err != nil || ok {
			return err
		}
		if err := remind(n); err != nil {
			return err
		}
	}
}
