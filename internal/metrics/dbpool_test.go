package metrics

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestDBPool(t *testing.T) {
	reg := prometheus.NewRegistry()
	err := RegisterDBPool(reg, func() DBPoolStats {
		return DBPoolStats{Acquired: 3, Idle: 2, Constructing: 1, Max: 20, Acquires: 100, EmptyAcquires: 7, AcquireWait: 1500 * time.Millisecond}
	})
	if err != nil {
		t.Fatal(err)
	}
	fams := families(t, reg)
	conns := map[string]float64{}
	for _, m := range fams["contest_db_pool_connections"].GetMetric() {
		conns[labelsOf(m)["state"]] = m.GetGauge().GetValue()
	}
	if conns["acquired"] != 3 || conns["idle"] != 2 || conns["constructing"] != 1 {
		t.Errorf("contest_db_pool_connections %v", conns)
	}
	for name, want := range map[string]float64{"contest_db_pool_acquires_total": 100, "contest_db_pool_empty_acquires_total": 7, "contest_db_pool_acquire_wait_seconds_total": 1.5} {
		if got := fams[name].GetMetric()[0].GetCounter().GetValue(); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := fams["contest_db_pool_max_connections"].GetMetric()[0].GetGauge().GetValue(); got != 20 {
		t.Errorf("contest_db_pool_max_connections = %v", got)
	}
}

func TestOverdue(t *testing.T) {
	for _, tc := range []struct {
		name     string
		read     func(context.Context) (Overdue, error)
		up       float64
		reported bool
	}{
		{"read", func(context.Context) (Overdue, error) { return Overdue{Open: 4, OldestSeconds: 2.5}, nil }, 1, true},
		{"database away", func(context.Context) (Overdue, error) { return Overdue{}, errors.New("down") }, 0, false},
		{"hangs", func(ctx context.Context) (Overdue, error) { <-ctx.Done(); return Overdue{}, ctx.Err() }, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			if err := RegisterOverdue(reg, tc.read, 50*time.Millisecond, nil); err != nil {
				t.Fatal(err)
			}
			fams := families(t, reg)
			if got := fams["contest_attempts_overdue_up"].GetMetric()[0].GetGauge().GetValue(); got != tc.up {
				t.Errorf("contest_attempts_overdue_up = %v, want %v", got, tc.up)
			}
			if (fams["contest_attempts_overdue_open"] != nil) != tc.reported {
				t.Fatalf("contest_attempts_overdue_open reported: %v, want %v", fams["contest_attempts_overdue_open"] != nil, tc.reported)
			}
			if tc.reported {
				if fams["contest_attempts_overdue_open"].GetMetric()[0].GetGauge().GetValue() != 4 ||
					fams["contest_attempts_overdue_oldest_seconds"].GetMetric()[0].GetGauge().GetValue() != 2.5 {
					t.Error("overdue values not reported as read")
				}
			}
		})
	}
}
