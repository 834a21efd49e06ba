//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/auth"
	"github.com/hpcontest/contest/internal/testenv"
)

// browserSession is what a browser holds after logging in: the two cookies.
type browserSession struct {
	base          string
	session, csrf string
}

// call sends a request as the web pages do: with the cookies (unless cookies is false) and
// the extra headers given.
func (b browserSession) call(t *testing.T, method, path, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, b.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.session != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookieName(), Value: b.session})
	}
	if b.csrf != "" {
		req.AddCookie(&http.Cookie{Name: api.CSRFCookieName(), Value: b.csrf})
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, out
}

func errorCode(body []byte) string { return testenv.Response{Body: body}.ErrorCode() }

// registerPhone registers a participant and returns the phone number (password mat-khau-thu).
func registerPhone(t *testing.T, s *testenv.Stack) string {
	t.Helper()
	c := s.NewClient(t)
	var agencies []struct{ ID int64 }
	c.Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	phone := testenv.UniquePhone()
	c.Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Lê Thị Phiên", "date_of_birth": "1990-02-03", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": "mat-khau-thu",
	})
	return phone
}

// browserLogin logs in as the login page does and returns the response's cookies by name,
// the token of the body, and the session the browser would now hold.
func browserLogin(t *testing.T, s *testenv.Stack, phone string, old *browserSession) (map[string]*http.Cookie, string, browserSession) {
	t.Helper()
	from := browserSession{base: s.URL}
	if old != nil {
		from = *old
	}
	resp, body := from.call(t, "POST", "/api/v1/sessions", `{"phone":"`+phone+`","password":"mat-khau-thu"}`,
		map[string]string{"Origin": s.URL})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatal(err)
	}
	cookies := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		cookies[c.Name] = c
	}
	sess := browserSession{base: s.URL}
	if c := cookies[api.SessionCookieName()]; c != nil {
		sess.session = c.Value
	}
	if c := cookies[api.CSRFCookieName()]; c != nil {
		sess.csrf = c.Value
	}
	return cookies, tok.Token, sess
}

