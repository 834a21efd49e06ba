package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestPagesHaveSecurityAndCacheHeaders(t *testing.T) {
	h := Handler()
	for path := range Pages {
		w := get(t, h, path)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		hd := w.Header()
		if ct := hd.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		csp := hd.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		if path == EmbedPath {
			if !strings.Contains(csp, "frame-ancestors *") || hd.Get("X-Frame-Options") != "" {
				t.Errorf("embed page must be frameable: CSP %q, X-Frame-Options %q", csp, hd.Get("X-Frame-Options"))
			}
		} else if !strings.Contains(csp, "frame-ancestors 'none'") || hd.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s must not be frameable: CSP %q, X-Frame-Options %q", path, csp, hd.Get("X-Frame-Options"))
		}
		if hd.Get("Cache-Control") != cachePage || hd.Get("ETag") == "" || hd.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", path, hd)
		}
		if again := get(t, h, path, "If-None-Match", hd.Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", path, again.Code)
		}
	}
	if w := get(t, h, "/khong-co"); w.Code != http.StatusNotFound {
		t.Errorf("unknown page: %d", w.Code)
	}
}

var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]+)"`)

func TestAssetsAreVersionedAndCached(t *testing.T) {
	h := Handler()
	body := get(t, h, "/").Body.String()
	refs := assetRef.FindAllStringSubmatch(body, -1)
	if len(refs) < 4 {
		t.Fatalf("landing page refers to %d versioned assets: %s", len(refs), body)
	}
	for _, m := range refs {
		w := get(t, h, m[1]+"?v="+m[2])
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != cacheVersioned {
			t.Errorf("%s?v=%s: %d %q", m[1], m[2], w.Code, w.Header().Get("Cache-Control"))
		}
		plain := get(t, h, m[1])
		if plain.Header().Get("Cache-Control") != cacheAsset {
			t.Errorf("%s without version: Cache-Control %q", m[1], plain.Header().Get("Cache-Control"))
		}
		if w := get(t, h, m[1], "If-None-Match", plain.Header().Get("ETag")); w.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d", m[1], w.Code)
		}
	}
	if w := get(t, h, "/static/js/common.js"); !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") {
		t.Errorf("JS content type %q", w.Header().Get("Content-Type"))
	}
	if w := get(t, h, "/static/khong-co.js"); w.Code != http.StatusNotFound {
		t.Errorf("missing asset: %d", w.Code)
	}
}

// Mount adds only GET and HEAD routes for the pages and /static/; the engine keeps
// answering the API, its JSON 404 and its 405.
func TestMountAddsPageRoutesOnly(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { c.JSON(http.StatusNotFound, gin.H{"error": gin.H{"code": "not_found"}}) })
	r.NoMethod(func(c *gin.Context) {
		c.JSON(http.StatusMethodNotAllowed, gin.H{"error": gin.H{"code": "method_not_allowed"}})
	})
	Mount(r)
	r.GET("/api/v1/ping", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"pong": true}) })

	for _, rt := range r.Routes() {
		if rt.Path == "/api/v1/ping" {
			continue
		}
		if _, page := Pages[rt.Path]; !page && rt.Path != "/static/*filepath" {
			t.Errorf("Mount registered %s %s", rt.Method, rt.Path)
		}
		if rt.Method != http.MethodGet && rt.Method != http.MethodHead {
			t.Errorf("Mount registered %s %s", rt.Method, rt.Path)
		}
	}
	if w := get(t, r, "/api/v1/ping"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "pong") {
		t.Fatalf("API route: %d %s", w.Code, w.Body)
	}
	if w := get(t, r, "/api/v1/none"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "not_found") {
		t.Fatalf("unknown API path: %d %s", w.Code, w.Body)
	}
	if w := get(t, r, "/khong-co"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "not_found") {
		t.Fatalf("unknown path: %d %s", w.Code, w.Body)
	}
	for path := range Pages {
		if w := get(t, r, path); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<!doctype html>") {
			t.Fatalf("page %s through gin: %d", path, w.Code)
		}
	}
	if w := get(t, r, "/static/css/app.css"); w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("asset through gin: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	req := httptest.NewRequest(http.MethodPost, "/thi", nil)
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST to a page: %d %s", w.Code, w.Body)
	}
	head := httptest.NewRequest(http.MethodHead, "/", nil)
	w = httptest.NewRecorder()
	r.ServeHTTP(w, head)
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("HEAD /: %d with %d bytes", w.Code, w.Body.Len())
	}
}

