package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/store"
)

// ExportQueue runs report exports in the background (the asynq task queue).
type ExportQueue interface {
	EnqueueExport(ctx context.Context, exportID int64) error
}

// syncReportMaxRows is the largest report served in the request itself; a larger one is
// exported in the background.
const syncReportMaxRows = 50_000

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func init() {
	fieldLabels["headcount"] = "Biên chế"
	fieldLabels["note"] = "Ghi chú"
	fieldLabels["kind"] = "Loại báo cáo"
	fieldLabels["format"] = "Định dạng"
}

var (
	errReportNotFound  = newError(http.StatusNotFound, "report_not_found", "Không có báo cáo này. Địa chỉ có dạng …/reports/{loại}.xlsx hoặc …/reports/{loại}.json.")
	errExportNotReady  = newError(http.StatusConflict, "export_not_ready", "Báo cáo đang được tạo, chưa thể tải về.")
	errExportFailed    = newError(http.StatusConflict, "export_failed", "Không tạo được báo cáo này. Hãy tạo lại hoặc liên hệ quản trị hệ thống.")
	errExportsDisabled = newError(http.StatusServiceUnavailable, "temporarily_unavailable", "Chức năng xuất báo cáo nền đang tạm ngừng. Vui lòng thử lại sau.")
)

// participationAndReportRoutes adds participation rates, headcounts, reports and exports.
func (s *server) participationAndReportRoutes(authed *gin.RouterGroup) {
	readers := requireRole(contest.RoleCommittee, contest.RoleAdmin, contest.RoleAgency)
	staff := requireRole(contest.RoleCommittee, contest.RoleAdmin)
	authed.GET("/campaigns/:code/participation", readers, s.participation)
	authed.GET("/campaigns/:code/reports/:file", readers, s.report)
	s.peopleRoutes(authed, readers)
	authed.POST("/campaigns/:code/exports", staff, s.createExport)
	authed.GET("/exports/:id", staff, s.getExport)
	authed.GET("/exports/:id/file", staff, s.exportFile)
	authed.PUT("/agencies/:id/headcount", staff, s.correctHeadcount)
	authed.POST("/agencies/headcounts", staff, s.importHeadcounts)
	authed.GET("/agencies/:id/headcount-history", staff, s.headcountHistory)
}

