package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/hpcontest/contest"
	"github.com/jackc/pgx/v5/pgconn"
)

// What a database outage looks like to a handler is a 503 the client may retry, with a
// Retry-After; what the database refuses, and every other error, keeps its own answer.
func TestFailMapsLostDatabaseConnectionsTo503(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	wrap := func(err error) error { return fmt.Errorf("save answer: %w", err) }
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: &net.AddrError{Err: "connection refused", Addr: "127.0.0.1:5432"}}
	connectErr := func() error {
		// A real connect error, from a port nothing listens on.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().(*net.TCPAddr)
		l.Close()
		_, err = pgconn.Connect(context.Background(), fmt.Sprintf("postgres://x@127.0.0.1:%d/x?sslmode=disable&connect_timeout=2", addr.Port))
		if err == nil {
			t.Fatal("connected to a closed port")
		}
		return err
	}()
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"connect error", wrap(connectErr), 503, "service_unavailable"},
		{"admin shutdown 57P01", wrap(&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}), 503, "service_unavailable"},
		{"crash shutdown 57P02", wrap(&pgconn.PgError{Code: "57P02"}), 503, "service_unavailable"},
		{"starting up 57P03", wrap(&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}), 503, "service_unavailable"},
		{"connection failure 08006", wrap(&pgconn.PgError{Code: "08006"}), 503, "service_unavailable"},
		{"too many connections 53300", wrap(&pgconn.PgError{Code: "53300"}), 503, "service_unavailable"},
		{"net error", wrap(opErr), 503, "service_unavailable"},
		{"connection reset", wrap(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), 503, "service_unavailable"},
		{"unexpected EOF", wrap(fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF)), 503, "service_unavailable"},
		{"conn closed", wrap(pgconn.ErrConnClosed), 503, "service_unavailable"},
		{"pool acquire timeout", wrap(context.DeadlineExceeded), 503, "service_unavailable"},
		{"pool closed", wrap(errors.New("closed pool")), 503, "service_unavailable"},
		{"unique violation stays 500", wrap(&pgconn.PgError{Code: "23505"}), 500, "internal_error"},
		{"syntax error stays 500", wrap(&pgconn.PgError{Code: "42601"}), 500, "internal_error"},
		{"plain error stays 500", errors.New("boom"), 500, "internal_error"},
		{"domain error keeps its answer", wrap(contest.ErrAttemptClosed), 409, "attempt_closed"},
		{"api error keeps its answer", errUnauthorized, 401, "unauthorized"},
		{"busy keeps its code", errUnavailable, 503, "temporarily_unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodPut, "/api/v1/attempts/1/answers/1", nil)
			fail(c, tc.err)
			var body struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body, err)
			}
			if w.Code != tc.status || body.Error.Code != tc.code || body.Error.Message == "" {
				t.Fatalf("%v: %d %s, want %d %s", tc.err, w.Code, w.Body, tc.status, tc.code)
			}
			if retry := w.Header().Get("Retry-After"); (tc.status == 503) != (retry != "") {
				t.Fatalf("Retry-After %q with status %d", retry, w.Code)
			}
		})
	}
}

// A request whose client hung up mid-way is not a server failure: no JSON, no 5xx.
func TestFailAnswers499WhenTheClientIsGone(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/", nil).WithContext(ctx)
	fail(c, fmt.Errorf("hash password: %w", context.Canceled))
	if w.Code != statusClientClosed {
		t.Fatalf("status %d, want %d", w.Code, statusClientClosed)
	}

	// The same error while the client is still there is an internal error.
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodPost, "/", nil)
	fail(c, fmt.Errorf("hash password: %w", context.Canceled))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
}
