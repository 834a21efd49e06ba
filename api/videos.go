package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/campaigns"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/standings"
	"github.com/hpcontest/contest/internal/store"
)

// videoRoutes are the video contest's endpoints: entries, jury scores and results.
func (s *server) videoRoutes(staff *gin.RouterGroup) {
	all := requireRole(contest.RoleCommittee, contest.RoleSecretariat, contest.RoleJury, contest.RoleAdmin)
	staff.POST("/videos", requireRole(contest.RoleSecretariat, contest.RoleCommittee), s.recordVideo)
	staff.PATCH("/videos/:id", requireRole(contest.RoleSecretariat, contest.RoleCommittee), s.correctVideo)
	staff.GET("/jury/progress", all, s.juryProgress)
	staff.GET("/videos", all, s.listVideos)
	staff.GET("/videos/:id/file", all, s.videoFile)
	staff.GET("/jury/criteria", all, s.juryCriteria)
	staff.POST("/videos/:id/scores", requireRole(contest.RoleJury), s.scoreVideo)
	staff.GET("/jury/scores", requireRole(contest.RoleJury, contest.RoleCommittee, contest.RoleAdmin), s.juryScores)
	staff.GET("/video-results", requireRole(contest.RoleCommittee, contest.RoleJury, contest.RoleAdmin), s.videoResults)
	staff.GET("/collective-results", requireRole(contest.RoleCommittee, contest.RoleAdmin), s.collectiveResults)
}

var (
	videoFormats   = map[string]bool{"commentary_graphics": true, "report": true, "sketch": true, "other": true}
	videoFileTypes = map[string]bool{".mp4": true, ".mov": true, ".avi": true, ".mkv": true, ".wmv": true, ".webm": true, ".mpg": true, ".mpeg": true}
	errVideoLate   = newError(http.StatusUnprocessableEntity, "video_late", "Video clip được nhận sau hạn nộp nên không được ghi nhận.")
	errVideoLong   = newError(http.StatusUnprocessableEntity, "video_too_long", "Video clip dài quá thời lượng cho phép (tối đa %s).")
	errVideoNoLen  = newError(http.StatusBadRequest, "invalid_field", "Thời lượng không hợp lệ (nhập phút:giây, ví dụ 6:45).")
	errVideoFile   = newError(http.StatusUnsupportedMediaType, "unsupported_file", "Chỉ nhận tệp video (mp4, mov, avi, mkv, wmv, webm, mpg).")
	errVideoSize   = newError(http.StatusRequestEntityTooLarge, "file_too_large", "Tệp video vượt quá dung lượng cho phép.")
	errScored      = newError(http.StatusConflict, "already_scored", "Bạn đã chấm video này; mỗi giám khảo chỉ chấm một lần.")
	errJuryClosed  = newError(http.StatusConflict, "jury_closed", "Việc chấm video đã kết thúc.")
	errScoreRange  = newError(http.StatusUnprocessableEntity, "score_out_of_range", "Điểm chấm không hợp lệ: %s.")
	errResultsHeld = newError(http.StatusConflict, "results_not_open", "Kết quả thi video clip và giải tập thể chỉ được xem sau khi kết thúc việc chấm.")
)

// campaignWithSettings loads the campaign of the path and its rules.
func (s *server) campaignWithSettings(c *gin.Context) (store.CampaignView, rules.CampaignSettings, bool) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return v, rules.CampaignSettings{}, false
	}
	plan, err := s.Store.LoadCampaignPlan(c.Request.Context(), v.ID)
	if err == nil {
		var settings rules.CampaignSettings
		if settings, err = rules.ParseSettings(plan.Settings); err == nil {
			return v, settings, true
		}
	}
	fail(c, err)
	return v, rules.CampaignSettings{}, false
}

// parseDuration reads "m:ss" or a number of seconds.
func parseDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if m, sec, ok := strings.Cut(v, ":"); ok {
		mi, err1 := strconv.Atoi(m)
		si, err2 := strconv.Atoi(sec)
		if err1 != nil || err2 != nil || mi < 0 || si < 0 || si > 59 || len(sec) != 2 {
			return 0, false
		}
		return time.Duration(mi)*time.Minute + time.Duration(si)*time.Second, true
	}
	n, err := strconv.Atoi(v)
	return time.Duration(n) * time.Second, err == nil && n >= 0
}

// parseReceived reads a date (the day the USB arrived, in the campaign's time zone) or an
// RFC 3339 time.
func parseReceived(v, tz string) (time.Time, bool) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	if t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), loc); err == nil {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
	return t, err == nil
}