// report builds a report in the request and answers it as a workbook or JSON. A focal
// point may read only the participation report, limited to their agency.
func (s *server) report(c *gin.Context) {
	campaign, ok := s.campaignRules(c)
	if !ok {
		return
	}
	kind, format, found := strings.Cut(c.Param("file"), ".")
	build, known := reports.Lookup(kind)
	if !found || !known || (format != "xlsx" && format != "json") {
		fail(c, errReportNotFound)
		return
	}
	ctx := c.Request.Context()
	var rep reports.Report
	var err error
	if u := currentUser(c); u.Role == contest.RoleAgency {
		if kind != reports.KindParticipation && kind != reports.KindParticipants {
			fail(c, errForbidden)
			return
		}
		if u.AgencyID == nil {
			fail(c, errFocalPointNoAgency)
			return
		}
		if kind == reports.KindParticipants {
			rep, err = reports.ParticipantsReport(ctx, s.Store, campaign.ID, *u.AgencyID)
		} else {
			rep, err = reports.ParticipationReport(ctx, s.Store, campaign.ID, *u.AgencyID)
		}
	} else {
		rep, err = build(ctx, s.Store, campaign.ID)
	}
	if err != nil {
		fail(c, err)
		return
	}
	if n := rep.RowCount(); n > syncReportMaxRows {
		fail(c, newError(http.StatusConflict, "report_too_large", fmt.Sprintf(
			"Báo cáo có %d dòng, quá lớn để tải trực tiếp. Hãy tạo bản xuất (POST /api/v1/campaigns/%s/exports) rồi tải về khi xong.", n, campaign.Code)))
		return
	}
	var buf bytes.Buffer
	contentType := "application/json; charset=utf-8"
	if format == "xlsx" {
		contentType = xlsxContentType
		err = reports.WriteXLSX(&buf, rep, nil)
	} else {
		err = reports.WriteJSON(&buf, rep)
	}
	if err != nil {
		fail(c, err)
		return
	}
	if kind == reports.KindPrizeWinners {
		s.auditPersonalDataRead(c, kind, format, rep.RowCount())
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.%s"`, kind, campaign.Code, format))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, buf.Bytes())
}

type exportRequest struct {
	Kind   string `json:"kind" validate:"required,max=64"`
	Format string `json:"format" validate:"required,oneof=xlsx json"`
}

type exportView struct {
	ID          int64      `json:"id"`
	Campaign    string     `json:"campaign"`
	Kind        string     `json:"kind"`
	Format      string     `json:"format"`
	Status      string     `json:"status"`
	Progress    int        `json:"progress"`
	Error       string     `json:"error,omitempty"`
	DownloadURL string     `json:"download_url,omitempty"`
	FileName    string     `json:"file_name,omitempty"`
	Size        int        `json:"size,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   *time.Time `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	StatusURL   string     `json:"status_url"`
	RequestedBy *int64     `json:"requested_by"`
}

func viewExport(e store.ExportJob) exportView {
	v := exportView{ID: e.ID, Campaign: e.CampaignCode, Kind: e.Kind, Format: e.Format, Status: e.Status, Progress: e.Progress,
		Error: e.Error, CreatedAt: e.CreatedAt, StartedAt: e.StartedAt, FinishedAt: e.FinishedAt,
		StatusURL: fmt.Sprintf("/api/v1/exports/%d", e.ID), RequestedBy: e.RequestedBy}
	if e.Status == store.ExportDone {
		v.DownloadURL, v.FileName, v.Size = fmt.Sprintf("/api/v1/exports/%d/file", e.ID), e.FileName, e.Size
	}
	return v
}

// createExport queues a report to be built in the background: 202 with its id.
func (s *server) createExport(c *gin.Context) {
	var req exportRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	campaign, ok := s.campaignRules(c)
	if !ok {
		return
	}
	if _, known := reports.Lookup(req.Kind); !known {
		fail(c, newError(http.StatusUnprocessableEntity, "unknown_report_kind",
			fmt.Sprintf("Không có loại báo cáo %q. Các loại hiện có: %s.", req.Kind, strings.Join(reports.Kinds(), ", "))))
		return
	}
	if s.Exports == nil {
		fail(c, errExportsDisabled)
		return
	}
	ctx := c.Request.Context()
	id, err := s.Store.CreateExport(ctx, campaign.ID, req.Kind, req.Format, currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	if err := s.Exports.EnqueueExport(ctx, id); err != nil {
		_ = s.Store.FailExport(context.WithoutCancel(ctx), id, "Không đưa được yêu cầu vào hàng đợi: "+err.Error(), true)
		slog.ErrorContext(ctx, "enqueue export", "export", id, "error", err)
		fail(c, errUnavailable)
		return
	}
	e, err := s.Store.ExportByID(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/api/v1/exports/%d", id))
	c.JSON(http.StatusAccepted, viewExport(e))
}

func (s *server) loadExport(c *gin.Context) (store.ExportJob, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.ExportJob{}, false
	}
	e, err := s.Store.ExportByID(c.Request.Context(), id)
	if errors.Is(err, contest.ErrNotFound) {
		fail(c, notFound("export"))
		return e, false
	}
	if err != nil {
		fail(c, err)
		return e, false
	}
	return e, true
}

// getExport answers an export's status and progress, and where to download it once done.
// An export still queued long after it was queued (its task lost with Redis) is enqueued
// again; the task id makes that a no-op when the task is still there.
func (s *server) getExport(c *gin.Context) {
	e, ok := s.loadExport(c)
	if !ok {
		return
	}
	if e.Stale && s.Exports != nil {
		ctx := c.Request.Context()
		if err := s.Exports.EnqueueExport(ctx, e.ID); err != nil {
			slog.WarnContext(ctx, "re-enqueue stale export", "export", e.ID, "error", err)
		} else if err := s.Store.TouchExport(ctx, e.ID); err != nil {
			slog.WarnContext(ctx, "touch stale export", "export", e.ID, "error", err)
		}
	}
	c.JSON(http.StatusOK, viewExport(e))
}

// exportFile downloads a finished export.
func (s *server) exportFile(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	e, file, err := s.Store.ExportFile(c.Request.Context(), id)
	switch {
	case errors.Is(err, contest.ErrNotFound):
		fail(c, notFound("export"))
		return
	case errors.Is(err, contest.ErrExportNotReady) && e.Status == store.ExportFailed:
		fail(c, errExportFailed)
		return
	case errors.Is(err, contest.ErrExportNotReady):
		fail(c, errExportNotReady)
		return
	case err != nil:
		fail(c, err)
		return
	}
	contentType := "application/json; charset=utf-8"
	if e.Format == "xlsx" {
		contentType = xlsxContentType
	}
	if e.Kind == reports.KindPrizeWinners {
		s.auditPersonalDataRead(c, e.Kind, e.Format, -1) // the stored file's row count is not kept
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, e.FileName))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, contentType, file)
}
