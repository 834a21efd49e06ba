package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/store"
)

// Error is the one error shape every endpoint answers with:
// {"error":{"code":"...","message":"..."}}. Code is stable English, Message readable Vietnamese.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Field names the request field the message is about, when it is about one, so a page
	// can show it beside that field.
	Field string `json:"field,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

var (
	errUnauthorized   = newError(http.StatusUnauthorized, "unauthorized", "Bạn cần đăng nhập để tiếp tục.")
	errForbidden      = newError(http.StatusForbidden, "forbidden", "Tài khoản của bạn không có quyền thực hiện thao tác này.")
	errNotParticipant = newError(http.StatusForbidden, "not_a_participant", "Thành viên Ban Tổ chức, Tổ Thư ký, Ban Giám khảo và bộ phận giúp việc không được tham gia dự thi.")
	errRehearsalOnly  = newError(http.StatusForbidden, "rehearsal_only", "Vòng thi này thuộc một buổi diễn tập, chỉ dành cho cán bộ tổ chức hội thi và các tài khoản được Ban Tổ chức chỉ định thử nghiệm. Bạn không thể làm bài hay xem kết quả, đáp án của vòng thi này.")
	errBadCredentials = newError(http.StatusUnauthorized, "invalid_credentials", "Số điện thoại hoặc mật khẩu không đúng.")
	errInternal       = newError(http.StatusInternalServerError, "internal_error", "Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.")
	errUnavailable    = newError(http.StatusServiceUnavailable, "temporarily_unavailable", "Hệ thống đang bận. Vui lòng thử lại sau giây lát.")
	errStoreDown      = newError(http.StatusServiceUnavailable, "service_unavailable", "Hệ thống tạm thời mất kết nối tới cơ sở dữ liệu. Vui lòng thử lại sau giây lát.")
	errBusy           = newError(http.StatusServiceUnavailable, "busy", "Hệ thống đang bận, vui lòng thử lại sau giây lát.")
	errRouteNotFound  = newError(http.StatusNotFound, "not_found", "Không tìm thấy địa chỉ yêu cầu.")
	errMethod         = newError(http.StatusMethodNotAllowed, "method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này.")
)

// storeErrors maps the store's (and the password pool's) domain errors to answers. Each entry is the one place a
// domain error's status and wording are decided.
var storeErrors = []struct {
	err error
	api *Error
}{
	{contest.ErrDuplicatePhone, newError(http.StatusConflict, "phone_taken", "Số điện thoại này đã được đăng ký.")},
	{contest.ErrUnknownAgency, newError(http.StatusUnprocessableEntity, "unknown_agency", "Cơ quan, đơn vị không có trong danh sách.")},
	{contest.ErrRoundNotOpen, newError(http.StatusConflict, "round_closed", "Tuần thi này hiện không mở.")},
	{contest.ErrAttemptInProgress, newError(http.StatusConflict, "attempt_in_progress", "Bạn đang có một bài thi chưa nộp. Hãy hoàn thành bài thi đó trước.")},
	{contest.ErrAttemptLimit, newError(http.StatusConflict, "attempt_limit_reached", "Bạn đã dùng hết số lượt thi của tuần thi này.")},
	{contest.ErrAttemptClosed, newError(http.StatusConflict, "attempt_closed", "Bài thi đã kết thúc, không thể thay đổi câu trả lời.")},
	{contest.ErrQuestionOutOfRange, newError(http.StatusBadRequest, "invalid_question_no", "Số thứ tự câu hỏi không có trong bài thi.")},
	{contest.ErrNotParticipant, errNotParticipant},
	{contest.ErrRehearsalOnly, errRehearsalOnly},
	{contest.ErrTesterAccount, newError(http.StatusForbidden, "tester_account", "Tài khoản này đang được đánh dấu thử nghiệm cho buổi diễn tập nên không được dự thi chính thức. Vui lòng liên hệ Ban Tổ chức.")},
	{store.ErrPracticeRound, newError(http.StatusNotFound, "practice_not_ranked", "Thi thử chỉ để làm quen: bài thi thử không được xếp hạng, không có kết quả công bố và không được tính vào số lượt tham gia.")},
	{store.ErrExtraAttemptGranted, newError(http.StatusConflict, "extra_attempt_already_granted", "Người dự thi này đã được cấp thêm một lượt thi trong tuần thi này; mỗi tuần thi chỉ được cấp thêm một lượt.")},
	{auth.ErrBusy, errBusy},
	{contest.ErrNotFound, newError(http.StatusNotFound, "not_found", "Không tìm thấy dữ liệu yêu cầu.")},
}

// fail answers with the error's JSON shape and logs it once, here at the edge.
func fail(c *gin.Context, err error) {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		apiErr = errInternal
		for _, m := range storeErrors {
			if errors.Is(err, m.err) {
				apiErr = m.api
				break
			}
		}
		if storage := storageFailure(err); apiErr == errInternal && storage != nil {
			apiErr = storage
		} else if apiErr == errInternal && connectionLost(err) {
			apiErr = errStoreDown
		}
	}
	if apiErr == errBusy {
		// The hashing pool knows how large the crowd is and how fast it drains.
		c.Header("Retry-After", strconv.Itoa(int(auth.DefaultPool().RetryAfter()/time.Second)))
		handBackRetryTicket(c)
	}
	if apiErr.Status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfterSeconds)
	}
	if apiErr == errInternal && clientGone(c, err) {
		// Nobody is left to read an answer, and nothing failed on our side.
		c.AbortWithStatus(statusClientClosed)
		return
	}
	logFailure(c, apiErr, err)
	c.AbortWithStatusJSON(apiErr.Status, gin.H{"error": apiErr})
}

// statusClientClosed is nginx's code for a request whose client went away before the
// answer; it keeps such requests out of the 5xx counts and the error log.
const statusClientClosed = 499

func clientGone(c *gin.Context, err error) bool {
	return errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil
}

// logFailure logs a 5xx once. Shedding load (busy) is the server working as designed, so
// it is a warning; anything else is an error someone must look at.
func logFailure(c *gin.Context, apiErr *Error, err error) {
	if apiErr.Status < 500 {
		return
	}
	level := slog.LevelError
	if apiErr == errBusy {
		// A full hashing queue is the front door working as designed, thousands of times in
		// a rush: counted by the pool's gauges and the request metrics, not a line each.
		level = slog.LevelDebug
	}
	slog.Log(c.Request.Context(), level, "request failed", "method", c.Request.Method,
		"route", c.FullPath(), "code", apiErr.Code, "error", err)
}

func notFound(what string) *Error {
	return newError(http.StatusNotFound, what+"_not_found", "Không tìm thấy dữ liệu yêu cầu.")
}

// retryAfterSeconds is what a 503 asks the client to wait: a database restart or failover
// takes seconds, and the quiz page retries an unsaved answer by itself.
const retryAfterSeconds = "2"

// connectionLost reports whether err says the database could not be reached or dropped the
// connection (restart, failover, network), as opposed to refusing the statement: the
// request did not happen or its outcome is unknown, and trying again shortly is the answer.
func connectionLost(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot
		// connect now (starting up, in recovery); 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr),
		pgconn.SafeToRetry(err), pgconn.Timeout(err),
		errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// pgxpool returns puddle's ErrClosedPool ("closed pool") while the process shuts down;
	// puddle is not a direct dependency, so it is recognised by its text.
	return strings.HasSuffix(err.Error(), "closed pool")
}
