package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		origin, referer, forwarded string
		want                       bool
	}{
		{want: true}, // API clients send neither header
		{origin: "http://hoithi.example", want: true},
		{origin: "https://hoithi.example", want: true}, // TLS ended at a proxy
		{origin: "https://HOITHI.example", want: true},
		{origin: "https://evil.example", want: false},
		{origin: "https://hoithi.example.evil.example", want: false},
		{origin: "https://hoithi.example:8443", want: false},
		{origin: "null", want: false},
		{origin: "not a url", want: false},
		{referer: "https://hoithi.example/thi?x=1", want: true},
		{referer: "https://evil.example/hoithi.example", want: false},
		{origin: "https://evil.example", referer: "https://hoithi.example/", want: false}, // Origin decides
		{origin: "https://public.example", forwarded: "public.example", want: true},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "http://hoithi.example/api/v1/me", nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if c.referer != "" {
			r.Header.Set("Referer", c.referer)
		}
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-Host", c.forwarded)
		}
		if got := sameOrigin(r); got != c.want {
			t.Errorf("Origin %q Referer %q X-Forwarded-Host %q: same origin %v, want %v", c.origin, c.referer, c.forwarded, got, c.want)
		}
	}
}

func TestCheckCSRF(t *testing.T) {
	const token = "session-token"
	good := CSRFToken(token)
	if good == CSRFToken("other-token") || good == token {
		t.Fatal("csrf values must differ per session and from the token")
	}
	cases := []struct {
		name           string
		cookie, header string
		want           bool
	}{
		{"matching", good, good, true},
		{"no header", good, "", false},
		{"no cookie", "", good, false},
		{"header differs from cookie", good, good + "x", false},
		{"planted pair not of the session", "planted", "planted", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "http://hoithi.example/api/v1/x", nil)
		if c.cookie != "" {
			r.AddCookie(&http.Cookie{Name: CSRFCookieName(), Value: c.cookie})
		}
		if c.header != "" {
			r.Header.Set(CSRFHeader, c.header)
		}
		if got := checkCSRF(r, token); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	for _, insecure := range []bool{false, true} {
		if insecure {
			t.Setenv("COOKIE_INSECURE", "1")
		}
		cookies := sessionCookies("tok", 12*time.Hour)
		wantPrefix := "__Host-"
		if insecure {
			wantPrefix = ""
		}
		if cookies[0].Name != wantPrefix+"session" || cookies[1].Name != wantPrefix+"csrf" {
			t.Fatalf("insecure=%v: names %s, %s", insecure, cookies[0].Name, cookies[1].Name)
		}
		for i, c := range cookies {
			if c.Secure == insecure || c.Path != "/" || c.SameSite != http.SameSiteStrictMode || c.MaxAge != 43200 || c.HttpOnly != (i == 0) {
				t.Errorf("insecure=%v: cookie %s = %s", insecure, c.Name, c.String())
			}
		}
	}
}
