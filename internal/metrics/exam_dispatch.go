package metrics

import "github.com/prometheus/client_golang/prometheus"

var (
	examDispatchQueue = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "contest_exam_dispatch_queue_length",
		Help: "Exam workflow starts and submission signals waiting in this API process for a call to Temporal.",
	})
	examDispatchDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "contest_exam_dispatch_dropped_total",
		Help: "Jobs not queued because the queue was full (starts are then made by the recovery scan, submissions end at the timer).",
	})
	examWorkflowStarts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contest_exam_workflow_starts_total",
		Help: "Calls starting an exam workflow, by outcome: started, already_started, failed (retried by the recovery scan).",
	}, []string{"outcome"})
	examWorkflowRecovered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "contest_exam_workflow_starts_recovered_total",
		Help: "Exam workflow starts queued by the recovery scan: attempts found without a confirmed workflow.",
	})
	examSubmitSignals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contest_exam_submit_signals_total",
		Help: "Submission signals to exam workflows, by outcome: sent, not_running, failed (the exam then ends at its timer).",
	}, []string{"outcome"})
	examDeadlineSignals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contest_exam_deadline_signals_total",
		Help: "Moved-deadline signals to exam workflows (extra time granted during an exam), by outcome: sent, not_running, failed (the close is then retried at the new deadline).",
	}, []string{"outcome"})
)

func init() {
	Registry.MustRegister(examDispatchQueue, examDispatchDropped, examWorkflowStarts, examWorkflowRecovered, examSubmitSignals, examDeadlineSignals)
	for _, o := range []string{"started", "already_started", "failed"} {
		examWorkflowStarts.WithLabelValues(o)
	}
	for _, o := range []string{"sent", "not_running", "failed"} {
		examSubmitSignals.WithLabelValues(o)
		examDeadlineSignals.WithLabelValues(o)
	}
}

// ExamDispatchQueued moves the dispatch queue gauge by delta.
func ExamDispatchQueued(delta float64) { examDispatchQueue.Add(delta) }

// ExamDispatchDropped counts a job refused by a full queue.
func ExamDispatchDropped() { examDispatchDropped.Inc() }

// ExamWorkflowStart counts a start call by outcome.
func ExamWorkflowStart(outcome string) { examWorkflowStarts.WithLabelValues(outcome).Inc() }

// ExamWorkflowRecovered counts a start queued by the recovery scan.
func ExamWorkflowRecovered() { examWorkflowRecovered.Inc() }

// ExamSubmitSignal counts a submission signal by outcome.
func ExamSubmitSignal(outcome string) { examSubmitSignals.WithLabelValues(outcome).Inc() }

// ExamDeadlineSignal counts a moved-deadline signal by outcome.
func ExamDeadlineSignal(outcome string) { examDeadlineSignals.WithLabelValues(outcome).Inc() }
