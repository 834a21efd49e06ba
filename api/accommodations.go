package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// maxExtraMinutes bounds one grant of extra time (the table's check says the same).
const maxExtraMinutes = 120

type accommodationRequest struct {
	Phone        string `json:"phone"`
	ExtraMinutes int    `json:"extra_minutes"`
	ExtraAttempt bool   `json:"extra_attempt"`
	Reason       string `json:"reason"`
}

func fieldError(field, message string) *Error {
	e := newError(http.StatusBadRequest, "invalid_field", message)
	e.Field = field
	return e
}

// check refuses, in the committee's words, a grant that would change nothing or could not
// be justified later: the reason is what the audit is for.
func (r *accommodationRequest) check() *Error {
	r.Phone = rules.NormalizePhone(r.Phone)
	r.Reason = strings.TrimSpace(r.Reason)
	switch {
	case !rules.IsVietnameseMobile(r.Phone):
		return fieldError("phone", "Số điện thoại của người dự thi không đúng (cần số di động Việt Nam, ví dụ 0912345678).")
	case r.Reason == "":
		return fieldError("reason", "Cần ghi rõ lý do điều chỉnh cho người dự thi: lý do được lưu lại cùng người cấp và thời điểm cấp.")
	case utf8.RuneCountInString(r.Reason) > 1000 || !isPlainText(r.Reason):
		return fieldError("reason", "Lý do dài tối đa 1.000 ký tự và không được chứa ký tự < > hoặc ký tự điều khiển.")
	case r.ExtraMinutes < 0 || r.ExtraMinutes > maxExtraMinutes:
		return fieldError("extra_minutes", "Thời gian cộng thêm phải từ 0 đến 120 phút.")
	case r.ExtraMinutes == 0 && !r.ExtraAttempt:
		return fieldError("extra_minutes", "Hãy chọn cộng thêm thời gian (số phút) hoặc cấp thêm một lượt thi.")
	}
	return nil
}

var errNoSuchParticipant = newError(http.StatusNotFound, "participant_not_found", "Không tìm thấy người dự thi có số điện thoại này.")

// grantAccommodation records extra minutes or one extra attempt for a participant in a
// round. The audit middleware records the request; the row itself keeps who, when and why.
func (s *server) grantAccommodation(c *gin.Context) {
	roundID, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req accommodationRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if e := req.check(); e != nil {
		fail(c, e)
		return
	}
	setAuditDetails(c, map[string]any{"round_id": roundID, "phone": req.Phone, "extra_minutes": req.ExtraMinutes,
		"extra_attempt": req.ExtraAttempt, "reason": req.Reason})
	a, err := s.Store.GrantAccommodation(c.Request.Context(), store.AccommodationGrant{RoundID: roundID, Phone: req.Phone,
		ExtraMinutes: req.ExtraMinutes, ExtraAttempt: req.ExtraAttempt, Reason: req.Reason, GrantedBy: currentUser(c).ID})
	switch {
	case errors.Is(err, contest.ErrNotFound):
		// The round was checked first: a missing row past it is the participant.
		if _, rerr := s.Store.RoundByID(c.Request.Context(), roundID); errors.Is(rerr, contest.ErrNotFound) {
			fail(c, notFound("round"))
			return
		}
		fail(c, errNoSuchParticipant)
		return
	case err != nil:
		fail(c, err)
		return
	}
	for _, m := range a.Moved {
		// The grant is committed and the row's deadline is what the answers and the close
		// obey; the exam's timer only follows it, so a failure here is logged, not answered.
		if err := s.Exams.MoveDeadline(c.Request.Context(), m.AttemptID, m.Deadline); err != nil {
			slog.WarnContext(c.Request.Context(), "exam not told of its moved deadline", "attempt_id", m.AttemptID, "error", err)
		}
	}
	c.JSON(http.StatusCreated, a)
}

func (s *server) listAccommodations(c *gin.Context) {
	roundID, ok := pathID(c, "id")
	if !ok {
		return
	}
	if _, err := s.Store.RoundByID(c.Request.Context(), roundID); err != nil {
		if errors.Is(err, contest.ErrNotFound) {
			err = notFound("round")
		}
		fail(c, err)
		return
	}
	list, err := s.Store.Accommodations(c.Request.Context(), roundID)
	if err != nil {
		fail(c, err)
		return
	}
	if list == nil {
		list = []store.Accommodation{}
	}
	c.JSON(http.StatusOK, list)
}
