package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/store"
)

// Progress milestones of an export: building the report reads the database, rendering
// writes the file (it reports per sheet and per reports.ProgressEvery rows).
const (
	exportProgressStarted  = 5
	exportProgressBuilt    = 30
	exportProgressRendered = 95
)

// RunExport builds a queued export: it marks it running, builds the report, renders it
// (moving the progress as sheets and rows are written) and stores the file, marking the
// export done. A duplicate delivery of a finished or failed export does nothing; an error
// is retried by asynq and recorded, and the last try marks the export failed.
func (h *Handlers) RunExport(ctx context.Context, t *asynq.Task) error {
	var p ExportPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("%w: %v", asynq.SkipRetry, err)
	}
	job, claimed, err := h.Store.ClaimExport(ctx, p.ExportID)
	if errors.Is(err, contest.ErrNotFound) {
		return fmt.Errorf("%w: export %d: %v", asynq.SkipRetry, p.ExportID, err)
	}
	if err != nil {
		return err
	}
	if !claimed {
		return nil
	}
	build, ok := reports.Lookup(job.Kind)
	if !ok {
		return h.failExport(ctx, job, fmt.Errorf("không có loại báo cáo %q", job.Kind), true)
	}
	progress := exportProgress{ctx: ctx, store: h.Store, id: job.ID}
	progress.set(exportProgressStarted)
	report, err := build(ctx, h.Store, job.CampaignID)
	if err != nil {
		return h.failExport(ctx, job, err, false)
	}
	progress.set(exportProgressBuilt)
	var buf bytes.Buffer
	switch job.Format {
	case "xlsx":
		err = reports.WriteXLSX(&buf, report, func(done, total int) {
			progress.set(exportProgressBuilt + (exportProgressRendered-exportProgressBuilt)*done/max(total, 1))
		})
	case "json":
		err = reports.WriteJSON(&buf, report)
	default:
		return h.failExport(ctx, job, fmt.Errorf("không hỗ trợ định dạng %q", job.Format), true)
	}
	if err != nil {
		return h.failExport(ctx, job, err, false)
	}
	progress.set(exportProgressRendered)
	name := fmt.Sprintf("%s-%s-%s.%s", job.Kind, job.CampaignCode, time.Now().Format("20060102-150405"), job.Format)
	if err := h.Store.FinishExport(ctx, job.ID, name, buf.Bytes()); err != nil {
		return err
	}
	return nil
}

// failExport records the error; the export fails for good on its last try (or when
// permanent), otherwise asynq retries it.
func (h *Handlers) failExport(ctx context.Context, job store.ExportJob, cause error, permanent bool) error {
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	final := permanent || !ok || retried >= maxRetry
	msg := "Không tạo được báo cáo: " + cause.Error()
	if err := h.Store.FailExport(context.WithoutCancel(ctx), job.ID, msg, final); err != nil {
		slog.ErrorContext(ctx, "record export failure", "export", job.ID, "error", err)
	}
	if final {
		return fmt.Errorf("%w: export %d: %v", asynq.SkipRetry, job.ID, cause)
	}
	return fmt.Errorf("export %d: %w", job.ID, cause)
}

// exportProgress writes an export's progress when it moves by a whole percent.
type exportProgress struct {
	ctx   context.Context
	store *store.Store
	id    int64
	last  int
}

func (p *exportProgress) set(percent int) {
	if percent <= p.last {
		return
	}
	p.last = percent
	if err := p.store.SetExportProgress(p.ctx, p.id, percent); err != nil {
		slog.WarnContext(p.ctx, "record export progress", "export", p.id, "error", err)
	}
}
