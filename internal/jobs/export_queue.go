package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TaskRunExport builds a report in the background (see Handlers.RunExport).
const TaskRunExport = "report:export"

// Exports are retried a few times only: a report that fails three times will fail again.
const (
	exportMaxRetry  = 3
	exportTimeout   = 30 * time.Minute
	exportRetention = 7 * 24 * time.Hour
)

// ExportPayload asks to build one recorded export.
type ExportPayload struct {
	ExportID int64 `json:"export_id"`
}

// EnqueueExport enqueues the task that builds an export. The task id is the export's, so
// enqueuing it again (a retried request, a stale export re-enqueued) is a no-op while the
// task is known to Redis.
func (q *Queue) EnqueueExport(ctx context.Context, exportID int64) error {
	raw, err := json.Marshal(ExportPayload{ExportID: exportID})
	if err != nil {
		return err
	}
	_, err = q.client.EnqueueContext(ctx, asynq.NewTask(TaskRunExport, raw),
		asynq.Queue(QueueName(q.installation)), asynq.TaskID(fmt.Sprintf("%s:export-%d", q.installation, exportID)),
		asynq.MaxRetry(exportMaxRetry), asynq.Timeout(exportTimeout), asynq.Retention(exportRetention))
	if errors.Is(err, asynq.ErrTaskIDConflict) || errors.Is(err, asynq.ErrDuplicateTask) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue export %d: %w", exportID, err)
	}
	return nil
}
