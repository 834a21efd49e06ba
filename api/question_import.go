package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/store"
)

const maxQuestionImportBytes = 2 << 20

var (
	errImportForm = newError(http.StatusBadRequest, "invalid_form",
		"Cần gửi tệp câu hỏi (CSV hoặc Excel .xlsx) trong trường file (multipart/form-data, tối đa 2 MB).")
	errImportTooLarge = newError(http.StatusRequestEntityTooLarge, "file_too_large", "Tệp câu hỏi lớn hơn 2 MB; hãy chia thành nhiều tệp.")
)

// importAnswer is the import's answer, line by line; the same for a dry run as for an
// import, except that a dry run never writes.
type importAnswer struct {
	Error        *Error              `json:"error,omitempty"`
	DryRun       bool                `json:"dry_run"`
	Written      bool                `json:"written"`
	Format       string              `json:"format,omitempty"`
	Message      string              `json:"message"`
	Summary      map[string]int      `json:"summary"`
	FileProblems []seed.Problem      `json:"file_problems"`
	Lines        []store.LineOutcome `json:"lines"`
	SetsRevised  []store.SetRevision `json:"sets_revised"`
}

// importQuestions reads a question bank (comma or semicolon CSV, or .xlsx) and answers for
// every line: created, updated, unchanged or refused with its reasons. All lines or none
// are written; with dry_run nothing is. A change to a set the committee has been sent or
// has approved makes a new revision of the set, and the campaign's workflow is told.
func (s *server) importQuestions(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	data, dryRun, ok := readImportUpload(c, maxQuestionImportBytes, errImportForm, errImportTooLarge)
	if !ok {
		return
	}
	file := seed.ParseQuestionFile(data)
	answer := importAnswer{DryRun: dryRun, Format: file.Format, FileProblems: []seed.Problem{},
		Lines: []store.LineOutcome{}, SetsRevised: []store.SetRevision{}}
	// Problems with a line of their own (a stray quote) are refused lines; the others
	// (the header, the encoding) are about the file, and no line is read past them.
	for _, p := range file.Problems {
		if p.Line > 1 {
			answer.Lines = append(answer.Lines, refusedLine(p.Line, "", []seed.Problem{p}))
		} else {
			answer.FileProblems = append(answer.FileProblems, p)
		}
	}
	in := store.QuestionImport{CampaignID: v.ID, ChangedBy: currentUser(c).ID, Source: store.ChangeByImport, DryRun: dryRun}
	for _, l := range file.Lines {
		if len(l.Problems) > 0 {
			answer.Lines = append(answer.Lines, refusedLine(l.Line, l.Row.Code, l.Problems))
			continue
		}
		in.Lines = append(in.Lines, store.ImportLine{Line: l.Line, Question: l.Row})
	}
	in.WriteNothing = len(answer.Lines) > 0 || len(answer.FileProblems) > 0
	if len(answer.FileProblems) == 0 && len(in.Lines) > 0 {
		report, err := s.Store.ImportQuestionLines(c.Request.Context(), in)
		if err != nil {
			fail(c, err)
			return
		}
		answer.Lines = append(answer.Lines, report.Lines...)
		answer.SetsRevised, answer.Written = report.SetsRevised, report.Written
	}
	sort.SliceStable(answer.Lines, func(i, j int) bool { return answer.Lines[i].Line < answer.Lines[j].Line })
	answer.Summary = map[string]int{store.ImportCreated: 0, store.ImportUpdated: 0, store.ImportUnchanged: 0, store.ImportRefused: 0}
	for _, l := range answer.Lines {
		answer.Summary[l.Outcome]++
	}
	if answer.Written {
		s.announceSetRevisions(c, v.ID, answer.SetsRevised)
	}
	status := http.StatusOK
	answer.Message = importMessage(answer)
	switch {
	case len(answer.FileProblems) > 0 || (len(answer.Lines) == 0 && !dryRun):
		status = http.StatusUnprocessableEntity
		answer.Error = newError(status, "invalid_question_file", answer.Message)
	case answer.Summary[store.ImportRefused] > 0 && !dryRun:
		status = http.StatusUnprocessableEntity
		answer.Error = newError(status, "question_import_refused", answer.Message)
	}
	c.JSON(status, answer)
}

