package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

type roundView struct {
	ID               int64     `json:"id"`
	Number           int       `json:"number"`
	Status           string    `json:"status"`
	OpensAt          time.Time `json:"opens_at"`
	ClosesAt         time.Time `json:"closes_at"`
	TimeLimitSeconds int       `json:"time_limit_seconds"`
	QuestionCount    int       `json:"question_count"`
	// AttemptsPerRound is what the quiz page tells before the start: how many attempts a
	// participant has in the round (the plan's one per week by default).
	AttemptsPerRound int       `json:"attempts_per_round"`
	ServerTime       time.Time `json:"server_time"`
}

func newRoundView(r store.RoundView) roundView {
	return roundView{ID: r.ID, Number: r.Number, Status: r.Status(), OpensAt: r.OpensAt, ClosesAt: r.ClosesAt,
		TimeLimitSeconds: int(r.TimeLimit / time.Second), QuestionCount: r.QuestionsPerAttempt, AttemptsPerRound: r.AttemptsPerRound, ServerTime: r.Now}
}

// currentRound answers the open round, or else the next one, or else the last one; the
// status field says which.
func (s *server) currentRound(c *gin.Context) {
	r, err := s.Store.CurrentRound(c.Request.Context())
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("round"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newRoundView(r))
}
