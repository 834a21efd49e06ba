package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/store"
)

// maxHeadcountFileBytes bounds a headcount import file; the multipart envelope may add a little.
const maxHeadcountFileBytes = 2 << 20

var (
	errParticipationQuery    = newError(http.StatusBadRequest, "invalid_query", "Tham số truy vấn không hợp lệ.")
	errFocalPointNoAgency    = newError(http.StatusForbidden, "forbidden", "Tài khoản đầu mối chưa được gắn với cơ quan, đơn vị nào.")
	errFocalPointOtherAgency = newError(http.StatusForbidden, "forbidden", "Đầu mối chỉ được xem số liệu của cơ quan, đơn vị mình và các đơn vị trực thuộc.")
	errHeadcountFileRequired = newError(http.StatusBadRequest, "file_required", "Cần gửi tệp .csv hoặc .xlsx trong trường file (multipart/form-data).")
	errHeadcountFileTooLarge = newError(http.StatusRequestEntityTooLarge, "file_too_large", "Tệp quá lớn (tối đa 2 MiB).")
	errHeadcountNote         = newError(http.StatusBadRequest, "invalid_field", "Ghi chú không hợp lệ (tối đa 500 ký tự).")
)

// participationResponse is one campaign's participation, per round or over the contest.
type participationResponse struct {
	Campaign string                     `json:"campaign"`
	Round    *int                       `json:"round"`
	AgencyID *int64                     `json:"agency_id"`
	Rows     []reports.ParticipationRow `json:"rows"`
}

// participationScope decides which agencies the caller sees: committee and admin every
// agency (or the subtree of ?agency_id=), a focal point their own agency and those below
// it, and a 403 for anything else. root is 0 for every agency.
func participationScope(c *gin.Context, agencies []store.Agency) (root int64, ok bool) {
	u := currentUser(c)
	if raw, present := c.GetQuery("agency_id"); present {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			fail(c, errParticipationQuery)
			return 0, false
		}
		root = id
	}
	if u.Role == contest.RoleAgency {
		if u.AgencyID == nil {
			fail(c, errFocalPointNoAgency)
			return 0, false
		}
		if root == 0 {
			root = *u.AgencyID
		}
		if !reports.Subtree(agencies, *u.AgencyID)[root] {
			fail(c, errFocalPointOtherAgency)
			return 0, false
		}
		return root, true
	}
	if root != 0 && len(reports.Subtree(agencies, root)) == 0 {
		fail(c, notFound("agency"))
		return 0, false
	}
	return root, true
}

// participation answers each agency's participation rate against its target, for one
// round (?round=N) or the whole contest.
func (s *server) participation(c *gin.Context) {
	campaign, ok := s.campaignRules(c)
	if !ok {
		return
	}
	var round *int
	if raw, present := c.GetQuery("round"); present {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			fail(c, errParticipationQuery)
			return
		}
		round = &n
	}
	t, err := reports.LoadParticipation(c.Request.Context(), s.Store, campaign.ID)
	if err != nil {
		fail(c, err)
		return
	}
	root, ok := participationScope(c, t.Agencies)
	if !ok {
		return
	}
	rows := t.Overall
	if round != nil {
		if rows, ok = t.ByRound[*round]; !ok {
			fail(c, notFound("round"))
			return
		}
	}
	var keep map[int64]bool
	var agencyID *int64
	if root != 0 {
		keep, agencyID = reports.Subtree(t.Agencies, root), &root
	}
	c.JSON(http.StatusOK, participationResponse{Campaign: campaign.Code, Round: round, AgencyID: agencyID,
		Rows: reports.FilterRows(rows, keep)})
}

func (s *server) campaignRules(c *gin.Context) (store.Campaign, bool) {
	campaign, err := s.Store.CampaignByCodeShort(c.Request.Context(), c.Param("code"))
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("campaign"))
		return campaign, false
	}
	if err != nil {
		fail(c, err)
		return campaign, false
	}
	return campaign, true
}

type headcountRequest struct {
	Headcount *int   `json:"headcount" validate:"required,min=0,max=1000000"`
	Note      string `json:"note" validate:"max=500"`
}

// correctHeadcount sets one agency's headcount (clearing its sample mark) and records the
// change in its history.
func (s *server) correctHeadcount(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req headcountRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	a, change, err := s.Store.CorrectHeadcount(c.Request.Context(), id, *req.Headcount, currentUser(c).ID, req.Note)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("agency"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"agency": a, "changed": change != nil, "change": change})
}

// importHeadcounts applies a CSV or .xlsx file of code,headcount lines, all or nothing.
func (s *server) importHeadcounts(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxHeadcountFileBytes+64<<10)
	fh, err := c.FormFile("file")
	if err != nil {
		var sizeErr *http.MaxBytesError
		if errors.As(err, &sizeErr) {
			fail(c, errHeadcountFileTooLarge)
			return
		}
		fail(c, errHeadcountFileRequired)
		return
	}
	if fh.Size > maxHeadcountFileBytes {
		fail(c, errHeadcountFileTooLarge)
		return
	}
	note := c.PostForm("note")
	if len([]rune(note)) > 500 {
		fail(c, errHeadcountNote)
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, errHeadcountFileRequired)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxHeadcountFileBytes+1))
	if err != nil {
		fail(c, err)
		return
	}
	rows, err := reports.ParseHeadcounts(fh.Filename, data)
	var importErr *reports.ImportError
	if errors.As(err, &importErr) {
		fail(c, headcountImportError(importErr))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	sum, err := s.Store.ImportHeadcounts(c.Request.Context(), rows, currentUser(c).ID, note)
	var unknown *store.UnknownAgencyCodeError
	if errors.As(err, &unknown) {
		fail(c, newError(http.StatusUnprocessableEntity, "invalid_import_row",
			fmt.Sprintf("Dòng %d: không có cơ quan, đơn vị nào mã %q. Không có số liệu nào được cập nhật.", unknown.Line, unknown.Code)))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

func headcountImportError(e *reports.ImportError) *Error {
	if e.Unreadable {
		return newError(http.StatusBadRequest, "invalid_file", e.Message)
	}
	msg := e.Error() + " Không có số liệu nào được cập nhật."
	if e.Line == 0 {
		return newError(http.StatusUnprocessableEntity, "invalid_import", msg)
	}
	return newError(http.StatusUnprocessableEntity, "invalid_import_row", msg)
}

// headcountHistory answers an agency and every change of its headcount, newest first.
func (s *server) headcountHistory(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, changes, err := s.Store.HeadcountHistory(c.Request.Context(), id)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("agency"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if changes == nil {
		changes = []store.HeadcountChange{}
	}
	c.JSON(http.StatusOK, gin.H{"agency": a, "changes": changes})
}