func countRows(t *testing.T, s *testenv.Stack, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCookieSessionsAndCSRF covers the web pages' way of holding a session: cookies set at
// login, the CSRF check on unsafe methods, bearer clients unaffected, and logout.
func TestCookieSessionsAndCSRF(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	phone := registerPhone(t, s)
	cookies, token, b := browserLogin(t, s, phone, nil)

	// Login sets both cookies, for the session's lifetime (testenv: 1 h), Secure by default.
	sc, cc := cookies[api.SessionCookieName()], cookies[api.CSRFCookieName()]
	if sc == nil || cc == nil {
		t.Fatalf("login set cookies %v, want %s and %s", cookies, api.SessionCookieName(), api.CSRFCookieName())
	}
	if !strings.HasPrefix(sc.Name, "__Host-") || !strings.HasPrefix(cc.Name, "__Host-") {
		t.Errorf("cookie names %s, %s: want the __Host- prefix by default", sc.Name, cc.Name)
	}
	if sc.Value != token {
		t.Errorf("the session cookie does not carry the login's token")
	}
	if cc.Value != api.CSRFToken(token) || cc.Value == token {
		t.Errorf("csrf cookie %q is not the session's csrf value", cc.Value)
	}
	for _, c := range []*http.Cookie{sc, cc} {
		if !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" || c.MaxAge != 3600 {
			t.Errorf("cookie %s: Secure=%v SameSite=%v Path=%q Domain=%q Max-Age=%d (raw %q), want Secure, Strict, /, host-only, 3600",
				c.Name, c.Secure, c.SameSite, c.Path, c.Domain, c.MaxAge, c.Raw)
		}
	}
	if !sc.HttpOnly {
		t.Errorf("session cookie is not HttpOnly: %q", sc.Raw)
	}
	if cc.HttpOnly {
		t.Errorf("csrf cookie is HttpOnly: the pages could not read it: %q", cc.Raw)
	}

	// A cookie-authenticated GET needs no CSRF header.
	resp, body := b.call(t, "GET", "/api/v1/me", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"role":"participant"`) {
		t.Fatalf("GET /me with the cookie: %d %s", resp.StatusCode, body)
	}

	// Unsafe requests with the cookie: refused without the right header and origin.
	roundID := s.CurrentRoundID(t)
	start := fmt.Sprintf("/api/v1/rounds/%d/attempts", roundID)
	forged := b
	forged.csrf = "planted-by-another-host" // cookie and header agree, but not with the session
	refused := []struct {
		name   string
		from   browserSession
		header map[string]string
	}{
		{"no header", b, nil},
		{"empty header", b, map[string]string{api.CSRFHeader: ""}},
		{"wrong header", b, map[string]string{api.CSRFHeader: "x" + b.csrf[1:]}},
		{"header without the csrf cookie", browserSession{base: s.URL, session: b.session}, map[string]string{api.CSRFHeader: b.csrf}},
		{"csrf cookie and header not of this session", forged, map[string]string{api.CSRFHeader: forged.csrf}},
		{"another session's csrf value", b, map[string]string{api.CSRFHeader: api.CSRFToken("another-token")}},
		{"cross-origin Origin", b, map[string]string{api.CSRFHeader: b.csrf, "Origin": "https://evil.example"}},
		{"opaque Origin", b, map[string]string{api.CSRFHeader: b.csrf, "Origin": "null"}},
		{"cross-origin Referer", b, map[string]string{api.CSRFHeader: b.csrf, "Referer": "https://evil.example/page"}},
	}
	for _, r := range refused {
		resp, body := r.from.call(t, "POST", start, "", r.header)
		if resp.StatusCode != http.StatusForbidden || errorCode(body) != "csrf_failed" {
			t.Errorf("%s: %d %s, want 403 csrf_failed", r.name, resp.StatusCode, body)
			continue
		}
		var e struct {
			Error struct{ Code, Message string }
		}
		_ = json.Unmarshal(body, &e)
		if !strings.Contains(e.Error.Message, "CSRF") || !strings.Contains(e.Error.Message, "tải lại trang") {
			t.Errorf("%s: message %q, want the Vietnamese csrf message", r.name, e.Error.Message)
		}
	}
	if n := countRows(t, s, `SELECT count(*) FROM attempts a JOIN users u ON u.id = a.participant_id WHERE u.phone = $1`, phone); n != 0 {
		t.Fatalf("refused requests started %d attempts", n)
	}

	// With the header and from the same origin: allowed.
	var a started
	resp, body = b.call(t, "POST", start, "", map[string]string{api.CSRFHeader: b.csrf, "Origin": s.URL})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("start with the csrf header: %d %s", resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	answer := fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID)
	resp, body = b.call(t, "PUT", answer, `{"choice":"A"}`, map[string]string{api.CSRFHeader: b.csrf, "Referer": s.URL + "/thi"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answer with the csrf header: %d %s", resp.StatusCode, body)
	}
	// A refused answer changes nothing.
	resp, body = b.call(t, "PUT", answer, `{"choice":"B"}`, nil)
	if resp.StatusCode != http.StatusForbidden || errorCode(body) != "csrf_failed" {
		t.Fatalf("answer without the header: %d %s", resp.StatusCode, body)
	}
	var choice *int
	if err := s.Store.Pool().QueryRow(context.Background(),
		`SELECT choice FROM attempt_questions WHERE attempt_id = $1 AND no = 1`, a.AttemptID).Scan(&choice); err != nil {
		t.Fatalf("stored answer: %v", err)
	}
	if choice == nil || *choice != 0 {
		t.Fatalf("answer 1 stored as %v, want A (the refused B changed it?)", choice)
	}

	// Bearer clients (load test, mobile apps) need no CSRF token, whatever Origin says: the
	// header is not ambient. The same token serves both forms.
	bearer := s.NewClient(t)
	bearer.Token = token
	bearer.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/prediction", a.AttemptID), map[string]int{"count": 7})
	req, _ := http.NewRequest("PUT", s.URL+answer, strings.NewReader(`{"choice":"C"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Origin", "https://evil.example")
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("bearer request with a foreign Origin: %v %v", r, err)
	}
	// A malformed Authorization header is not rescued by the cookie.
	resp, _ = b.call(t, "GET", "/api/v1/me", "", map[string]string{"Authorization": "Basic eDp5"})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("malformed Authorization with a valid cookie: %d, want 401", resp.StatusCode)
	}

	// Logout with the cookie is an unsafe method too: refused without the header.
	resp, body = b.call(t, "DELETE", "/api/v1/sessions/current", "", nil)
	if resp.StatusCode != http.StatusForbidden || errorCode(body) != "csrf_failed" {
		t.Fatalf("logout without the header: %d %s", resp.StatusCode, body)
	}
	if resp, _ := b.call(t, "GET", "/api/v1/me", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the refused logout ended the session: %d", resp.StatusCode)
	}
	resp, body = b.call(t, "DELETE", "/api/v1/sessions/current", "", map[string]string{api.CSRFHeader: b.csrf, "Origin": s.URL})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d %s", resp.StatusCode, body)
	}
	assertCleared(t, resp)
	// The old cookie, and the same token as a bearer, no longer authenticate; the 401 tells
	// the browser to forget the dead cookie.
	resp, body = b.call(t, "GET", "/api/v1/me", "", nil)
	if resp.StatusCode != http.StatusUnauthorized || errorCode(body) != "unauthorized" {
		t.Fatalf("GET /me with the logged-out cookie: %d %s", resp.StatusCode, body)
	}
	assertCleared(t, resp)
	if r := bearer.Do("GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("bearer token after cookie logout: %d", r.Status)
	}
	if n := countRows(t, s, `SELECT count(*) FROM sessions WHERE token_hash = $1 AND revoked_at IS NOT NULL`, auth.HashToken(token)); n != 1 {
		t.Fatalf("logout left the session unrevoked in the database")
	}
}

