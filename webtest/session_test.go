//go:build integration

package webtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

// assertCookieSession checks, right after logging in through the login page, that the
// session lives where scripts cannot reach it: the session cookie is HttpOnly, Secure
// (accepted on http://127.0.0.1, which Chromium treats as a secure context), SameSite=Strict,
// Path=/, for the session's lifetime; document.cookie shows only the csrf cookie; and no
// token is in the page's storage. Then an unsafe request the page sends without the
// X-CSRF-Token header is refused with 403 csrf_failed and starts nothing.
func (b *browser) assertCookieSession(ttl time.Duration) {
	b.t.Helper()
	var sess, csrf *network.Cookie
	for _, c := range b.cookies() {
		switch c.Name {
		case api.SessionCookieName():
			sess = c
		case api.CSRFCookieName():
			csrf = c
		}
	}
	if sess == nil || csrf == nil {
		b.t.Fatalf("after login the browser holds session cookie %v and csrf cookie %v (want both: Secure cookies must be accepted on the loopback)", sess != nil, csrf != nil)
	}
	lifetime := time.Until(time.Unix(int64(sess.Expires), 0))
	if !sess.HTTPOnly || !sess.Secure || sess.SameSite != network.CookieSameSiteStrict || sess.Path != "/" ||
		sess.Session || lifetime < ttl-5*time.Minute || lifetime > ttl+time.Minute {
		b.t.Fatalf("session cookie: httpOnly=%v secure=%v sameSite=%q path=%q lifetime=%v, want HttpOnly Secure Strict / about %v",
			sess.HTTPOnly, sess.Secure, sess.SameSite, sess.Path, lifetime, ttl)
	}
	if csrf.HTTPOnly || !csrf.Secure || csrf.SameSite != network.CookieSameSiteStrict || csrf.Path != "/" {
		b.t.Fatalf("csrf cookie: httpOnly=%v secure=%v sameSite=%q path=%q, want readable, Secure, Strict, /",
			csrf.HTTPOnly, csrf.Secure, csrf.SameSite, csrf.Path)
	}
	if csrf.Value != api.CSRFToken(sess.Value) {
		b.t.Fatal("csrf cookie does not belong to the session")
	}
	seen := eval[string](b, `document.cookie`)
	if strings.Contains(seen, sess.Name+"=") || strings.Contains(seen, sess.Value) {
		b.t.Fatalf("scripts can read the session cookie: document.cookie = %q", seen)
	}
	if !strings.Contains(seen, csrf.Name+"="+csrf.Value) {
		b.t.Fatalf("scripts cannot read the csrf cookie: document.cookie = %q", seen)
	}
	storage := eval[string](b, `JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])`)
	if strings.Contains(storage, sess.Value) || strings.Contains(storage, `token`) {
		b.t.Fatalf("the page stores a token: %s", storage)
	}

	// The page's own fetch with the cookie but without the header: refused, nothing started.
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/v1/rounds/current").then(r => r.json())
		.then(round => fetch("/api/v1/rounds/" + round.id + "/attempts", {method: "POST", credentials: "same-origin"}))
		.then(r => r.json().then(body => r.status + " " + body.error.code))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("unsafe request without the csrf header: %v", err)
	}
	if got != "403 csrf_failed" {
		b.t.Fatalf("unsafe request without the csrf header answered %q, want 403 csrf_failed", got)
	}
}

// TestCookieSessionAfterALinkFromAnotherSite: the cookies are SameSite=Strict, which only
// keeps them off the navigation from another site itself. A participant who follows a link
// to the quiz from another site (a portal, an e-mail) is still logged in there, since the
// page's own API calls are same-site: starting an attempt (POST, with the CSRF header) works.
func TestCookieSessionAfterALinkFromAnotherSite(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	b := newBrowser(t, s.URL, 1280, 800)
	p := s.Participant(t)
	b.login(p)

	// localhost and 127.0.0.1 are different sites: a page there links to the quiz here.
	other := strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
	b.do(chromedp.Navigate(other + "/"))
	b.waitFor("the other site", `location.hostname === "localhost" && document.readyState === "complete"`, step)
	eval[chromedp.Void](b, `(() => { const a = document.createElement("a"); a.id = "to-quiz"; a.textContent = "Thi";
		a.href = `+js(s.URL+"/thi")+`; document.body.prepend(a); })()`)
	b.click("#to-quiz")
	b.waitFor("the quiz on 127.0.0.1", `location.hostname === "127.0.0.1" && location.pathname === "/thi" && document.readyState === "complete"`, step)
	b.waitVisible("#start-button")
	b.click("#start-button")
	b.waitFor("questions", `document.querySelectorAll("#questions fieldset.question").length === 10 && !document.querySelector("#quiz").hidden`, step)
	b.assertNoProblems()
}
