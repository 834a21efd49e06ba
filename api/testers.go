package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/hpcontest/contest"
)

type testerRequest struct {
	Tester *bool `json:"tester" validate:"required"`
}

var errTesterNotParticipant = newError(http.StatusUnprocessableEntity, "tester_not_participant",
	"Chỉ tài khoản người dự thi mới được đánh dấu thử nghiệm; cán bộ tổ chức hội thi được làm bài diễn tập mà không cần đánh dấu.")

// setTester marks or unmarks a participant account as a rehearsal tester. Only a marked
// account (or staff) may sit rehearsal rounds, which run on the real question sets. The
// audit middleware records who did it, like every staff change.
func (s *server) setTester(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req testerRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	t, err := s.Store.SetTester(c.Request.Context(), id, "", *req.Tester, nil)
	switch {
	case errors.Is(err, contest.ErrNotFound):
		fail(c, notFound("participant"))
	case errors.Is(err, contest.ErrNotParticipant):
		fail(c, errTesterNotParticipant)
	case err != nil:
		fail(c, err)
	default:
		c.JSON(http.StatusOK, t)
	}
}
