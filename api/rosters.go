package api

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

const maxRosterBytes = 4 << 20

var (
	errRosterForm = newError(http.StatusBadRequest, "invalid_form",
		"Cần gửi tệp danh sách cán bộ (CSV hoặc Excel .xlsx) trong trường file (multipart/form-data, tối đa 4 MB).")
	errRosterTooLarge = newError(http.StatusRequestEntityTooLarge, "file_too_large", "Tệp danh sách lớn hơn 4 MB; hãy chia thành nhiều tệp.")
)

// Outcomes of a roster line.
const (
	rosterAccepted = "accepted"
	rosterRefused  = "refused"
)

// rosterRoutes let the secretariat and focal points import staff rosters and decide on
// registrations their roster does not list.
func (s *server) rosterRoutes(authed *gin.RouterGroup) {
	importers := requireRole(contest.RoleSecretariat, contest.RoleAgency)
	authed.POST("/agencies/rosters", importers, s.importRoster)
	authed.GET("/registrations/unconfirmed", requireRole(contest.RoleAgency, contest.RoleSecretariat, contest.RoleCommittee, contest.RoleAdmin), s.unconfirmedRegistrations)
	authed.PUT("/participants/:id/roster-decision", importers, s.decideRegistration)
}

type rosterLineOutcome struct {
	Line       int                 `json:"line"`
	AgencyCode string              `json:"agency_code"`
	FullName   string              `json:"full_name"`
	Outcome    string              `json:"outcome"`
	Problems   []store.LineProblem `json:"problems,omitempty"`
}

type rosterImportAnswer struct {
	Error        *Error                      `json:"error,omitempty"`
	DryRun       bool                        `json:"dry_run"`
	Written      bool                        `json:"written"`
	SetHeadcount bool                        `json:"set_headcount"`
	Format       string                      `json:"format,omitempty"`
	Message      string                      `json:"message"`
	Summary      map[string]int              `json:"summary"`
	FileProblems []seed.Problem              `json:"file_problems"`
	Lines        []rosterLineOutcome         `json:"lines"`
	Agencies     []store.RosterAgencyOutcome `json:"agencies"`
}

// scopeOf is the set of agencies the caller may act on: every agency for the
// secretariat (nil), a focal point's own agency and those below it.
func (s *server) scopeOf(c *gin.Context) (agencies []store.Agency, scope map[int64]bool, ok bool) {
	agencies, err := s.Store.ListAgencies(c.Request.Context())
	if err != nil {
		fail(c, err)
		return nil, nil, false
	}
	u := currentUser(c)
	if u.Role != contest.RoleAgency {
		return agencies, nil, true
	}
	if u.AgencyID == nil {
		fail(c, errFocalPointNoAgency)
		return nil, nil, false
	}
	return agencies, reports.Subtree(agencies, *u.AgencyID), true
}

