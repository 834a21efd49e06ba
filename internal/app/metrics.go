package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/jobs"
	"github.com/hpcontest/contest/internal/metrics"
	"github.com/hpcontest/contest/internal/store"
)

var storeMetricsOnce, queueDepthOnce, hashPoolOnce sync.Once

// RegisterMetrics adds the stack's gauges to the process registry: the PostgreSQL pool,
// the overdue attempts, the task backlog and the password-hashing pool. The first stack of
// a process registers them (dev runs the API and the worker together).
func (s *Stack) RegisterMetrics() {
	registerQueueDepth(s.Config.RedisAddr, s.Store, s.Installation)
	registerStoreMetrics(s.Store)
	registerHashPool()
}

// registerHashPool adds the hashing pool's gauges, read from whichever pool is the default
// at scrape time (the binary installs its own at start).
func registerHashPool() {
	hashPoolOnce.Do(func() {
		err := metrics.RegisterHashPool(metrics.Registry, func() metrics.HashPoolStats {
			s := auth.DefaultPool().Stats()
			return metrics.HashPoolStats{Workers: int64(s.Workers), InFlight: s.InFlight, Waiting: s.Waiting,
				Rejected: s.Rejected, Hashed: s.Hashed, Busy: s.Busy}
		})
		if err != nil {
			slog.Warn("password hashing metrics not registered", "error", err)
		}
	})
}

// registerQueueDepth adds the asynq and outbox backlog gauges to the process registry.
func registerQueueDepth(redisAddr string, st *store.Store, installation string) {
	queueDepthOnce.Do(func() {
		sizes := jobs.NewSizes(redisAddr, installation)
		err := metrics.RegisterQueueDepth(metrics.Registry, metrics.QueueProbe{
			Queue:       sizes.Queue(),
			AsynqSizes:  sizes.Read,
			UnsentCount: st.UnsentNotificationCount,
			Log:         slog.Default().With("component", "metrics").Warn,
		})
		if err != nil {
			slog.Warn("queue depth metrics not registered", "error", err)
		}
	})
}

// registerStoreMetrics adds the PostgreSQL pool gauges, the session cache's and the
// overdue-attempt gauges (auto-close lateness as the database sees it) to the process registry.
func registerStoreMetrics(st *store.Store) {
	storeMetricsOnce.Do(func() {
		pool := st.Pool()
		err := metrics.RegisterDBPool(metrics.Registry, func() metrics.DBPoolStats {
			s := pool.Stat()
			return metrics.DBPoolStats{
				Acquired: s.AcquiredConns(), Idle: s.IdleConns(), Constructing: s.ConstructingConns(), Max: s.MaxConns(),
				Acquires: s.AcquireCount(), EmptyAcquires: s.EmptyAcquireCount(), AcquireWait: s.AcquireDuration(),
			}
		})
		if err != nil {
			slog.Warn("database pool metrics not registered", "error", err)
		}
		err = metrics.RegisterSessionCache(metrics.Registry, func() metrics.SessionCacheStats {
			s := st.SessionCacheStats()
			return metrics.SessionCacheStats{Live: s.Live, Entries: s.Entries, Hits: s.Hits, Misses: s.Misses}
		})
		if err != nil {
			slog.Warn("session cache metrics not registered", "error", err)
		}
		err = metrics.RegisterOverdue(metrics.Registry, func(ctx context.Context) (metrics.Overdue, error) {
			return overdueAttempts(ctx, st)
		}, 0, slog.Default().With("component", "metrics").Warn)
		if err != nil {
			slog.Warn("overdue attempt metrics not registered", "error", err)
		}
	})
}

// overdueAttempts counts attempts in progress past their deadline and the lateness of the
// oldest. Only open attempts are read, through the partial index attempts_one_open
// (status = 'in_progress'): at most one row per participant in an exam, cheap per scrape.
func overdueAttempts(ctx context.Context, st *store.Store) (metrics.Overdue, error) {
	var o metrics.Overdue
	err := st.Pool().QueryRow(ctx, `
		SELECT count(*), coalesce(extract(epoch FROM now() - min(deadline)), 0)::float8
		FROM attempts WHERE status = 'in_progress' AND deadline < now()`).Scan(&o.Open, &o.OldestSeconds)
	if err != nil {
		return metrics.Overdue{}, fmt.Errorf("count overdue attempts: %w", err)
	}
	return o, nil
}
