package api

import (
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/gin-gonic/gin"
)

// videoContentTypes name each accepted clip type for the browser's <video> element; Go's
// built-in table knows none of them, and a video served as application/octet-stream with
// "attachment" plays in no page.
var videoContentTypes = map[string]string{
	".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm", ".mkv": "video/x-matroska",
	".avi": "video/x-msvideo", ".wmv": "video/x-ms-wmv", ".mpg": "video/mpeg", ".mpeg": "video/mpeg",
}

// serveVideo answers a stored clip inline, so a <video src> in the jury's page plays it, or
// as a download with ?download=1. http.ServeContent answers Range (206 with Content-Range,
// 416 outside the file) and If-Range, so the player seeks without fetching the whole clip;
// the response is never compressed (see compress.go: a clip is compressed already, and a
// range of a compressed stream would not be the bytes asked for).
func serveVideo(c *gin.Context, path, displayName string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	h := c.Writer.Header()
	ct := videoContentTypes[strings.ToLower(filepath.Ext(path))]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	disposition := "inline"
	if c.Query("download") == "1" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": displayName}))
	// A clip is private to the jury and the staff: no shared cache may keep it.
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(c.Writer, c.Request, "", info.ModTime(), f)
	return nil
}
