package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Web pages hold their session in two cookies set at login, next to the bearer token that
// API clients use (the same random token, stored hashed, revocable):
//
//   - the session cookie carries the token: HttpOnly (page scripts cannot read it), Secure,
//     SameSite=Strict, Path=/, Max-Age = the session's lifetime. Strict costs the pages
//     nothing: they are static and call the API from their own scripts, which are same-site
//     requests even when the page was reached by a link from another site;
//   - the csrf cookie (readable by the pages, same attributes otherwise) carries a value
//     derived from the token. A request authenticated by the session cookie with an unsafe
//     method must repeat it in the X-CSRF-Token header, and must not come from another
//     origin (Origin, else Referer, when the browser sends them). Another site can make the
//     browser send the cookies but can neither read the csrf cookie nor set the header.
//
// The csrf value is an HMAC of a fixed label under the session token, so a csrf cookie
// planted by a neighbouring host does not match the session, and it needs no server-side
// storage. With Secure cookies the names carry the __Host- prefix, which browsers accept only
// from a secure origin, with Path=/ and no Domain: no other host can set or shadow them.
// Browsers treat http://localhost and http://127.0.0.1 as secure for this, so development on
// the loopback works with the defaults; COOKIE_INSECURE=1 (development only, for a plain-http
// host that is not the loopback) drops Secure and the prefix.

// CSRFHeader is the request header that must repeat the csrf cookie.
const CSRFHeader = "X-CSRF-Token"

var errCSRF = newError(http.StatusForbidden, "csrf_failed",
	"Yêu cầu bị từ chối vì thiếu hoặc sai mã bảo vệ (CSRF). Vui lòng tải lại trang rồi thử lại.")

// insecureCookies is the development-only escape hatch for plain-http hosts that browsers do
// not treat as secure (anything but the loopback). Read per request so tests can set it.
func insecureCookies() bool { return os.Getenv("COOKIE_INSECURE") == "1" }

// SessionCookieName and CSRFCookieName are the names of the two cookies in the current
// mode: __Host-session and __Host-csrf, or session and csrf under COOKIE_INSECURE=1.
func SessionCookieName() string { return cookiePrefix() + "session" }

// CSRFCookieName: see SessionCookieName.
func CSRFCookieName() string { return cookiePrefix() + "csrf" }

func cookiePrefix() string {
	if insecureCookies() {
		return ""
	}
	return "__Host-"
}

// CSRFToken is the csrf cookie's value for a session token.
func CSRFToken(sessionToken string) string {
	m := hmac.New(sha256.New, []byte(sessionToken))
	m.Write([]byte("contest csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func sessionCookies(token string, ttl time.Duration) []*http.Cookie {
	secure := !insecureCookies()
	maxAge := int(ttl / time.Second)
	if maxAge <= 0 {
		maxAge = -1 // a zero lifetime is an expired session: do not keep the cookie
	}
	return []*http.Cookie{
		{Name: SessionCookieName(), Value: token, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode},
		{Name: CSRFCookieName(), Value: CSRFToken(token), Path: "/", MaxAge: maxAge, HttpOnly: false, Secure: secure, SameSite: http.SameSiteStrictMode},
	}
}

// setSessionCookies gives the browser the session and its csrf cookie.
func setSessionCookies(c *gin.Context, token string, ttl time.Duration) {
	for _, ck := range sessionCookies(token, ttl) {
		http.SetCookie(c.Writer, ck)
	}
	// Never cache an answer that carries a session.
	c.Header("Cache-Control", "no-store")
}

// clearSessionCookies tells the browser to drop both cookies (same name, path and Secure
// as when they were set, else it keeps them).
func clearSessionCookies(c *gin.Context) {
	for _, ck := range sessionCookies("", 0) {
		ck.Value, ck.MaxAge = "", -1
		http.SetCookie(c.Writer, ck)
	}
}

// sessionCookie is the token of the request's session cookie, if any.
func sessionCookie(r *http.Request) (string, bool) {
	ck, err := r.Cookie(SessionCookieName())
	if err != nil || ck.Value == "" {
		return "", false
	}
	return ck.Value, true
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// checkCSRF is the check of a cookie-authenticated request with an unsafe method: same
// origin, and an X-CSRF-Token header equal to the csrf cookie and to the value that belongs
// to the session token.
func checkCSRF(r *http.Request, sessionToken string) bool {
	if !sameOrigin(r) {
		return false
	}
	header := r.Header.Get(CSRFHeader)
	ck, err := r.Cookie(CSRFCookieName())
	if header == "" || err != nil || ck.Value == "" {
		return false
	}
	want := CSRFToken(sessionToken)
	okCookie := subtle.ConstantTimeCompare([]byte(header), []byte(ck.Value))
	okSession := subtle.ConstantTimeCompare([]byte(header), []byte(want))
	return okCookie&okSession == 1
}

// sameOrigin refuses a request whose Origin (or, without one, Referer) names another host
// than the one it was sent to. Without either header (API clients, some privacy settings)
// it passes: the csrf token is the check that always applies. The scheme is not compared,
// since TLS usually ends at a proxy in front of the API.
func sameOrigin(r *http.Request) bool {
	source := r.Header.Get("Origin")
	if source == "" {
		source = r.Header.Get("Referer")
		if source == "" {
			return true
		}
	}
	if source == "null" { // opaque origin: sandboxed frames, data: URLs, some redirects
		return false
	}
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return false
	}
	host := r.Host
	if fwd := r.Header.Get("X-Forwarded-Host"); fwd != "" {
		// A proxy in front of the API may rewrite Host; a page cannot set this header on a
		// cross-site request without a CORS preflight, which this API never grants.
		host = strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return strings.EqualFold(u.Host, host)
}
