// Package jobs is the asynq side of the platform: the producer that puts this
// installation's background tasks (publication, notifications, reminders, exports) on
// Redis, and the server and handlers that run them. Callers depend on small interfaces of
// their own (activities.Enqueuer, api.ExportQueue); only this package speaks asynq.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest"
)

// Task types handled by the worker's asynq server.
const (
	TaskPublishRound     = "results:publish"
	TaskSendNotification = "notification:send"
	TaskRemindCommittee  = "committee:remind"
)

// Queue enqueues this installation's asynq tasks. Task ids carry the installation so that
// an id can only ever mean one thing: enqueuing the same work twice is a no-op, which is
// half of publication's exactly-once effect (the other half is idempotent writes).
type Queue struct {
	client       *asynq.Client
	installation string
}

// NewQueue connects a producer to the Redis at redisAddr; Close releases it.
func NewQueue(redisAddr, installation string) *Queue {
	return &Queue{client: asynq.NewClient(asynq.RedisClientOpt{Addr: redisAddr}), installation: installation}
}

// Close closes the Redis connection.
func (q *Queue) Close() error { return q.client.Close() }

// QueueName is the asynq queue of an installation; several databases may share one Redis.
func QueueName(installation string) string {
	if len(installation) > 12 {
		installation = installation[:12]
	}
	return "contest-" + installation
}

// Retention keeps a finished task's id reserved, so a late duplicate is still recognised.
const taskRetention = 90 * 24 * time.Hour

func (q *Queue) enqueue(ctx context.Context, taskType, id string, payload any) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = q.client.EnqueueContext(ctx, asynq.NewTask(taskType, raw),
		asynq.Queue(QueueName(q.installation)), asynq.TaskID(q.installation+":"+id),
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

// ReminderPayload asks to remind the committee that a stage waits for them.
type ReminderPayload = contest.Reminder

// PublishRound enqueues the publication of an approved round. The task id is the
// round's, so a retried activity, a duplicate approval or the sweeper enqueues nothing new.
func (q *Queue) PublishRound(ctx context.Context, roundID int64) error {
	return q.enqueue(ctx, TaskPublishRound, fmt.Sprintf("publish-round-%d", roundID), PublishRoundPayload{RoundID: roundID})
}

// RemindCommittee enqueues one reminder; the same reminder (same count) is queued once.
func (q *Queue) RemindCommittee(ctx context.Context, r contest.Reminder) error {
	return q.enqueue(ctx, TaskRemindCommittee, fmt.Sprintf("remind-%d-%s-%d-%d", r.CampaignID, r.Stage, r.Round, r.Count), r)
}

// EnqueueSends enqueues one send task per notification; already queued ones are skipped.
func (q *Queue) EnqueueSends(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if err := q.enqueue(ctx, TaskSendNotification, fmt.Sprintf("notification-%d", id), NotificationPayload{NotificationID: id}); err != nil {
			return err
		}
	}
	return nil
}