// importRoster reads a staff roster (agency_code, full_name, date_of_birth, phone, cccd)
// and answers for every line. All lines or none are written: each agency the file names
// gets exactly the file's members as its roster. With set_headcount=true each of those
// agencies' headcount becomes its roster's size.
func (s *server) importRoster(c *gin.Context) {
	c.Set(auditAlwaysKey, true) // a focal point's import is evidence as much as the secretariat's
	data, dryRun, ok := readImportUpload(c, maxRosterBytes, errRosterForm, errRosterTooLarge)
	if !ok {
		return
	}
	setHeadcount, err := strconv.ParseBool(c.DefaultPostForm("set_headcount", c.DefaultQuery("set_headcount", "false")))
	if err != nil {
		fail(c, &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: "set_headcount",
			Message: "set_headcount chỉ nhận true (lấy số người trong danh sách làm biên chế) hoặc false."})
		return
	}
	agencies, scope, ok := s.scopeOf(c)
	if !ok {
		return
	}
	file := seed.ParseRosterFile(data)
	answer := rosterImportAnswer{DryRun: dryRun, SetHeadcount: setHeadcount, Format: file.Format, FileProblems: []seed.Problem{},
		Lines: []rosterLineOutcome{}, Agencies: []store.RosterAgencyOutcome{}}
	for _, p := range file.Problems {
		if p.Line > 1 {
			answer.Lines = append(answer.Lines, rosterLineOutcome{Line: p.Line, Outcome: rosterRefused,
				Problems: []store.LineProblem{{Column: p.Column, Message: p.Message}}})
		} else {
			answer.FileProblems = append(answer.FileProblems, p)
		}
	}
	byCode := map[string]store.Agency{}
	for _, a := range agencies {
		byCode[a.Code] = a
	}
	in := store.RosterImport{By: currentUser(c).ID, SetHeadcount: setHeadcount}
	named := map[int64]bool{}
	for _, l := range file.Lines {
		out := rosterLineOutcome{Line: l.Line, AgencyCode: l.Row.AgencyCode, FullName: l.Row.FullName, Outcome: rosterAccepted}
		for _, p := range l.Problems {
			out.Problems = append(out.Problems, store.LineProblem{Column: p.Column, Message: p.Message})
		}
		a, known := byCode[l.Row.AgencyCode]
		switch {
		case l.Row.AgencyCode == "":
		case !known:
			out.Problems = append(out.Problems, store.LineProblem{Column: "agency_code",
				Message: fmt.Sprintf("không có cơ quan, đơn vị nào mã “%s”", l.Row.AgencyCode)})
		case scope != nil && !scope[a.ID]:
			out.Problems = append(out.Problems, store.LineProblem{Column: "agency_code",
				Message: fmt.Sprintf("%s không thuộc cơ quan của bạn; đầu mối chỉ nhập danh sách của cơ quan mình và các đơn vị trực thuộc", a.Name)})
		}
		if len(out.Problems) > 0 {
			out.Outcome = rosterRefused
		} else {
			in.Members = append(in.Members, store.RosterMember{AgencyID: a.ID, FullName: l.Row.FullName,
				DateOfBirth: l.Row.DateOfBirth, Phone: l.Row.Phone, CCCD: l.Row.CCCD})
			if !named[a.ID] {
				named[a.ID] = true
				in.AgencyIDs = append(in.AgencyIDs, a.ID)
			}
		}
		answer.Lines = append(answer.Lines, out)
	}
	sort.SliceStable(answer.Lines, func(i, j int) bool { return answer.Lines[i].Line < answer.Lines[j].Line })
	answer.Summary = map[string]int{rosterAccepted: 0, rosterRefused: 0}
	for _, l := range answer.Lines {
		answer.Summary[l.Outcome]++
	}
	refused := answer.Summary[rosterRefused] > 0 || len(answer.FileProblems) > 0 || len(answer.Lines) == 0
	switch {
	case refused:
	case dryRun:
		for _, a := range agencies {
			if named[a.ID] {
				answer.Agencies = append(answer.Agencies, store.RosterAgencyOutcome{AgencyID: a.ID, Code: a.Code, Name: a.Name,
					OldHeadcount: a.Headcount, Headcount: a.Headcount})
			}
		}
		for _, m := range in.Members {
			for i := range answer.Agencies {
				if answer.Agencies[i].AgencyID == m.AgencyID {
					answer.Agencies[i].Members++
					if setHeadcount {
						answer.Agencies[i].Headcount = answer.Agencies[i].Members
					}
				}
			}
		}
	default:
		outcome, err := s.Store.ImportRoster(c.Request.Context(), in)
		if err != nil {
			fail(c, err)
			return
		}
		answer.Agencies, answer.Written = outcome, true
	}
	answer.Message = rosterMessage(answer)
	status := http.StatusOK
	switch {
	case len(answer.FileProblems) > 0 || len(answer.Lines) == 0:
		status = http.StatusUnprocessableEntity
		answer.Error = newError(status, "invalid_roster_file", answer.Message)
	case answer.Summary[rosterRefused] > 0 && !dryRun:
		status = http.StatusUnprocessableEntity
		answer.Error = newError(status, "roster_import_refused", answer.Message)
	}
	codes := make([]string, 0, len(answer.Agencies))
	for _, a := range answer.Agencies {
		codes = append(codes, a.Code)
	}
	setAuditDetails(c, map[string]any{"action": "roster_import", "written": answer.Written, "dry_run": dryRun,
		"set_headcount": setHeadcount, "agencies": codes, "members": len(in.Members), "refused_lines": answer.Summary[rosterRefused]})
	c.JSON(status, answer)
}

