package jobs

import (
	"context"
	"log/slog"

	"github.com/hibiken/asynq"
)

// Server runs publication, notification, reminder and export tasks from this
// installation's queue.
type Server struct {
	srv *asynq.Server
	mux *asynq.ServeMux
}

// NewServer builds the asynq server for installation's queue on the Redis at redisAddr,
// with h's handlers. It is not started.
func NewServer(redisAddr, installation string, h *Handlers, log *slog.Logger) *Server {
	srv := asynq.NewServer(asynq.RedisClientOpt{Addr: redisAddr}, asynq.Config{
		Concurrency: 10,
		Queues:      map[string]int{QueueName(installation): 1},
		Logger:      asynqLogger{log},
		LogLevel:    asynq.WarnLevel,
	})
	return &Server{srv: srv, mux: h.mux()}
}

func (h *Handlers) mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.HandleFunc(TaskPublishRound, h.PublishRound)
	mux.HandleFunc(TaskSendNotification, h.SendNotification)
	mux.HandleFunc(TaskRemindCommittee, h.RemindCommittee)
	mux.HandleFunc(TaskRunExport, h.RunExport)
	return mux
}

// Process runs the handler of a task as a delivery from the queue would, without the
// queue's task-id check: what a duplicate delivery does.
func (h *Handlers) Process(ctx context.Context, taskType string, payload []byte) error {
	return h.mux().ProcessTask(ctx, asynq.NewTask(taskType, payload))
}

// Start starts processing tasks in the background.
func (s *Server) Start() error { return s.srv.Start(s.mux) }

// Shutdown stops taking tasks and waits for the running ones (asynq's own timeout).
func (s *Server) Shutdown() { s.srv.Shutdown() }

// asynqLogger routes asynq's own log lines into the structured log.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug("asynq", "msg", args) }
func (l asynqLogger) Info(args ...any)  { l.log.Info("asynq", "msg", args) }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn("asynq", "msg", args) }
func (l asynqLogger) Error(args ...any) { l.log.Error("asynq", "msg", args) }
func (l asynqLogger) Fatal(args ...any) { l.log.Error("asynq fatal", "msg", args) }
