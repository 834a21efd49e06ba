package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/store"
)

// itemAnalysisRoutes add the item analysis of a ranked round, as JSON and as a workbook.
func (s *server) itemAnalysisRoutes(staff *gin.RouterGroup) {
	readers := requireRole(contest.RoleSecretariat, contest.RoleCommittee, contest.RoleAdmin)
	staff.GET("/rounds/:number/item-analysis", readers, s.itemAnalysis)
	staff.GET("/rounds/:number/item-analysis.xlsx", readers, s.itemAnalysisXLSX)
}

func errItemAnalysisNotRanked(number int) *Error {
	return newError(http.StatusConflict, "round_not_ranked", fmt.Sprintf(
		"Tuần thi thứ %d chưa được xếp hạng nên chưa có phân tích câu hỏi. Phân tích câu hỏi có ngay sau khi tuần thi được xếp hạng.", number))
}

func (s *server) itemAnalysis(c *gin.Context) {
	campaign, number, ok := s.itemAnalysisTarget(c)
	if !ok {
		return
	}
	a, err := reports.RoundItemAnalysis(c.Request.Context(), s.Store, campaign.ID, number)
	if !s.itemAnalysisOK(c, number, err) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, a)
}

func (s *server) itemAnalysisXLSX(c *gin.Context) {
	campaign, number, ok := s.itemAnalysisTarget(c)
	if !ok {
		return
	}
	rep, err := reports.ItemAnalysisReport(c.Request.Context(), s.Store, campaign.ID, number)
	if !s.itemAnalysisOK(c, number, err) {
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, rep, nil); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="item-analysis-%s-round-%d.xlsx"`, campaign.Code, number))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, xlsxContentType, buf.Bytes())
}

func (s *server) itemAnalysisTarget(c *gin.Context) (store.Campaign, int, bool) {
	campaign, ok := s.campaignRules(c)
	if !ok {
		return campaign, 0, false
	}
	number, ok := pathNumber(c, "number")
	return campaign, number, ok
}

func (s *server) itemAnalysisOK(c *gin.Context, number int, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, contest.ErrNotFound):
		fail(c, notFound("round"))
	case errors.Is(err, reports.ErrRoundNotRanked):
		fail(c, errItemAnalysisNotRanked(number))
	default:
		fail(c, err)
	}
	return false
}
