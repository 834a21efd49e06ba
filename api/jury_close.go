package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/standings"
)

var errOverrideComment = newError(http.StatusBadRequest, "comment_required",
	"Kết thúc việc chấm khi còn thiếu phiếu chấm cần ghi rõ lý do vào ô ghi chú.")

// missingSheet is one sheet a juror has not sent, as the audit log keeps it.
type missingSheet struct {
	EntryID int64  `json:"entry_id"`
	Title   string `json:"title"`
	JurorID int64  `json:"juror_id"`
	Juror   string `json:"juror"`
}

// gateJuryClose lets the committee close jury scoring only when every clip has a sheet
// from every juror, or when it overrides with a written reason: the override, its comment
// and every missing sheet then go to the audit log. It answers the refusal itself and
// says whether the close may go on.
func (s *server) gateJuryClose(c *gin.Context, campaignID int64, req *decisionRequest) bool {
	p, err := standings.JuryCompleteness(c.Request.Context(), s.Store, campaignID)
	if err != nil {
		fail(c, err)
		return false
	}
	if p.Complete {
		return true
	}
	if !req.Override {
		msg := fmt.Sprintf("Chưa thể kết thúc việc chấm: còn thiếu %d phiếu chấm (đã nhận %d/%d phiếu). "+
			"Hãy chờ giám khảo chấm đủ, hoặc Ban Tổ chức kết thúc có ghi rõ lý do.", p.Missing, p.Received, p.Expected)
		if len(p.Jurors) == 0 {
			msg = fmt.Sprintf("Chưa thể kết thúc việc chấm: chưa có giám khảo nào để chấm %d video clip.", len(p.Clips))
		}
		fail(c, newError(http.StatusConflict, "jury_incomplete", msg))
		return false
	}
	req.Comment = strings.TrimSpace(req.Comment)
	if req.Comment == "" {
		fail(c, errOverrideComment)
		return false
	}
	missing := []missingSheet{}
	for _, clip := range p.Clips {
		for i, juror := range clip.MissingJurors {
			missing = append(missing, missingSheet{EntryID: clip.EntryID, Title: clip.Title, JurorID: juror, Juror: clip.MissingJurorNames[i]})
		}
	}
	setAuditDetails(c, map[string]any{"action": "close_jury_override", "comment": req.Comment,
		"expected_sheets": p.Expected, "received_sheets": p.Received, "missing_sheets": p.Missing, "missing": missing})
	// The decision record carries the override too, so the campaign's history shows it.
	req.Comment = fmt.Sprintf("Kết thúc khi còn thiếu %d/%d phiếu chấm. Lý do: %s", p.Missing, p.Expected, req.Comment)
	return true
}
