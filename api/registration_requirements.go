package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/rules"
)

// registrationRequirements tells the register page which fields the campaign asks for.
// It says that a contest code is required, never what it is: the code is the agencies' to
// hand out.
type registrationRequirements struct {
	CCCDRequired        bool `json:"cccd_required"`
	ContestCodeRequired bool `json:"contest_code_required"`
	// RosterOnly: only people on their agency's staff roster may register.
	RosterOnly bool `json:"roster_only"`
}

// registrationRequirementsOf is a pure function of the settings so that what the page is
// told and what registration checks (checkRegistrationRoster) read the same fields.
func registrationRequirementsOf(st rules.CampaignSettings) registrationRequirements {
	return registrationRequirements{CCCDRequired: st.RequireCCCD, ContestCodeRequired: st.RegistrationCode != "",
		RosterOnly: st.Registration == rules.RegistrationRosterOnly}
}

// getRegistrationRequirements answers GET /registration/requirements, never from a cache:
// once a campaign starts asking for the CCCD no page may still hide the field.
func (s *server) getRegistrationRequirements(c *gin.Context) {
	st, err := s.registrationSettings(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, registrationRequirementsOf(st))
}
