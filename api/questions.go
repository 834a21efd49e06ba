package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

// questionRoutes let the secretariat import question banks and staff review round sets.
func (s *server) questionRoutes(staff *gin.RouterGroup) {
	staff.POST("/questions/import", requireRole(store.RoleSecretariat, store.RoleCommittee), s.importQuestions)
	staff.GET("/rounds/:number/questions", requireRole(store.RoleSecretariat, store.RoleCommittee, store.RoleAdmin), s.roundQuestions)
}

const maxQuestionImportBytes = 2 << 20

var errSetApproved = newError(http.StatusConflict, "question_set_approved",
	"Bộ câu hỏi của tuần %d đã được phê duyệt; không thể thay đổi.")

// importQuestions reads a CSV question bank (the format of `contest import-questions`);
// all rows or none are imported.
func (s *server) importQuestions(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxQuestionImportBytes+64<<10)
	fh, err := c.FormFile("file")
	if err != nil {
		fail(c, newError(http.StatusBadRequest, "invalid_form", "Cần gửi tệp CSV trong trường file (multipart/form-data, tối đa 2 MB)."))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return
	}
	defer f.Close()
	rows, err := seed.ParseQuestions(f)
	if err != nil {
		fail(c, newError(http.StatusUnprocessableEntity, "invalid_csv", "Tệp câu hỏi không hợp lệ: "+err.Error()))
		return
	}
	for _, q := range rows {
		i := slices.IndexFunc(v.Rounds, func(r store.RoundStatus) bool { return r.Number == q.Round })
		if i >= 0 && v.Rounds[i].QuestionSetStatus == "approved" {
			fail(c, newError(errSetApproved.Status, errSetApproved.Code, fmt.Sprintf(errSetApproved.Message, q.Round)))
			return
		}
	}
	n, err := s.Store.ImportQuestions(c.Request.Context(), v.ID, rows, false)
	if err != nil {
		fail(c, newError(http.StatusUnprocessableEntity, "invalid_csv", "Không nhập được bộ câu hỏi: "+err.Error()))
		return
	}
	c.JSON(http.StatusOK, gin.H{"imported": n})
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
	qs, err := s.Store.RoundQuestionSet(c.Request.Context(), v.ID, number)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		fail(c, err)
		return
	}
	if qs == nil {
		qs = []store.SetQuestion{}
	}
	c.JSON(http.StatusOK, qs)
}
