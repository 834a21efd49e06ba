package worker

import (
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest/activities"
)

// NewTaskServer builds the asynq server that runs publication, notification and reminder
// tasks from this installation's queue. It is not started.
func NewTaskServer(redisAddr, installation string, h *activities.TaskHandlers, log *slog.Logger) (*asynq.Server, *asynq.ServeMux) {
	srv := asynq.NewServer(asynq.RedisClientOpt{Addr: redisAddr}, asynq.Config{
		Concurrency: 10,
		Queues:      map[string]int{activities.QueueName(installation): 1},
		Logger:      asynqLogger{log},
		LogLevel:    asynq.WarnLevel,
	})
	mux := asynq.NewServeMux()
	mux.HandleFunc(activities.TaskPublishRound, h.PublishRound)
	mux.HandleFunc(activities.TaskSendNotification, h.SendNotification)
	mux.HandleFunc(activities.TaskRemindCommittee, h.RemindCommittee)
	mux.HandleFunc(activities.TaskRunExport, h.RunExport)
	return srv, mux
}

// asynqLogger routes asynq's own log lines into the structured log.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug("asynq", "msg", args) }
func (l asynqLogger) Info(args ...any)  { l.log.Info("asynq", "msg", args) }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn("asynq", "msg", args) }
func (l asynqLogger) Error(args ...any) { l.log.Error("asynq", "msg", args) }
func (l asynqLogger) Fatal(args ...any) { l.log.Error("asynq fatal", "msg", args) }
