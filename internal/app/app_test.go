package app

import (
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/config"
)

// A configuration not resolved for an installation would start workflows without the
// installation stamp, on no task queue: New refuses it before dialling anything.
func TestNewRefusesAnUnresolvedConfiguration(t *testing.T) {
	for _, cfg := range []config.Config{{}, {Installation: "abc"}, {TaskQueue: "q"}} {
		if _, err := New(cfg, nil, Options{}); err == nil || !strings.Contains(err.Error(), "not resolved") {
			t.Errorf("New(%+v) = %v, want an unresolved-installation error", cfg, err)
		}
	}
}