func dryRunFlag(c *gin.Context) (bool, bool) {
	raw := c.Query("dry_run")
	if raw == "" {
		raw = c.PostForm("dry_run")
	}
	if raw == "" {
		return false, true
	}
	b, err := strconv.ParseBool(raw)
	return b, err == nil
}

func refusedLine(line int, code string, problems []seed.Problem) store.LineOutcome {
	out := store.LineOutcome{Line: line, Code: code, Outcome: store.ImportRefused}
	for _, p := range problems {
		out.Problems = append(out.Problems, store.LineProblem{Column: p.Column, Message: p.Message})
	}
	return out
}

// importMessage sums the answer up in a sentence for the page's status line.
func importMessage(a importAnswer) string {
	if len(a.FileProblems) > 0 {
		msg := "Không đọc được tệp câu hỏi, chưa có gì được lưu:"
		for _, p := range a.FileProblems {
			msg += " " + p.String()
		}
		return msg
	}
	if len(a.Lines) == 0 {
		return "Tệp không có dòng câu hỏi nào dưới dòng tiêu đề; chưa có gì được lưu."
	}
	counts := fmt.Sprintf("%d dòng tạo mới, %d dòng cập nhật, %d dòng không đổi, %d dòng bị từ chối",
		a.Summary[store.ImportCreated], a.Summary[store.ImportUpdated], a.Summary[store.ImportUnchanged], a.Summary[store.ImportRefused])
	switch {
	case a.DryRun && a.Summary[store.ImportRefused] > 0:
		return "Kiểm tra trước (chưa lưu gì): " + counts + ". Hãy sửa các dòng bị từ chối rồi nhập lại."
	case a.DryRun:
		return "Kiểm tra trước (chưa lưu gì): " + counts + "."
	case a.Summary[store.ImportRefused] > 0:
		return fmt.Sprintf("Không nhập tệp này vì %d dòng bị từ chối; chưa có gì được lưu (%s).", a.Summary[store.ImportRefused], counts)
	}
	msg := "Đã nhập: " + counts + "."
	for _, r := range a.SetsRevised {
		msg += fmt.Sprintf(" Bộ câu hỏi tuần %d chuyển sang phiên bản %d, chờ Ban Tổ chức phê duyệt lại.", r.Round, r.Revision)
	}
	return msg
}

// announceSetRevisions tells the campaign's workflow about each set sent back to the
// committee. The database already holds the new status, so a failure here is logged and
// mended when the committee next decides on that set (resendSetRevision).
func (s *server) announceSetRevisions(c *gin.Context, campaignID int64, revised []store.SetRevision) {
	for _, r := range revised {
		if err := s.Campaigns.SetRevised(c.Request.Context(), campaignID, contest.SetRevision{Round: r.Round, Revision: r.Revision}); err != nil {
			slog.WarnContext(c.Request.Context(), "question set revision not told to the campaign workflow",
				"campaign_id", campaignID, "round", r.Round, "revision", r.Revision, "error", err)
		}
	}
}

// resendSetRevision repeats, before a committee decision on a set, that the set has a new
// revision, in case telling the workflow failed after the import.
func (s *server) resendSetRevision(c *gin.Context, v store.CampaignView, req decisionRequest) {
	if req.Kind != contest.DecisionQuestionSet {
		return
	}
	for _, r := range v.Rounds {
		if r.Number == req.Round && r.QuestionSetStatus == "ready" && r.QuestionSetRevision > 1 {
			s.announceSetRevisions(c, v.ID, []store.SetRevision{{Round: r.Number, Revision: r.QuestionSetRevision}})
		}
	}
}

// reviewedRevision refuses a decision on a question set taken on a revision other than the
// current one (an import changed the set while the committee was reading it).
func reviewedRevision(v store.CampaignView, req decisionRequest) error {
	if req.QuestionSetRevision == 0 || (req.Kind != contest.DecisionQuestionSet && req.Kind != contest.DecisionQuestionSetReady) {
		return nil
	}
	for _, r := range v.Rounds {
		if r.Number == req.Round && r.QuestionSetRevision != req.QuestionSetRevision {
			return newError(http.StatusConflict, "question_set_revised", fmt.Sprintf(
				"Bộ câu hỏi tuần %d đã có phiên bản %d, khác phiên bản %d đang xem; hãy xem lại bộ câu hỏi trước khi quyết định.",
				r.Number, r.QuestionSetRevision, req.QuestionSetRevision))
		}
	}
	return nil
}