func readAll(t *testing.T, dir, ext string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(files, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ext) {
			return err
		}
		b, err := files.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The CSP forbids inline code, so the pages must have none.
func TestPagesHaveNoInlineCode(t *testing.T) {
	inlineScript := regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	handler := regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	for name, html := range readAll(t, "pages", ".html") {
		for _, tag := range inlineScript.FindAllString(html, -1) {
			if !strings.Contains(tag, ` src="`) {
				t.Errorf("%s has an inline script: %s", name, tag)
			}
		}
		if handler.MatchString(html) || strings.Contains(html, " style=") || strings.Contains(html, "<style") {
			t.Errorf("%s has an inline event handler or style", name)
		}
	}
}

func dictionary(t *testing.T) map[string]string {
	t.Helper()
	b, err := files.ReadFile("static/i18n/vi.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	const prefix = "\nwindow.I18N = "
	start, end := strings.Index(src, prefix), strings.LastIndex(src, "}")
	if start < 0 || end < start {
		t.Fatal("vi.js: no window.I18N = {…}")
	}
	var d struct {
		Lang    string            `json:"lang"`
		Strings map[string]string `json:"strings"`
	}
	if err := json.Unmarshal([]byte(src[start+len(prefix):end+1]), &d); err != nil {
		t.Fatalf("vi.js is not strict JSON after window.I18N = : %v", err)
	}
	if d.Lang != "vi" || len(d.Strings) == 0 {
		t.Fatalf("vi.js: lang %q, %d strings", d.Lang, len(d.Strings))
	}
	return d.Strings
}

// Every text lives in the dictionary: the pages hold keys only, every key a page or a
// script uses exists, and no key is left unused.
func TestTextsLiveInTheDictionary(t *testing.T) {
	dict := dictionary(t)
	used := map[string]bool{}
	use := func(where, key string) {
		if _, ok := dict[key]; !ok {
			t.Errorf("%s uses %q, which vi.js lacks", where, key)
		}
		used[key] = true
	}
	attrKey := regexp.MustCompile(`data-i18n="([^"]+)"`)
	attrPairs := regexp.MustCompile(`data-i18n-attr="([^"]+)"`)
	tags := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`)
	for name, html := range readAll(t, "pages", ".html") {
		for _, m := range attrKey.FindAllStringSubmatch(html, -1) {
			use(name, m[1])
		}
		for _, m := range attrPairs.FindAllStringSubmatch(html, -1) {
			for _, pair := range strings.Split(m[1], ";") {
				_, key, _ := strings.Cut(pair, ":")
				use(name, strings.TrimSpace(key))
			}
		}
		// Outside tags a page may hold symbols, never words.
		text := strings.Join(strings.Fields(tags.ReplaceAllString(html, " ")), " ")
		for _, word := range strings.Fields(text) {
			if word != "★" && word != "--:--" {
				t.Errorf("%s holds text %q outside the dictionary", name, word)
			}
		}
	}
	literal := regexp.MustCompile(`"((?:site|nav|common|round|time|home|register|login|quiz|result|embed|` +
		`staff|role|stage|qset|decision|prize|video|collective|report|participation|committee|secretariat|jury|agency|account|practice|accommodation)\.[a-z0-9_.]*)"`)
	dynamic := map[string][]string{ // prefixes the scripts complete with an API value
		"round.status.":               {"open", "upcoming", "closed"},
		"register.category.":          {"city_department", "central", "district", "commune"},
		"result.status.":              {"submitted", "auto_submitted", "in_progress"},
		"role.":                       {"participant", "agency", "secretariat", "jury", "committee", "admin"},
		"stage.":                      {"not_started", "question_bank", "trial_run", "rounds", "video_submission", "jury_scoring", "joint_meeting", "results_decision", "ceremony", "completed"},
		"qset.":                       {"draft", "ready", "sent_back", "approved"},
		"secretariat.import_outcome.": {"created", "updated", "unchanged", "refused"},
		"decision.kind.":              {"question_set", "question_set_ready", "go_live", "weekly_results", "close_jury", "joint_meeting", "final_results", "ceremony_held"},
		"decision.outcome.":           {"approved", "sent_back", "done"},
		"prize.":                      {"first", "second", "third"},
		"video.format.":               {"commentary_graphics", "report", "sketch", "other"},
		"collective.reason.":          {"no_video", "outside_top_video", "zero_score_in_week"},
		"report.kind.":                {"weekly_results", "participation", "video_results", "collective_results", "final_summary", "participants", "prize_winners"},
		"agency.roster_status_":       {"pending", "confirmed", "rejected"},
		"agency.people_standing_":     {"on_roster", "not_registered", "pending", "confirmed", "rejected"},
	}
	for name, js := range readAll(t, "static/js", ".js") {
		for _, m := range literal.FindAllStringSubmatch(js, -1) {
			if values, ok := dynamic[m[1]]; ok {
				for _, v := range values {
					use(name, m[1]+v)
				}
				continue
			}
			use(name, m[1])
		}
	}
	var unused []string
	for k := range dict {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("vi.js has keys no page or script uses: %v", unused)
	}
}

// Every form control on a page has a label (the browser tests check the rendered pages too).
func TestControlsHaveLabels(t *testing.T) {
	control := regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	id := regexp.MustCompile(`\sid="([^"]+)"`)
	for name, html := range readAll(t, "pages", ".html") {
		for _, tag := range control.FindAllString(html, -1) {
			m := id.FindStringSubmatch(tag)
			if m == nil {
				t.Errorf("%s: control without id: %s", name, tag)
				continue
			}
			if !strings.Contains(html, `for="`+m[1]+`"`) && !strings.Contains(tag, "aria-label") {
				t.Errorf("%s: control %s has no label", name, m[1])
			}
		}
	}
}

// Pages take their head lines, header, footer and (staff pages) sign-in gate and staff
// script from pages/partials/: what is served is whole, staff pages get the staff
// navigation, no page writes shared markup itself, and a page naming a missing partial
// fails to load.
func TestPagesIncludeTheirPartials(t *testing.T) {
	staff := map[string]bool{"/ban-to-chuc": true, "/thu-ky": true, "/giam-khao": true, "/don-vi": true}
	for path := range Pages {
		body := get(t, Handler(), path).Body.String()
		if strings.Contains(body, "<!--#include") {
			t.Errorf("%s is served with an include mark", path)
		}
		if !strings.Contains(body, `<link rel="stylesheet" href="/static/css/app.css?v=`) ||
			!strings.Contains(body, `<script src="/static/js/common.js?v=`) {
			t.Errorf("%s lacks the shared head lines", path)
		}
		if path == EmbedPath {
			if strings.Contains(body, "site-header") {
				t.Errorf("%s (for iframes) has the site header", path)
			}
			continue
		}
		if strings.Count(body, `<header class="site-header">`) != 1 {
			t.Errorf("%s has no site header or more than one", path)
		}
		if got := strings.Contains(body, "data-staff-link"); got != staff[path] {
			t.Errorf("%s: staff navigation %v, want %v", path, got, staff[path])
		}
		if strings.Count(body, `<footer class="site-footer">`) != 1 {
			t.Errorf("%s has no site footer or more than one", path)
		}
		gate := strings.Contains(body, `id="gate-link"`) && strings.Contains(body, `<script src="/static/js/staff.js?v=`)
		if gate != staff[path] {
			t.Errorf("%s: staff gate and script %v, want %v", path, gate, staff[path])
		}
	}
	// The shared markup is written only in the partials, never again in a page.
	pages, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pages {
		src, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, shared := range []string{"<header", "<footer", `id="gate-link"`, `src="/static/js/staff.js"`, `src="/static/js/common.js"`, `<meta charset`, `id="campaign-switch"`} {
			if strings.Contains(string(src), shared) {
				t.Errorf("%s writes %s itself instead of including its partial", name, shared)
			}
		}
	}
	if _, err := withPartials("x.html", []byte("<head>\n  <!--#include nowhere -->\n</head>\n")); err == nil ||
		!strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("a missing partial: %v", err)
	}
}