func assertCleared(t *testing.T, resp *http.Response) {
	t.Helper()
	cleared := map[string]bool{}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 && c.Value == "" && c.Path == "/" && c.Secure {
			cleared[c.Name] = true
		}
	}
	if !cleared[api.SessionCookieName()] || !cleared[api.CSRFCookieName()] {
		t.Fatalf("response does not clear both cookies: %q", resp.Header.Values("Set-Cookie"))
	}
}

// TestLoginCSRFAndRelogin: another site cannot log a browser in (login CSRF), and logging in
// again from a browser ends the session its old cookie held.
func TestLoginCSRFAndRelogin(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	phone := registerPhone(t, s)
	before := countRows(t, s, `SELECT count(*) FROM sessions`)
	for _, origin := range []map[string]string{{"Origin": "https://evil.example"}, {"Referer": "http://evil.example/"}} {
		resp, body := browserSession{base: s.URL}.call(t, "POST", "/api/v1/sessions",
			`{"phone":"`+phone+`","password":"mat-khau-thu"}`, origin)
		if resp.StatusCode != http.StatusForbidden || errorCode(body) != "csrf_failed" || len(resp.Cookies()) != 0 {
			t.Fatalf("login from %v: %d %s cookies %v, want 403 csrf_failed and no cookie", origin, resp.StatusCode, body, resp.Cookies())
		}
	}
	if after := countRows(t, s, `SELECT count(*) FROM sessions`); after != before {
		t.Fatalf("refused logins created %d sessions", after-before)
	}

	_, first, b := browserLogin(t, s, phone, nil)
	_, second, b2 := browserLogin(t, s, phone, &b)
	if first == second {
		t.Fatal("two logins share a token")
	}
	if resp, _ := b.call(t, "GET", "/api/v1/me", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the replaced cookie session still authenticates: %d", resp.StatusCode)
	}
	if resp, _ := b2.call(t, "GET", "/api/v1/me", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the new cookie session: %d", resp.StatusCode)
	}
}

// TestEveryUnsafeRouteChecksCSRF sends every unsafe method of the API with a live session
// cookie and no CSRF header: each must be refused before its handler runs. The public
// routes that take no session (register, login) are the exceptions.
func TestEveryUnsafeRouteChecksCSRF(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	_, _, b := browserLogin(t, s, registerPhone(t, s), nil)
	params := strings.NewReplacer(":code", s.Campaign.Code, ":id", "1", ":no", "1", ":number", "1", ":file", "x")
	exempt := map[string]bool{"POST /api/v1/participants": true, "POST /api/v1/sessions": true}
	checked := 0
	for _, r := range api.NewRouter(api.Deps{}).Routes() {
		key := r.Method + " " + r.Path
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == "GET" || r.Method == "HEAD" || exempt[key] {
			continue
		}
		resp, body := b.call(t, r.Method, params.Replace(r.Path), "{}", nil)
		if resp.StatusCode != http.StatusForbidden || errorCode(body) != "csrf_failed" {
			t.Errorf("%s with the cookie and no csrf header: %d %s", key, resp.StatusCode, truncate(body))
		}
		checked++
	}
	if checked < 10 {
		t.Fatalf("only %d unsafe routes checked", checked)
	}
	if resp, _ := b.call(t, "GET", "/api/v1/me", "", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("the session did not survive the refused requests (logout among them): %d", resp.StatusCode)
	}
}
