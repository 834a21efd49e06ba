package api

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/httpenc"
)

// compressMinBytes is the size under which an answer goes out as it is: below about one
// TCP packet gzip saves no round trip and costs a header and CPU.
const compressMinBytes = 1024

// compressibleTypes are the media types worth compressing: text and JSON. Video, images
// and .xlsx (a zip) are compressed already; gzip would only cost CPU on them.
var compressibleTypes = map[string]bool{
	"application/json": true, "application/problem+json": true, "text/html": true, "text/css": true,
	"text/javascript": true, "application/javascript": true, "text/plain": true, "text/csv": true,
	"image/svg+xml": true, "application/xml": true, "text/xml": true,
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return w
}}

// compress gzips text and JSON answers of compressMinBytes or more for clients that accept
// it, and says Vary: Accept-Encoding on every answer whose form depends on it. It leaves
// alone what is encoded already (the pages' precompressed assets, web.serve), a range
// answer or request (the bytes of a range are the identity form's: RFC 9110 §14), HEAD,
// and every media type outside compressibleTypes (video clips, workbooks).
func compress() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Method == http.MethodHead || c.Request.Header.Get("Range") != "" {
			c.Next()
			return
		}
		orig := c.Writer
		w := &gzipWriter{ResponseWriter: orig, accepts: httpenc.AcceptsGzip(c.Request.Header.Get("Accept-Encoding"))}
		c.Writer = w
		defer func() {
			c.Writer = orig
			if r := recover(); r != nil {
				panic(r) // the recovery middleware answers on the original writer
			}
			w.finish()
		}()
		c.Next()
	}
}

// gzipWriter holds back the first compressMinBytes of an answer, then decides from its
// headers whether to compress it.
type gzipWriter struct {
	gin.ResponseWriter
	accepts bool
	decided bool
	gz      *gzip.Writer // non-nil once compressing
	buf     bytes.Buffer
	wrote   bool
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.wrote = true
	if w.decided {
		if w.gz != nil {
			return w.gz.Write(b)
		}
		return w.ResponseWriter.Write(b)
	}
	w.buf.Write(b)
	if w.buf.Len() >= compressMinBytes {
		if err := w.decide(true); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// Written is true once the handler wrote, even while the bytes are held back, so nobody
// writes a second answer after them.
func (w *gzipWriter) Written() bool { return w.wrote || w.ResponseWriter.Written() }

func (w *gzipWriter) Flush() {
	if !w.decided {
		_ = w.decide(w.buf.Len() >= compressMinBytes)
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if !w.decided {
		_ = w.decide(false)
	}
	return w.ResponseWriter.Hijack()
}

// compressible says whether this answer's form depends on Accept-Encoding.
func (w *gzipWriter) compressible() bool {
	h := w.Header()
	if h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" {
		return false
	}
	status := w.Status()
	if status == http.StatusPartialContent || status == http.StatusNoContent || status < 200 {
		return false
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return compressibleTypes[mt]
}

// decide starts the answer: compressed when big enough and wanted, else as it is.
func (w *gzipWriter) decide(big bool) error {
	w.decided = true
	h := w.Header()
	if w.compressible() {
		httpenc.AddVary(h, "Accept-Encoding")
		if big && w.accepts {
			h.Set("Content-Encoding", "gzip")
			h.Del("Content-Length")
			// The compressed bytes are another representation: a strong validator of the
			// identity bytes must not name them (RFC 9110 §8.8.3). publicJSON compares
			// If-None-Match weakly, so a cached copy still gets its 304.
			if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
				h.Set("ETag", "W/"+etag)
			}
			w.gz = gzipWriters.Get().(*gzip.Writer)
			w.gz.Reset(w.ResponseWriter)
		}
	} else if w.Status() == http.StatusNotModified && h.Get("ETag") != "" {
		httpenc.AddVary(h, "Accept-Encoding")
	}
	if w.buf.Len() == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(w.buf.Bytes())
	} else {
		_, err = w.ResponseWriter.Write(w.buf.Bytes())
	}
	w.buf.Reset()
	return err
}

func (w *gzipWriter) finish() {
	if !w.decided {
		_ = w.decide(false)
	}
	if w.gz != nil {
		_ = w.gz.Close()
		w.gz.Reset(io.Discard)
		gzipWriters.Put(w.gz)
		w.gz = nil
	}
}
