package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest/workflows"
)

// Task types handled by the worker's asynq server.
const (
	TaskPublishRound     = "results:publish"
	TaskSendNotification = "notification:send"
	TaskRemindCommittee  = "committee:remind"
)

// TaskQueue enqueues this installation's asynq tasks. Task ids carry the installation so
// that an id can only ever mean one thing: enqueuing the same work twice is a no-op, which
// is half of publication's exactly-once effect (the other half is idempotent writes).
type TaskQueue struct {
	Client       *asynq.Client
	Installation string
}

// QueueName is the asynq queue of an installation; several databases may share one Redis.
func QueueName(installation string) string {
	if len(installation) > 12 {
		installation = installation[:12]
	}
	return "contest-" + installation
}

// Retention keeps a finished task's id reserved, so a late duplicate is still recognised.
const taskRetention = 90 * 24 * time.Hour

func (q *TaskQueue) enqueue(ctx context.Context, taskType, id string, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = q.Client.EnqueueContext(ctx, asynq.NewTask(taskType, raw),
		asynq.Queue(QueueName(q.Installation)), asynq.TaskID(q.Installation+":"+id),
		asynq.MaxRetry(25), asynq.Retention(taskRetention))
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s %s: %w", taskType, id, err)
	}
	return nil
}

// PublishRoundPayload asks to publish a round's approved results.
type PublishRoundPayload struct {
	RoundID int64 `json:"round_id"`
}

// NotificationPayload asks to send one outbox message.
type NotificationPayload struct {
	NotificationID int64 `json:"notification_id"`
}

// ReminderPayload asks to remind the committee that a stage waits for them: the request
// of the workflow's RemindCommittee activity, queued as it is.
type ReminderPayload = workflows.ReminderRequest

// EnqueueSends enqueues one send task per notification; already queued ones are skipped.
func (q *TaskQueue) EnqueueSends(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if err := q.enqueue(ctx, TaskSendNotification, fmt.Sprintf("notification-%d", id), NotificationPayload{NotificationID: id}); err != nil {
			return err
		}
	}
	return nil
}
