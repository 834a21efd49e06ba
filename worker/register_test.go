package worker

import (
	"reflect"
	"testing"

	"github.com/hpcontest/contest/activities"
	"github.com/hpcontest/contest/workflows"
)

// The workflows call activities by name; registering *activities.Activities registers
// its methods under their Go names. A renamed method would leave a workflow calling a
// name no worker serves, so every name must be a method.
func TestEveryActivityNameIsRegistered(t *testing.T) {
	methods := reflect.TypeOf(&activities.Activities{})
	for _, name := range workflows.ActivityNames {
		if _, ok := methods.MethodByName(name); !ok {
			t.Errorf("workflows call activity %q, which *activities.Activities does not have", name)
		}
	}
}
