package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/store"
)

// peopleRoutes add the focal point's list of people: who in their agency (and the agencies
// under it) registered, and who sat each week, as JSON or as a workbook.
func (s *server) peopleRoutes(authed *gin.RouterGroup, readers gin.HandlerFunc) {
	authed.GET("/campaigns/:code/participation/people", readers, func(c *gin.Context) { s.agencyPeople(c, false) })
	authed.GET("/campaigns/:code/participation/people.xlsx", readers, func(c *gin.Context) { s.agencyPeople(c, true) })
}

type peopleResponse struct {
	Campaign   string               `json:"campaign"`
	AgencyID   *int64               `json:"agency_id"`
	AgencyName string               `json:"agency_name"`
	Rounds     []store.RosterRound  `json:"rounds"`
	People     []store.RosterPerson `json:"people"`
}

// agencyPeople answers the people of the caller's scope (participationScope: a focal point their
// own subtree, the committee any agency's with ?agency_id=, or every agency).
func (s *server) agencyPeople(c *gin.Context, xlsx bool) {
	campaign, ok := s.campaignRules(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	agencies, err := s.Store.ListAgencies(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	root, ok := participationScope(c, agencies)
	if !ok {
		return
	}
	ids := make([]int64, 0, len(agencies))
	keep := reports.Subtree(agencies, root)
	name := "Tất cả cơ quan, đơn vị"
	for _, a := range agencies {
		if root == 0 || keep[a.ID] {
			ids = append(ids, a.ID)
		}
		if a.ID == root {
			name = a.Name
		}
	}
	rounds, people, err := s.Store.AgencyRoster(ctx, campaign.ID, ids)
	if err != nil {
		fail(c, err)
		return
	}
	if people == nil {
		people = []store.RosterPerson{}
	}
	c.Header("Cache-Control", "no-store")
	if !xlsx {
		var agencyID *int64
		if root != 0 {
			agencyID = &root
		}
		c.JSON(http.StatusOK, peopleResponse{Campaign: campaign.Code, AgencyID: agencyID, AgencyName: name, Rounds: rounds, People: people})
		return
	}
	// A workbook is built in the request: the whole city's list is for the committee to
	// narrow by agency, as a focal point's subtree always is.
	if len(people) > syncReportMaxRows {
		fail(c, newError(http.StatusConflict, "report_too_large", fmt.Sprintf(
			"Danh sách có %d người, quá lớn để tải trực tiếp. Hãy chọn một cơ quan, đơn vị (tham số agency_id).", len(people))))
		return
	}
	var buf bytes.Buffer
	if err := reports.WriteXLSX(&buf, reports.RosterReport(campaign.Name, name, rounds, people), nil); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="danh-sach-tham-gia-%s.xlsx"`, campaign.Code))
	c.Data(http.StatusOK, xlsxContentType, buf.Bytes())
}
