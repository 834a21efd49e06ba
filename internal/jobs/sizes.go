package jobs

import (
	"context"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest/internal/metrics"
)

// Sizes reads the backlog of an installation's queue for the queue-depth gauges.
type Sizes struct {
	inspector *asynq.Inspector
	queue     string
}

// NewSizes inspects installation's queue on the Redis at redisAddr, with short Redis
// timeouts: a scrape must not hang on an unreachable Redis.
func NewSizes(redisAddr, installation string) *Sizes {
	return &Sizes{queue: QueueName(installation), inspector: asynq.NewInspector(asynq.RedisClientOpt{Addr: redisAddr,
		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second})}
}

// Queue is the name of the inspected queue.
func (s *Sizes) Queue() string { return s.queue }

// Read reads the queue's sizes; the inspector takes no context, so the wait for it is
// bounded here. A queue that never held a task does not exist yet: it is empty.
func (s *Sizes) Read(ctx context.Context) (metrics.QueueSizes, error) {
	type result struct {
		info *asynq.QueueInfo
		err  error
	}
	done := make(chan result, 1)
	go func() {
		// GetQueueInfo's "not found" error is asynq-internal, so ask for the list first.
		queues, err := s.inspector.Queues()
		if err != nil || !slices.Contains(queues, s.queue) {
			done <- result{&asynq.QueueInfo{}, err}
			return
		}
		info, err := s.inspector.GetQueueInfo(s.queue)
		done <- result{info, err}
	}()
	select {
	case <-ctx.Done():
		return metrics.QueueSizes{}, ctx.Err()
	case r := <-done:
		if r.err != nil {
			return metrics.QueueSizes{}, r.err
		}
		return metrics.QueueSizes{Pending: r.info.Pending, Scheduled: r.info.Scheduled, Retry: r.info.Retry}, nil
	}
}

// Close releases the inspector's Redis connection.
func (s *Sizes) Close() error { return s.inspector.Close() }
