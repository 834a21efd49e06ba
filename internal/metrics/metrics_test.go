package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestMiddlewareLabelsRouteNotRawPath(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.Use(Middleware())
	r.GET("/api/v1/attempts/:id", func(c *gin.Context) {
		AnswerSaved()
		AnswerRefused()
		AttemptStarted()
		AttemptSubmitted("auto_submitted")
		AttemptSubmitted("abandoned") // not a mode: not counted
		c.Status(http.StatusTeapot)
	})
	r.GET("/metrics", gin.WrapH(Handler()))

	for _, path := range []string{"/api/v1/attempts/987654321", "/no/such/route-123456789"} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest("BREW", "/api/v1/attempts/1", nil))

	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`contest_http_request_duration_seconds_count{method="GET",route="/api/v1/attempts/:id",status="4xx"} 1`,
		`contest_http_request_duration_seconds_count{method="GET",route="unmatched",status="4xx"} 1`,
		`route="unmatched",status="4xx"`,
		`method="other"`,
		`contest_attempts_started_total 1`,
		`contest_attempts_submitted_total{mode="auto_submitted"} 1`,
		`contest_attempts_submitted_total{mode="submitted"} 0`,
		`contest_answer_saves_total{outcome="refused"} 1`,
		`contest_answer_saves_total{outcome="saved"} 1`,
		`go_goroutines`,
		`process_`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, raw := range []string{"987654321", "route-123456789", "BREW", `mode="abandoned"`} {
		if strings.Contains(text, raw) {
			t.Errorf("/metrics contains %q (raw path or unbounded label)", raw)
		}
	}
}

func TestStatusClass(t *testing.T) {
	for code, want := range map[int]string{200: "2xx", 204: "2xx", 301: "3xx", 409: "4xx", 503: "5xx", 0: "other", 600: "other"} {
		if got := StatusClass(code); got != want {
			t.Errorf("StatusClass(%d) = %q, want %q", code, got, want)
		}
	}
}
