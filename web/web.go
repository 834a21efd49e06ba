// Package web is the front end of participants and staff: static HTML, CSS and a little
// vanilla JavaScript, embedded in the binary and served by the API's Gin engine. The pages call the
// JSON API from the browser; nothing is rendered on the server.
//
// Every user-facing text lives in static/i18n/vi.js (one dictionary; the pages hold only
// data-i18n keys), so another language is one more file.
//
// Mount registers GET and HEAD routes for the pages and /static/ on the API's engine;
// every other path keeps the API's JSON answers.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/httpenc"
)

//go:embed pages static
var files embed.FS

// Pages maps each page path to its HTML file under pages/.
var Pages = map[string]string{
	"/":          "index.html",
	"/dang-ky":   "dang-ky.html",
	"/dang-nhap": "dang-nhap.html",
	"/thi":       "thi.html",
	// Practice (thi thử): unlimited, never ranked nor counted, reviewed at once.
	"/thi-thu": "thi-thu.html",
	"/ket-qua": "ket-qua.html",
	// The published prize list and top list of each week, for everyone.
	"/ket-qua-tuan": "ket-qua-tuan.html",
	"/nhung":        "nhung.html",
	"/tai-khoan":    "tai-khoan.html", // one's own account: password, sessions
	// Staff pages (each checks the role from GET /me; the API enforces it).
	"/ban-to-chuc": "ban-to-chuc.html", // organizing committee
	"/thu-ky":      "thu-ky.html",      // secretariat
	"/giam-khao":   "giam-khao.html",   // jury
	"/don-vi":      "don-vi.html",      // agency focal point
}

// EmbedPath is the page portals may put in an iframe.
const EmbedPath = "/nhung"

// Content-Security-Policy of the pages: scripts, styles and API calls from this origin
// only, no inline script or style, no plugins. Only the embeddable page may be framed.
const (
	cspBase = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
	cspPage  = cspBase + "frame-ancestors 'none'"
	cspEmbed = cspBase + "frame-ancestors *"
)

// Cache lifetimes: pages are revalidated every time (cheap 304s, a deploy shows at once);
// an asset asked for with its content hash (?v=…, as the pages do) never changes.
const (
	cachePage      = "no-cache"
	cacheVersioned = "public, max-age=31536000, immutable"
	cacheAsset     = "public, max-age=300, must-revalidate"
)

type asset struct {
	body        []byte
	contentType string
	etag        string // quoted
	version     string // short content hash used in ?v=
	// gz is body gzipped once at start (nil when not worth it), sent to clients that accept
	// gzip, under its own ETag: it is another representation of the same asset.
	gz     []byte
	gzEtag string
}

// gzipMinBytes: smaller text assets go out as they are (one packet either way).
const gzipMinBytes = 1024

// compressedTypes are the assets gzip shrinks (text); images such as PNG are compressed.
var compressedTypes = map[string]bool{".html": true, ".css": true, ".js": true, ".svg": true, ".json": true}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".json": "application/json",
}

