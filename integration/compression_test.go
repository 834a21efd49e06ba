//go:build integration

package integration

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return out
}

func varies(h http.Header) bool {
	return strings.Contains(strings.ToLower(strings.Join(h.Values("Vary"), ",")), "accept-encoding")
}

// TestTextIsSentCompressed: pages, scripts and JSON answers of 1 KiB or more go out gzipped
// to a client that accepts it, with Vary: Accept-Encoding, and decompress to the very bytes
// sent uncompressed to one that does not; a versioned asset is cached for a year and its
// ETag answers 304; a range request and a small answer are never compressed.
// Before this change nothing was compressed (the quiz page and its scripts weighed ~100 KB).
func TestTextIsSentCompressed(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	gz := map[string]string{"Accept-Encoding": "gzip, deflate, br"}

	check := func(path string) http.Header {
		t.Helper()
		plainResp, plain := rawGet(t, s.URL+path, nil)
		zResp, z := rawGet(t, s.URL+path, gz)
		if plainResp.StatusCode != http.StatusOK || zResp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d / %d", path, plainResp.StatusCode, zResp.StatusCode)
		}
		if plainResp.Header.Get("Content-Encoding") != "" || !varies(plainResp.Header) {
			t.Fatalf("%s without Accept-Encoding: headers %v", path, plainResp.Header)
		}
		if zResp.Header.Get("Content-Encoding") != "gzip" || !varies(zResp.Header) {
			t.Fatalf("%s with gzip: headers %v", path, zResp.Header)
		}
		if got := gunzip(t, z); !bytes.Equal(got, plain) {
			t.Fatalf("%s: decompressed %d bytes differ from the %d sent plain", path, len(got), len(plain))
		}
		if len(z)*2 > len(plain) {
			t.Fatalf("%s: %d bytes compressed from %d", path, len(z), len(plain))
		}
		return zResp.Header
	}

	check("/thi")
	_, page := rawGet(t, s.URL+"/thi", nil)
	m := regexp.MustCompile(`src="(/static/js/quiz\.js\?v=[0-9a-f]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no versioned quiz.js in /thi")
	}
	script := string(m[1])
	h := check(script)
	if h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("versioned script cached as %q", h.Get("Cache-Control"))
	}
	resp, _ := rawGet(t, s.URL+script, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": h.Get("ETag")})
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match with the gzip ETag: %d", resp.StatusCode)
	}
	check("/static/css/app.css")
	check("/api/v1/agencies")

	// A range is of the identity bytes, never compressed.
	_, whole := rawGet(t, s.URL+script, nil)
	resp, part := rawGet(t, s.URL+script, map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=100-199"})
	if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(part, whole[100:200]) {
		t.Fatalf("range of the script: %d, encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	// A small answer goes as it is.
	resp, small := rawGet(t, s.URL+"/healthz", gz)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" || !bytes.Contains(small, []byte(`"ok"`)) {
		t.Fatalf("/healthz: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Encoding"), small)
	}
	// A JSON error of the API still decodes as the one error shape when compressed or not.
	resp, body := rawGet(t, s.URL+"/api/v1/me", gz)
	if resp.StatusCode != http.StatusUnauthorized || (resp.Header.Get("Content-Encoding") == "gzip" && !bytes.Contains(gunzip(t, body), []byte(`"error"`))) ||
		(resp.Header.Get("Content-Encoding") == "" && !bytes.Contains(body, []byte(`"error"`))) {
		t.Fatalf("/me without a session: %d %s", resp.StatusCode, body)
	}
}