// One term for each thing: a week of the quiz is a "tuần thi" (not "đợt thi"), what
// happens every week happens "hằng tuần" (not "hàng tuần"), the one who sits the quiz is
// a "người dự thi" (not "thí sinh"), the agencies' entries are "video clip" (not bare
// "video" after "thi", "điểm" or "phiếu chấm"), the entry's format is its "thể loại",
// and percentages are written "100%", on every page.
func TestOneTermForEachThing(t *testing.T) {
	avoid := map[string]string{"đợt thi": "tuần thi", "hàng tuần": "hằng tuần", "thí sinh": "người dự thi", " %": "%", "huỷ": "hủy"}
	bareVideo := regexp.MustCompile(`(thi|điểm|chấm|tệp|gửi) video($|[^ ]| [^c])`)
	for key, text := range dictionary(t) {
		lower := strings.ToLower(text)
		for bad, good := range avoid {
			if strings.Contains(lower, bad) {
				t.Errorf("vi.js %s says %q: write %q", key, text, good)
			}
		}
		if bareVideo.MatchString(lower) {
			t.Errorf("vi.js %s says %q: write \"video clip\"", key, text)
		}
		if lower == "hình thức" {
			t.Errorf("vi.js %s says %q: a clip's format is its \"thể loại\"", key, text)
		}
	}
	for name, html := range readAll(t, "pages", ".html") {
		for bad, good := range avoid {
			if strings.Contains(strings.ToLower(html), bad) {
				t.Errorf("%s says %q: write %q", name, bad, good)
			}
		}
	}
}
