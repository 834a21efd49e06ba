package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

// questionRoutes let the secretariat import question banks and staff review round sets.
func (s *server) questionRoutes(staff *gin.RouterGroup) {
	staff.POST("/questions/import", requireRole(contest.RoleSecretariat, contest.RoleCommittee), s.importQuestions)
	staff.GET("/rounds/:number/questions", requireRole(contest.RoleSecretariat, contest.RoleCommittee, contest.RoleAdmin), s.roundQuestions)
	staff.GET("/question-revisions", requireRole(contest.RoleSecretariat, contest.RoleCommittee, contest.RoleAdmin), s.questionRevisions)
}

// questionRevisions shows what changed in the bank, before and after and by whom: what the
// committee reads before approving a set again.
func (s *server) questionRevisions(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	round := 0
	if raw := c.Query("round"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			fail(c, newError(http.StatusBadRequest, "invalid_field", "Tuần thi (round) phải là số nguyên dương."))
			return
		}
		round = n
	}
	limit, err := strconv.Atoi(c.DefaultQuery("limit", "100"))
	if err != nil || limit < 1 || limit > 1000 {
		limit = 100
	}
	revs, err := s.Store.QuestionRevisions(c.Request.Context(), v.ID, c.Query("code"), round, limit)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, revs)
}

func (s *server) roundQuestions(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	number, ok := pathNumber(c, "number")
	if !ok {
		return
	}
	auditRead(c, map[string]any{"read": "round_questions_with_keys", "campaign": v.Code, "round": number})
	qs, err := s.Store.RoundQuestionSet(c.Request.Context(), v.ID, number)
	if err != nil && !errors.Is(err, contest.ErrNotFound) {
		fail(c, err)
		return
	}
	if qs == nil {
		qs = []store.SetQuestion{}
	}
	c.JSON(http.StatusOK, qs)
}