func rosterMessage(a rosterImportAnswer) string {
	if len(a.FileProblems) > 0 {
		msg := "Không đọc được tệp danh sách, chưa có gì được lưu:"
		for _, p := range a.FileProblems {
			msg += " " + p.String()
		}
		return msg
	}
	if len(a.Lines) == 0 {
		return "Tệp không có dòng nào dưới dòng tiêu đề; chưa có gì được lưu."
	}
	refused := a.Summary[rosterRefused]
	switch {
	case refused > 0 && a.DryRun:
		return fmt.Sprintf("Kiểm tra trước (chưa lưu gì): %d dòng hợp lệ, %d dòng bị từ chối. Hãy sửa các dòng bị từ chối rồi nhập lại.", a.Summary[rosterAccepted], refused)
	case refused > 0:
		return fmt.Sprintf("Không nhập tệp này vì %d dòng bị từ chối; chưa có gì được lưu (%d dòng hợp lệ).", refused, a.Summary[rosterAccepted])
	case a.DryRun:
		return fmt.Sprintf("Kiểm tra trước (chưa lưu gì): %d cán bộ của %d cơ quan, đơn vị.", a.Summary[rosterAccepted], len(a.Agencies))
	}
	msg := fmt.Sprintf("Đã nhập danh sách %d cán bộ của %d cơ quan, đơn vị.", a.Summary[rosterAccepted], len(a.Agencies))
	if a.SetHeadcount {
		msg += " Biên chế của các cơ quan này được lấy theo số người trong danh sách."
	}
	pending := 0
	for _, ag := range a.Agencies {
		pending += ag.Pending
	}
	if pending > 0 {
		msg += fmt.Sprintf(" %d tài khoản đã đăng ký không có tên trong danh sách, đang chờ đầu mối xác nhận.", pending)
	}
	return msg
}

// unconfirmedView is an account waiting for (or decided by) a focal point, its personal
// data masked (Decree 13/2023/NĐ-CP): the focal point recognises a colleague by name,
// phone and year of birth.
type unconfirmedView struct {
	store.RosterAccount
	DateOfBirth string `json:"date_of_birth"`
	CCCD        string `json:"cccd"`
}

func maskedAccount(a store.RosterAccount) unconfirmedView {
	return unconfirmedView{RosterAccount: a, DateOfBirth: rules.MaskBirthDate(a.DateOfBirth), CCCD: rules.MaskCCCD(a.CCCD)}
}

// unconfirmedRegistrations lists the registrations the roster does not list, in the
// caller's agencies: pending first.
func (s *server) unconfirmedRegistrations(c *gin.Context) {
	_, scope, ok := s.scopeOf(c)
	if !ok {
		return
	}
	var ids []int64
	if scope != nil {
		ids = make([]int64, 0, len(scope))
		for id := range scope {
			ids = append(ids, id)
		}
	}
	accounts, err := s.Store.UnconfirmedRegistrations(c.Request.Context(), ids)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]unconfirmedView, len(accounts))
	for i, a := range accounts {
		out[i] = maskedAccount(a)
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"rows": out})
}

type rosterDecisionRequest struct {
	Decision string `json:"decision" validate:"required,oneof=confirmed rejected"`
}

// decideRegistration confirms (the account then counts for the agency and may win) or
// rejects a registration the roster does not list. Always audited.
func (s *server) decideRegistration(c *gin.Context) {
	c.Set(auditAlwaysKey, true)
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req rosterDecisionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	_, scope, ok := s.scopeOf(c)
	if !ok {
		return
	}
	acc, err := s.Store.RosterAccountByID(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	if scope != nil && !scope[acc.AgencyID] {
		fail(c, newError(http.StatusForbidden, "forbidden", "Đầu mối chỉ xác nhận tài khoản của cơ quan, đơn vị mình và các đơn vị trực thuộc."))
		return
	}
	decided, err := s.Store.DecideRegistration(c.Request.Context(), id, req.Decision, currentUser(c).ID)
	setAuditDetails(c, map[string]any{"action": "roster_decision", "participant_id": id, "agency_id": acc.AgencyID,
		"from": acc.RosterStatus, "to": req.Decision})
	if err != nil {
		fail(c, err)
		return
	}
	msg := "Đã xác nhận: tài khoản được tính cho cơ quan và được xét giải."
	if req.Decision == rules.RosterRejected {
		msg = "Đã từ chối: tài khoản không được tính cho cơ quan và không được xét giải."
	}
	c.JSON(http.StatusOK, gin.H{"account": maskedAccount(decided), "message": msg})
}
