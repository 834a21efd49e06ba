package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

var (
	errReceivedFuture = newError(http.StatusBadRequest, "received_in_future", "Ngày nhận %s chưa đến: không thể ghi nhận video clip nhận vào một ngày sau hôm nay.")
	errReceivedEarly  = newError(http.StatusBadRequest, "received_before_open", "Ngày nhận %s sớm hơn ngày mở phần thi video clip (%s): hãy kiểm tra lại ngày nhận.")
	errTitle          = newError(http.StatusBadRequest, "invalid_field", "Tên video clip không hợp lệ (1–300 ký tự).")
	errAuthor         = newError(http.StatusBadRequest, "invalid_field", "Tác giả, nhóm thực hiện không hợp lệ (tối đa 200 ký tự).")
	errFormat         = newError(http.StatusBadRequest, "invalid_field", "Hình thức video không hợp lệ.")
	errReceivedDate   = newError(http.StatusBadRequest, "invalid_field", "Ngày nhận không hợp lệ (định dạng YYYY-MM-DD).")
	errNoCorrection   = newError(http.StatusBadRequest, "invalid_request", "Cần ít nhất một thông tin để sửa (tên, tác giả, cơ quan, hình thức, thời lượng hoặc ngày nhận).")
	errCorrectClosed  = newError(http.StatusConflict, "jury_closed", "Việc chấm video đã kết thúc nên không thể sửa thông tin video clip.")
	videoDateZone     = "Asia/Ho_Chi_Minh"
)

func formatDay(t time.Time) string {
	loc, err := time.LoadLocation(videoDateZone)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("02/01/2006")
}

// checkVideoEntry applies every rule a recorded clip must meet, whether it is being
// recorded or corrected: a title, a known format, a length within the limit, and a receipt
// date that is neither later than now (the database's clock) nor before the video contest
// opened, nor on or after the deadline.
func checkVideoEntry(e store.VideoCorrection, settings rules.CampaignSettings, now time.Time) error {
	switch {
	case e.Title == "" || utf8.RuneCountInString(e.Title) > 300 || !utf8.ValidString(e.Title):
		return errTitle
	case utf8.RuneCountInString(e.Author) > 200 || !utf8.ValidString(e.Author) || !isPlainText(e.Author):
		return errAuthor
	case !videoFormats[e.Format]:
		return errFormat
	}
	switch rules.VideoReceiptCheck(e.ReceivedAt, now, settings.VideoOpensAt) {
	case "video_received_in_future":
		return newError(errReceivedFuture.Status, errReceivedFuture.Code, fmt.Sprintf(errReceivedFuture.Message, formatDay(e.ReceivedAt)))
	case "video_received_before_open":
		return newError(errReceivedEarly.Status, errReceivedEarly.Code, fmt.Sprintf(errReceivedEarly.Message, formatDay(e.ReceivedAt), formatDay(settings.VideoOpensAt)))
	}
	maxLen := time.Duration(settings.VideoMaxSeconds) * time.Second
	switch rules.VideoEntryCheck(e.ReceivedAt, settings.VideoDeadline, time.Duration(e.DurationSeconds)*time.Second, maxLen) {
	case "video_late":
		return errVideoLate
	case "video_too_long":
		return newError(errVideoLong.Status, errVideoLong.Code, fmt.Sprintf(errVideoLong.Message, fmt.Sprintf("%d:%02d", settings.VideoMaxSeconds/60, settings.VideoMaxSeconds%60)))
	case "video_duration_invalid":
		return errVideoNoLen
	}
	return nil
}

type videoCorrectionRequest struct {
	AgencyID   *int64  `json:"agency_id" validate:"omitempty,min=1"`
	Title      *string `json:"title"`
	Author     *string `json:"author"`
	Format     *string `json:"format"`
	Duration   *string `json:"duration"`
	ReceivedOn *string `json:"received_on"`
	Reason     string  `json:"reason" validate:"max=2000,plaintext"`
}

// apply merges the fields the clerk sent into the clip as recorded.
func (r videoCorrectionRequest) apply(e store.VideoCorrection) (store.VideoCorrection, error) {
	if r.AgencyID != nil {
		e.AgencyID = *r.AgencyID
	}
	if r.Title != nil {
		e.Title = strings.TrimSpace(*r.Title)
	}
	if r.Author != nil {
		e.Author = strings.TrimSpace(*r.Author)
	}
	if r.Format != nil {
		e.Format = strings.TrimSpace(*r.Format)
	}
	if r.Duration != nil {
		d, ok := parseDuration(*r.Duration)
		if !ok {
			return e, errVideoNoLen
		}
		e.DurationSeconds = int(d / time.Second)
	}
	if r.ReceivedOn != nil {
		t, ok := parseReceived(*r.ReceivedOn, videoDateZone)
		if !ok {
			return e, errReceivedDate
		}
		e.ReceivedAt = t
	}
	return e, nil
}

// correctVideo lets the secretariat (or the committee) correct a clip's record while jury
// scoring is open. The before, the after and who did it go to the audit log with the
// change, in its transaction.
func (s *server) correctVideo(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req videoCorrectionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.AgencyID == nil && req.Title == nil && req.Author == nil && req.Format == nil && req.Duration == nil && req.ReceivedOn == nil {
		fail(c, errNoCorrection)
		return
	}
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	var before store.VideoCorrection
	after, err := s.Store.CorrectVideoEntry(c.Request.Context(), v.ID, id, s.auditEntry(c, http.StatusOK, nil), req.Reason,
		func(was store.VideoCorrection, now time.Time) (store.VideoCorrection, error) {
			before = was
			next, err := req.apply(was)
			if err != nil {
				return next, err
			}
			return next, checkVideoEntry(next, settings, now)
		})
	switch {
	case errors.Is(err, contest.ErrJuryClosed):
		fail(c, errCorrectClosed)
		return
	case errors.Is(err, contest.ErrNotFound):
		fail(c, notFound("video"))
		return
	case err != nil:
		fail(c, err)
		return
	}
	c.Set(auditedKey, true)
	c.JSON(http.StatusOK, gin.H{"id": id, "before": before, "after": after})
}
