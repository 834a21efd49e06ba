package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/store"
)

// questionRoutes let the secretariat import question banks and staff review round sets.
func (s *server) questionRoutes(staff *gin.RouterGroup) {
	staff.POST("/questions/import", requireRole(store.RoleSecretariat, store.RoleCommittee), s.importQuestions)
	staff.GET("/rounds/:number/questions", requireRole(store.RoleSecretariat, store.RoleCommittee, store.RoleAdmin), s.roundQuestions)
}

func (s *server) roundQuestions(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	number, ok := pathID(c, "number")
	if !ok {
		return
	}
	qs, err := s.Store.RoundQuestionSet(c.Request.Context(), v.ID, int(number))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		fail(c, err)
		return
	}
	if qs == nil {
		qs = []store.SetQuestion{}
	}
	c.JSON(http.StatusOK, qs)
}