func newAsset(name string, body []byte) asset {
	sum := sha256.Sum256(body)
	h := hex.EncodeToString(sum[:])
	ct := contentTypes[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	a := asset{body: body, contentType: ct, etag: `"` + h[:32] + `"`, version: h[:12]}
	if compressedTypes[path.Ext(name)] && len(body) >= gzipMinBytes {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(body)
		_ = zw.Close()
		if buf.Len() < len(body) {
			a.gz, a.gzEtag = buf.Bytes(), `"`+h[:32]+`-gz"`
		}
	}
	return a
}

// include marks where a page takes a shared piece of markup from pages/partials/ (the
// head's common lines, the participants' and the staff's header), so it is written once.
var include = regexp.MustCompile(`[ \t]*<!--#include ([a-z-]+) -->\n`)

// withPartials replaces each include mark of a page by its partial.
func withPartials(name string, page []byte) ([]byte, error) {
	var missing []string
	out := include.ReplaceAllFunc(page, func(m []byte) []byte {
		partial := string(include.FindSubmatch(m)[1])
		b, err := files.ReadFile("pages/partials/" + partial + ".html")
		if err != nil {
			missing = append(missing, partial)
			return m
		}
		return b
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("web: %s includes missing partials %v", name, missing)
	}
	return out, nil
}

// staticRef finds the references to /static/ files in the pages, to give them ?v=<hash>.
var staticRef = regexp.MustCompile(`((?:href|src)=")(/static/[^"?#]+)(")`)

type site struct {
	pages  map[string]asset // by URL path
	static map[string]asset // by URL path, /static/...
	mux    *http.ServeMux
}

func load() (*site, error) {
	s := &site{pages: map[string]asset{}, static: map[string]asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		s.static["/"+p] = newAsset(p, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for urlPath, name := range Pages {
		b, err := files.ReadFile("pages/" + name)
		if err != nil {
			return nil, err
		}
		if b, err = withPartials(name, b); err != nil {
			return nil, err
		}
		var missing []string
		b = staticRef.ReplaceAllFunc(b, func(m []byte) []byte {
			g := staticRef.FindSubmatch(m)
			a, ok := s.static[string(g[2])]
			if !ok {
				missing = append(missing, string(g[2]))
				return m
			}
			return bytes.Join([][]byte{g[1], g[2], []byte("?v=" + a.version), g[3]}, nil)
		})
		if len(missing) > 0 {
			return nil, fmt.Errorf("web: %s refers to missing files %v", name, missing)
		}
		s.pages[urlPath] = newAsset(name, b)
	}
	s.mux = http.NewServeMux()
	for urlPath := range s.pages {
		pattern := "GET " + urlPath
		if urlPath == "/" {
			pattern = "GET /{$}"
		}
		s.mux.HandleFunc(pattern, s.servePage)
	}
	s.mux.HandleFunc("GET /static/", s.serveStatic)
	return s, nil
}

var embedded = func() *site {
	s, err := load()
	if err != nil {
		panic(err) // the embedded files are part of the build; a test covers this
	}
	return s
}()

// Handler serves the pages and /static/ (GET and HEAD); any other path answers 404.
func Handler() http.Handler { return embedded.mux }

// Mount makes the engine serve the pages (GET and HEAD) and their assets under /static/.
func Mount(r *gin.Engine) {
	h := gin.WrapH(embedded.mux)
	paths := make([]string, 0, len(Pages)+1)
	for p := range Pages {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range append(paths, "/static/*filepath") {
		r.GET(p, h)
		r.HEAD(p, h)
	}
}

func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

func (s *site) servePage(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	a, ok := s.pages[p]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	securityHeaders(h)
	if p == EmbedPath {
		h.Set("Content-Security-Policy", cspEmbed)
	} else {
		h.Set("Content-Security-Policy", cspPage)
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Cache-Control", cachePage)
	serve(w, r, a)
}

func (s *site) serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := s.static[r.URL.Path]
	if !ok {
		h := w.Header()
		securityHeaders(h)
		h.Set("Cache-Control", "no-store")
		http.Error(w, "404 not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	securityHeaders(h)
	if v := r.URL.Query().Get("v"); v != "" && v == a.version {
		h.Set("Cache-Control", cacheVersioned)
	} else {
		h.Set("Cache-Control", cacheAsset)
	}
	serve(w, r, a)
}

// serve writes an asset with its ETag; http.ServeContent answers If-None-Match with 304,
// HEAD without a body, and ranges. A client accepting gzip gets the precompressed bytes,
// except for a range request: a range counts bytes of the identity form.
func serve(w http.ResponseWriter, r *http.Request, a asset) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	body, etag := a.body, a.etag
	if a.gz != nil {
		httpenc.AddVary(h, "Accept-Encoding")
		if r.Header.Get("Range") == "" && httpenc.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = a.gz, a.gzEtag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
