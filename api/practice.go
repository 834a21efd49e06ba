package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

// practiceLabel is how every page names practice, so nobody takes it for the contest.
const practiceLabel = "Thi thử"

type practiceView struct {
	RoundID          int64     `json:"round_id"`
	Label            string    `json:"label"`
	CampaignCode     string    `json:"campaign_code"`
	Status           string    `json:"status"`
	TimeLimitSeconds int       `json:"time_limit_seconds"`
	QuestionCount    int       `json:"question_count"`
	BankSize         int       `json:"bank_size"`
	Unlimited        bool      `json:"unlimited"`
	Ranked           bool      `json:"ranked"`
	ServerTime       time.Time `json:"server_time"`
}

// currentPractice answers the default campaign's practice round: unlimited attempts, never
// ranked nor counted, the review right after submitting. It is public, like the current round.
func (s *server) currentPractice(c *gin.Context) {
	p, err := s.Store.CurrentPractice(c.Request.Context())
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, newError(http.StatusNotFound, "practice_not_found", "Hội thi chưa mở phần thi thử."))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	count := min(p.QuestionsPerAttempt, p.QuestionCount)
	c.JSON(http.StatusOK, practiceView{RoundID: p.ID, Label: practiceLabel, CampaignCode: p.CampaignCode, Status: p.Status(),
		TimeLimitSeconds: int(p.TimeLimit / time.Second), QuestionCount: count, BankSize: p.QuestionCount,
		Unlimited: true, Ranked: false, ServerTime: p.Now})
}

// practiceDisclosure is what a closed practice attempt shows: everything, at once. Practice
// draws from its own bank, never from a real set, so its correct options help nobody in a
// real round; real rounds keep rules.Disclose.
func practiceDisclosure(closed bool) grant {
	return grant{Disclosure: rules.Disclosure{Score: closed, Review: closed}}
}