func (s *server) recordVideo(c *gin.Context) {
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	extendDeadlines(c, longTransfer)
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.VideoMaxBytes+64<<10)
	if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(c, errVideoSize)
			return
		}
		fail(c, newError(http.StatusBadRequest, "invalid_form", "Dữ liệu gửi lên phải là biểu mẫu multipart/form-data."))
		return
	}
	defer func() { _ = c.Request.MultipartForm.RemoveAll() }()
	form := func(k string) string { return strings.TrimSpace(c.Request.FormValue(k)) }
	agencyID, err := strconv.ParseInt(form("agency_id"), 10, 64)
	if err != nil || agencyID <= 0 {
		fail(c, newError(http.StatusBadRequest, "invalid_field", "Cần chọn cơ quan, đơn vị."))
		return
	}
	duration, ok := parseDuration(form("duration"))
	if !ok {
		fail(c, errVideoNoLen)
		return
	}
	received, ok := parseReceived(form("received_on"), videoDateZone)
	if !ok {
		fail(c, errReceivedDate)
		return
	}
	fields := store.VideoCorrection{AgencyID: agencyID, Title: form("title"), Author: form("author"), Format: form("format"),
		DurationSeconds: int(duration / time.Second), ReceivedAt: received}
	// A receipt date is judged against the database's clock, the one every rule uses.
	now, err := s.Store.Now(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	if err := checkVideoEntry(fields, settings, now); err != nil {
		fail(c, err)
		return
	}
	entry := store.NewVideoEntry{CampaignID: v.ID, AgencyID: agencyID, Title: fields.Title, Author: fields.Author, Format: fields.Format,
		DurationSeconds: fields.DurationSeconds, ReceivedAt: received, RecordedBy: currentUser(c).ID}
	if fh, err := c.FormFile("file"); err == nil {
		if err := s.storeVideoFile(fh, v.ID, &entry); err != nil {
			fail(c, err)
			return
		}
	}
	id, err := s.Store.CreateVideoEntry(c.Request.Context(), entry)
	if err != nil {
		if entry.FilePath != "" {
			_ = os.Remove(entry.FilePath)
		}
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": id, "file_sha256": entry.FileSHA256, "file_size": entry.FileSize})
}

// storeVideoFile copies an upload into the video directory under a random name (the
// client's name is kept for display only, never used as a path) and checksums it.
func (s *server) storeVideoFile(fh *multipart.FileHeader, campaignID int64, e *store.NewVideoEntry) error {
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	if !videoFileTypes[ext] {
		return errVideoFile
	}
	if fh.Size > s.VideoMaxBytes {
		return errVideoSize
	}
	src, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer src.Close()
	dir := filepath.Join(s.VideoDir, strconv.FormatInt(campaignID, 10))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create video directory: %w", err)
	}
	name := make([]byte, 16)
	_, _ = rand.Read(name)
	path := filepath.Join(dir, hex.EncodeToString(name)+ext)
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("create video file: %w", err)
	}
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(dst, sum), io.LimitReader(src, s.VideoMaxBytes+1))
	if closeErr := dst.Close(); err == nil {
		err = closeErr
	}
	if err == nil && n > s.VideoMaxBytes {
		err = errVideoSize
	}
	if err != nil {
		_ = os.Remove(path)
		return err
	}
	display := filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if !utf8.ValidString(display) || len(display) > 255 {
		display = "video" + ext
	}
	e.FileName, e.FilePath, e.FileSize, e.FileSHA256 = display, path, n, hex.EncodeToString(sum.Sum(nil))
	return nil
}

func (s *server) listVideos(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	viewer := int64(0)
	if currentUser(c).Role == contest.RoleJury {
		viewer = currentUser(c).ID
	}
	entries, err := s.Store.VideoEntries(c.Request.Context(), v.ID, viewer)
	if err != nil {
		fail(c, err)
		return
	}
	if entries == nil {
		entries = []store.VideoEntry{}
	}
	c.JSON(http.StatusOK, entries)
}

func (s *server) videoFile(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	auditRead(c, map[string]any{"read": "video_file", "campaign": v.Code, "video_entry": id})
	e, err := s.Store.VideoEntry(c.Request.Context(), v.ID, id)
	if errors.Is(err, contest.ErrNotFound) || (err == nil && e.FilePath == "") {
		fail(c, notFound("video_file"))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := os.Stat(e.FilePath); err != nil {
		slog.ErrorContext(c.Request.Context(), "recorded video file missing", "entry_id", e.ID, "path", e.FilePath, "error", err)
		fail(c, notFound("video_file"))
		return
	}
	extendDeadlines(c, longTransfer)
	if err := serveVideo(c, e.FilePath, e.FileName); err != nil {
		fail(c, err)
	}
}

func (s *server) juryCriteria(c *gin.Context) {
	_, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, settings.VideoCriteria)
}

