package contest

import "time"

// Result is how an attempt ended: its status and score, as the participant, the exam
// workflow's callers and the reports see it.
type Result struct {
	AttemptID     int64     `json:"attempt_id"`
	Status        string    `json:"status"`
	CorrectCount  int       `json:"correct_count"`
	QuestionCount int       `json:"question_count"`
	TimeUsedMS    int64     `json:"time_used_ms"`
	FinishedAt    time.Time `json:"finished_at"`
}
