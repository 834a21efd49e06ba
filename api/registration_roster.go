package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

func init() {
	fieldLabels["cccd"] = "Số CCCD"
	fieldLabels["contest_code"] = "Mã dự thi"
}

var (
	errCCCDRequired = &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: "cccd",
		Message: "Hội thi này yêu cầu số căn cước công dân (CCCD, 12 chữ số) khi đăng ký."}
	errCCCDInvalid = &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: "cccd",
		Message: "Số CCCD phải gồm đúng 12 chữ số, ví dụ 031085001234."}
	errContestCodeRequired = &Error{Status: http.StatusBadRequest, Code: "invalid_field", Field: "contest_code",
		Message: "Hội thi này yêu cầu mã dự thi khi đăng ký. Mã dự thi do cơ quan, đơn vị của bạn hoặc Ban Tổ chức cung cấp."}
	errContestCodeWrong = &Error{Status: http.StatusForbidden, Code: "contest_code_invalid", Field: "contest_code",
		Message: "Mã dự thi không đúng. Hãy kiểm tra lại mã do cơ quan, đơn vị của bạn hoặc Ban Tổ chức cung cấp."}
)

func init() {
	storeErrors = append([]struct {
		err error
		api *Error
	}{
		{contest.ErrDuplicateCCCD, &Error{Status: http.StatusConflict, Code: "cccd_taken", Field: "cccd",
			Message: "Số CCCD này đã được dùng để đăng ký một tài khoản khác. Mỗi người chỉ đăng ký một tài khoản."}},
		{store.ErrOnRoster, newError(http.StatusConflict, "not_awaiting_confirmation",
			"Tài khoản này có tên trong danh sách cán bộ của cơ quan (hoặc đăng ký trước khi cơ quan có danh sách), không cần xác nhận.")},
	}, storeErrors...)
}

// rosterStanding is what the roster says about a registration before it is stored.
type rosterStanding struct {
	status string
	cccd   *string
}

// checkRegistrationRoster applies the default campaign's registration rules: the CCCD
// and contest code it may require, and the agency's roster. A registration the rules
// refuse is answered here and nothing is stored.
func (s *server) checkRegistrationRoster(c *gin.Context, req registerRequest, dob time.Time) (rosterStanding, error) {
	ctx := c.Request.Context()
	settings, err := s.registrationSettings(ctx)
	if err != nil {
		return rosterStanding{}, err
	}
	var out rosterStanding
	if req.CCCD != nil && strings.TrimSpace(*req.CCCD) != "" {
		id := rules.NormalizeCCCD(*req.CCCD)
		if !rules.IsCCCD(id) {
			return out, errCCCDInvalid
		}
		out.cccd = &id
	} else if settings.RequireCCCD {
		return out, errCCCDRequired
	}
	if want := settings.RegistrationCode; want != "" {
		if req.ContestCode == nil || strings.TrimSpace(*req.ContestCode) == "" {
			return out, errContestCodeRequired
		}
		given := strings.ToUpper(strings.TrimSpace(*req.ContestCode))
		if subtle.ConstantTimeCompare([]byte(given), []byte(strings.ToUpper(want))) != 1 {
			return out, errContestCodeWrong
		}
	}
	reg := rules.Person{FullName: req.FullName, DateOfBirth: dob, Phone: rules.NormalizePhone(req.Phone)}
	if out.cccd != nil {
		reg.CCCD = *out.cccd
	}
	hasRoster, members, err := s.Store.RosterCandidates(ctx, req.AgencyID, reg.Phone)
	if err != nil {
		return out, err
	}
	onRoster := false
	for _, m := range members {
		onRoster = onRoster || rules.MatchesRoster(m, reg)
	}
	status, ok := rules.RegistrationStatus(settings.Registration, hasRoster, onRoster)
	if !ok {
		return out, notOnRoster(c, s, req.AgencyID)
	}
	out.status = status
	return out, nil
}

// registrationSettings are the default campaign's settings, or the defaults when there is
// no campaign yet: registration opens before anything else is set up.
func (s *server) registrationSettings(ctx context.Context) (rules.CampaignSettings, error) {
	campaign, err := s.Store.DefaultCampaign(ctx)
	if errors.Is(err, contest.ErrNotFound) {
		return rules.ParseSettings(nil)
	}
	if err != nil {
		return rules.CampaignSettings{}, err
	}
	return rules.ParseSettings(campaign.Settings)
}

// notOnRoster refuses a registration the agency's roster does not list, in a campaign
// that admits roster members only, and says what to check.
func notOnRoster(c *gin.Context, s *server, agencyID int64) error {
	name := "cơ quan, đơn vị đã chọn"
	if a, err := s.Store.AgencyByID(c.Request.Context(), agencyID); err == nil {
		name = a.Name
	} else if errors.Is(err, contest.ErrNotFound) {
		return contest.ErrUnknownAgency
	}
	return newError(http.StatusForbidden, "not_on_roster", fmt.Sprintf(
		"Không tìm thấy bạn trong danh sách cán bộ, công chức của %s. Hội thi này chỉ nhận đăng ký của người có tên trong danh sách cơ quan gửi Ban Tổ chức: hãy nhập họ tên, ngày sinh, số điện thoại (và số CCCD nếu có) đúng như cơ quan đã khai, hoặc liên hệ đầu mối của cơ quan.", name))
}

// registrationMessage tells a participant whose registration waits for the focal point.
func registrationMessage(status string) string {
	if status == rules.RosterPending {
		return "Đăng ký thành công. Bạn chưa có tên trong danh sách cán bộ cơ quan đã gửi, nên tài khoản chờ đầu mối của cơ quan xác nhận: trong thời gian chờ, bạn vẫn dự thi được nhưng chưa được tính cho cơ quan và chưa được xét giải."
	}
	return "Đăng ký thành công."
}

// auditPersonalDataRead records a read of personal data in full (the committee's prize
// list): who read it, when, from where and how many people it held. Reads are not audited
// otherwise, so this is written here.
func (s *server) auditPersonalDataRead(c *gin.Context, kind, format string, rows int) {
	entry := s.auditEntry(c, http.StatusOK, map[string]any{"action": "personal_data_read", "report": kind, "format": format, "rows": rows})
	if err := s.Store.AppendAudit(context.WithoutCancel(c.Request.Context()), entry); err != nil {
		slog.ErrorContext(c.Request.Context(), "audit entry lost", "entry", entry, "error", err)
	}
}
