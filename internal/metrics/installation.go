package metrics

import "github.com/prometheus/client_golang/prometheus"

var foreignActivitiesRefused = prometheus.NewCounter(prometheus.CounterOpts{
	Name: "contest_foreign_installation_activities_refused_total",
	Help: "Activities refused because their workflow belongs to another installation: two installations share a task queue.",
})

func init() { Registry.MustRegister(foreignActivitiesRefused) }

// ForeignActivityRefused counts an activity the worker refused to run for another
// installation; anything above zero is a deployment mistake to fix.
func ForeignActivityRefused() { foreignActivitiesRefused.Inc() }
