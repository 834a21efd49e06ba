package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

type registerRequest struct {
	FullName    string  `json:"full_name" validate:"required,min=2,max=100,personname"`
	DateOfBirth string  `json:"date_of_birth" validate:"required,isodate"`
	Phone       string  `json:"phone" validate:"required,vnmobile"`
	Email       *string `json:"email" validate:"omitempty,email,max=254"`
	AgencyID    int64   `json:"agency_id" validate:"required,gt=0"`
	Position    string  `json:"position" validate:"required,max=100,plaintext"`
	// Length and strength are judged by auth.CheckPasswordPolicy, which says what is wrong.
	Password string `json:"password" validate:"required,max=128"`
	// CCCD is the citizen ID number; required when the campaign says so (require_cccd).
	CCCD *string `json:"cccd" validate:"omitempty,max=20"`
	// ContestCode is the contest password or link code the campaign may require.
	ContestCode *string `json:"contest_code" validate:"omitempty,max=64"`
}

var errBadBirthDate = newError(http.StatusBadRequest, "invalid_field", "Ngày sinh không hợp lệ (người dự thi phải từ 18 đến 70 tuổi).")

func (s *server) register(c *gin.Context) {
	var req registerRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	// Stored NFC, so that one name has one byte form (rules.NormalizeName).
	req.FullName = rules.NormalizeName(req.FullName)
	dob, _ := time.Parse(time.DateOnly, req.DateOfBirth)
	if age := time.Since(dob).Hours() / 24 / 365.25; age < 18 || age > 70 {
		fail(c, errBadBirthDate)
		return
	}
	standing, err := s.checkRegistrationRoster(c, req, dob)
	if err != nil {
		fail(c, err)
		return
	}
	if err := passwordPolicy("password", req.Password, req.Phone, req.FullName); err != nil {
		fail(c, err)
		return
	}
	hash, err := auth.HashPasswordCtx(s.queued(c, rules.NormalizePhone(req.Phone)), req.Password)
	if err != nil {
		fail(c, err)
		return
	}
	id, err := s.Store.CreateUser(c.Request.Context(), store.NewUser{
		FullName:     req.FullName,
		DateOfBirth:  &dob,
		Phone:        rules.NormalizePhone(req.Phone),
		Email:        req.Email,
		AgencyID:     &req.AgencyID,
		Position:     strings.TrimSpace(req.Position),
		PasswordHash: hash,
		Role:         contest.RoleParticipant,
		CCCD:         standing.cccd,
		RosterStatus: standing.status,
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id, "roster_status": standing.status, "message": registrationMessage(standing.status)})
}

type agencyView struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category"`
	ParentID *int64 `json:"parent_id"`
}

func (s *server) listAgencies(c *gin.Context) {
	agencies, err := s.Store.ListAgencies(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]agencyView, len(agencies))
	for i, a := range agencies {
		out[i] = agencyView{ID: a.ID, Name: a.Name, Category: a.Category, ParentID: a.ParentID}
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, out)
}

// suspectedDuplicates shows the committee registrations that look like one person twice
// (same date of birth and agency, names alike by rules.NameSkeleton: a Cyrillic "а" in
// place of a Latin one does not make another person); the same phone twice is refused at
// registration.
func (s *server) suspectedDuplicates(c *gin.Context) {
	groups, err := s.Store.SuspectedDuplicates(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	if groups == nil {
		groups = []store.DuplicateGroup{}
	}
	c.JSON(http.StatusOK, groups)
}
