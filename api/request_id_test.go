package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/logging"
)

func TestRequestID(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	var buf bytes.Buffer
	log := logging.New(&buf, "json", slog.LevelInfo)
	r := gin.New()
	r.Use(requestID())
	r.GET("/x", func(c *gin.Context) {
		log.ErrorContext(c.Request.Context(), "request failed")
		c.String(http.StatusOK, logging.RequestID(c.Request.Context()))
	})

	tests := []struct {
		name, in string
		keep     bool
	}{
		{"none", "", false},
		{"from proxy", "3f2c9a1e-7b7d-4c55-9a42-0d1e2f3a4b5c", true},
		{"too long", strings.Repeat("a", 65), false},
		{"space", "a b", false},
		{"newline", "a\nlevel=ERROR", false},
		{"non-ASCII", "mã-số", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			buf.Reset()
			req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/x", nil)
			if tc.in != "" {
				req.Header.Set(RequestIDHeader, tc.in)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			got := w.Header().Get(RequestIDHeader)
			if got == "" || got != w.Body.String() {
				t.Fatalf("header %q, context %q", got, w.Body.String())
			}
			if tc.keep != (got == tc.in) {
				t.Errorf("id %q from %q (keep %v)", got, tc.in, tc.keep)
			}
			if !validRequestID(got) {
				t.Errorf("generated id %q is not valid", got)
			}
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil || line["request_id"] != got {
				t.Errorf("log line %s (error %v), want request_id %q", buf.String(), err, got)
			}
		})
	}
}
