//go:build integration

// Package integration drives the whole stack over HTTP against real PostgreSQL and a real
// Temporal server.
package integration

import "time"

type round struct {
	ID               int64     `json:"id"`
	Number           int       `json:"number"`
	Status           string    `json:"status"`
	OpensAt          time.Time `json:"opens_at"`
	ClosesAt         time.Time `json:"closes_at"`
	TimeLimitSeconds int       `json:"time_limit_seconds"`
	QuestionCount    int       `json:"question_count"`
}

type option struct{ Key, Text string }

type question struct {
	No      int
	Text    string
	Options []option
}

type started struct {
	AttemptID          int64      `json:"attempt_id"`
	StartedAt          time.Time  `json:"started_at"`
	Deadline           time.Time  `json:"deadline"`
	ServerTime         time.Time  `json:"server_time"`
	Questions          []question `json:"questions"`
	PredictionQuestion string     `json:"prediction_question"`
}

type result struct {
	Status        string `json:"status"`
	CorrectCount  int    `json:"correct_count"`
	QuestionCount int    `json:"question_count"`
	TimeUsedMS    int64  `json:"time_used_ms"`
}

type attempt struct {
	Status      string            `json:"status"`
	Deadline    time.Time         `json:"deadline"`
	ServerTime  time.Time         `json:"server_time"`
	RemainingMS int64             `json:"remaining_ms"`
	Answers     map[string]string `json:"answers"`
	Prediction  *int              `json:"prediction"`
	Questions   []question        `json:"questions"`
	Result      *result           `json:"result"`
	Review      []struct {
		No         int     `json:"no"`
		Choice     *string `json:"choice"`
		CorrectKey string  `json:"correct_key"`
	} `json:"review"`
}

func hcmZone(t interface{ Fatal(...any) }) *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
