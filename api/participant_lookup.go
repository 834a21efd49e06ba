package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
)

var errLookupPhone = &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: "phone",
	Message: "Số điện thoại chưa đúng. Cần số di động Việt Nam gồm 10 chữ số, ví dụ 0912345678."}

type participantLookup struct {
	ID         int64  `json:"id"`
	FullName   string `json:"full_name"`
	Phone      string `json:"phone"`
	AgencyName string `json:"agency_name"`
}

// lookupParticipant finds a participant by the phone they log in with (GET
// /participants?phone=), so that the secretariat can reset the password of someone who
// calls in: the name and agency are what it checks with the caller before the reset. Every
// lookup is audited: it reads whose number this is.
func (s *server) lookupParticipant(c *gin.Context) {
	phone := rules.NormalizePhone(c.Query("phone"))
	auditRead(c, map[string]any{"action": "participant_lookup"})
	if !rules.IsVietnameseMobile(phone) {
		fail(c, errLookupPhone)
		return
	}
	ctx := c.Request.Context()
	creds, err := s.Store.CredentialsByPhone(ctx, phone)
	if err == nil && creds.Role != contest.RoleParticipant {
		err = contest.ErrNotFound // staff accounts are not reset here
	}
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("participant"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	owner, err := s.Store.PasswordOwner(ctx, creds.UserID)
	if err != nil {
		fail(c, err)
		return
	}
	out := participantLookup{ID: owner.UserID, FullName: owner.FullName, Phone: owner.Phone}
	if owner.AgencyID != nil {
		a, err := s.Store.AgencyByID(ctx, *owner.AgencyID)
		if err != nil && !errors.Is(err, contest.ErrNotFound) {
			fail(c, err)
			return
		}
		out.AgencyName = a.Name
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}
