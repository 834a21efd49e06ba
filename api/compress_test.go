package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestCompressMiddleware(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	big := strings.Repeat(`{"name":"UBND phường An Biên"},`, 100)
	r := gin.New()
	r.Use(compress())
	r.GET("/big", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", []byte(big)) })
	r.GET("/small", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) })
	r.GET("/video", func(c *gin.Context) { c.Data(http.StatusOK, "video/mp4", []byte(big)) })
	r.GET("/tagged", func(c *gin.Context) {
		c.Header("ETag", `"abc"`)
		if c.GetHeader("If-None-Match") != "" {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, "application/json", []byte(big))
	})
	r.GET("/panic", func(c *gin.Context) { panic("boom") })

	get := func(path string, headers ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	tests := []struct {
		name, path  string
		headers     []string
		wantGzip    bool
		wantVary    bool
		wantStatus  int
		wantETag    string
		wantBodyRaw string // checked when not compressed
	}{
		{"big JSON, gzip accepted", "/big", []string{"Accept-Encoding", "gzip"}, true, true, 200, "", ""},
		{"big JSON, no Accept-Encoding", "/big", nil, false, true, 200, "", big},
		{"big JSON, gzip refused", "/big", []string{"Accept-Encoding", "gzip;q=0, br"}, false, true, 200, "", big},
		{"big JSON, a range asked", "/big", []string{"Accept-Encoding", "gzip", "Range", "bytes=0-9"}, false, false, 200, "", big},
		{"small JSON", "/small", []string{"Accept-Encoding", "gzip"}, false, true, 200, "", `{"ok":true}`},
		{"video", "/video", []string{"Accept-Encoding", "gzip"}, false, false, 200, "", big},
		{"strong ETag weakened when compressed", "/tagged", []string{"Accept-Encoding", "gzip"}, true, true, 200, `W/"abc"`, ""},
		{"304 varies too", "/tagged", []string{"Accept-Encoding", "gzip", "If-None-Match", `W/"abc"`}, false, true, 304, `"abc"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(tt.path, tt.headers...)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d", w.Code)
			}
			if got := w.Header().Get("Content-Encoding") == "gzip"; got != tt.wantGzip {
				t.Fatalf("gzip %v, headers %v", got, w.Header())
			}
			if got := strings.Contains(w.Header().Get("Vary"), "Accept-Encoding"); got != tt.wantVary {
				t.Fatalf("Vary %q", w.Header().Get("Vary"))
			}
			if tt.wantETag != "" && w.Header().Get("ETag") != tt.wantETag {
				t.Fatalf("ETag %q, want %q", w.Header().Get("ETag"), tt.wantETag)
			}
			if tt.wantGzip {
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(zr)
				if string(b) != big {
					t.Fatalf("decompressed %d bytes", len(b))
				}
			} else if tt.wantBodyRaw != "" && !bytes.Equal(w.Body.Bytes(), []byte(tt.wantBodyRaw)) {
				t.Fatalf("body %q", w.Body.String())
			}
		})
	}
	t.Run("a panic reaches the recovery middleware", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic was swallowed")
			}
		}()
		get("/panic", "Accept-Encoding", "gzip")
	})
}