type scoreRequest struct {
	// Points are numbers, or strings as typed with a decimal comma (see scorePoints).
	Points  map[string]json.RawMessage `json:"points" validate:"required,min=1,max=50"`
	Comment string                     `json:"comment" validate:"max=2000"`
}

// scoreVideo stores a juror's score sheet. When it completes the jury's work (every juror,
// every clip) the jury stage is closed on the campaign workflow.
func (s *server) scoreVideo(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req scoreRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	points, err := scorePoints(req.Points, settings.VideoCriteria)
	if err != nil {
		fail(c, err)
		return
	}
	total, err := rules.WeightedTotal(settings.VideoCriteria, points)
	if err != nil {
		fail(c, newError(errScoreRange.Status, errScoreRange.Code, fmt.Sprintf(errScoreRange.Message, err.Error())))
		return
	}
	ctx := c.Request.Context()
	err = s.Store.SaveScore(ctx, v.ID, id, currentUser(c).ID, points, total, req.Comment)
	switch {
	case errors.Is(err, contest.ErrAlreadyScored):
		fail(c, errScored)
		return
	case errors.Is(err, contest.ErrJuryClosed):
		fail(c, errJuryClosed)
		return
	case errors.Is(err, contest.ErrNotFound):
		fail(c, notFound("video"))
		return
	case err != nil:
		fail(c, err)
		return
	}
	if jurors, clips, sheets, err := s.Store.JuryProgress(ctx, v.ID); err == nil && sheets >= jurors*clips && s.Campaigns != nil {
		_, err := s.Campaigns.Decide(ctx, v.ID, 0, contest.Decision{Kind: contest.DecisionCloseJury, Outcome: contest.OutcomeDone,
			ActorRole: "system", Comment: "Tất cả giám khảo đã chấm tất cả video clip."})
		if err != nil && !errors.Is(err, campaigns.ErrStageConflict) {
			slog.WarnContext(ctx, "close jury after the last score", "campaign", v.Code, "error", err)
		}
	}
	c.JSON(http.StatusCreated, gin.H{"entry_id": id, "total": total})
}

func (s *server) juryScores(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	juror := int64(0)
	if currentUser(c).Role == contest.RoleJury {
		// Until the jury closes, a juror sees only their own sheets.
		closed, err := s.Store.JuryClosed(c.Request.Context(), v.ID)
		if err != nil {
			fail(c, err)
			return
		}
		if !closed {
			juror = currentUser(c).ID
		}
	}
	scores, err := s.Store.Scores(c.Request.Context(), v.ID, juror)
	if err != nil {
		fail(c, err)
		return
	}
	if scores == nil {
		scores = []store.JurorScore{}
	}
	c.JSON(http.StatusOK, scores)
}

func (s *server) videoResults(c *gin.Context) {
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	res, err := standings.VideoStandings(c.Request.Context(), s.Store, v.ID, settings)
	if err != nil {
		fail(c, err)
		return
	}
	// Before the close nobody, the committee included, reads a ranking or a prize: the
	// completeness of the jury's work is at /jury/progress.
	if !res.Closed {
		fail(c, errResultsHeld)
		return
	}
	c.JSON(http.StatusOK, videoResultsView{Video: res, StatusLabel: resultStatusLabels[res.Status]})
}

// resultStatusLabels say whether video and collective results are provisional.
var resultStatusLabels = map[string]string{
	standings.StatusScoring:     "Đang chấm",
	standings.StatusProvisional: "Kết quả tạm thời — chờ Ban Tổ chức phê duyệt",
	standings.StatusFinal:       "Kết quả chính thức",
}

type videoResultsView struct {
	standings.Video
	StatusLabel string `json:"status_label"`
}

func (s *server) juryProgress(c *gin.Context) {
	v, ok := s.loadCampaign(c)
	if !ok {
		return
	}
	p, err := standings.JuryCompleteness(c.Request.Context(), s.Store, v.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *server) collectiveResults(c *gin.Context) {
	v, settings, ok := s.campaignWithSettings(c)
	if !ok {
		return
	}
	rows, status, err := standings.CollectiveStandings(c.Request.Context(), s.Store, v.ID, settings)
	if err != nil {
		fail(c, err)
		return
	}
	if status == standings.StatusScoring {
		fail(c, errResultsHeld)
		return
	}
	c.JSON(http.StatusOK, gin.H{"top_by_video": settings.CollectiveTopByVideo, "rows": rows, "status": status,
		"provisional": status == standings.StatusProvisional, "status_label": resultStatusLabels[status]})
}
