package temporalclient

import (
	"fmt"

	"go.temporal.io/sdk/client"

	"github.com/hpcontest/contest/internal/config"
)

// Dial connects to Temporal with Options(cfg, x): the one client the exam dispatcher, the
// campaign runner and the worker of a process share.
func Dial(cfg config.Config, x Extras) (client.Client, error) {
	opts, err := Options(cfg, x)
	if err != nil {
		return nil, err
	}
	tc, err := client.Dial(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	return tc, nil
}
