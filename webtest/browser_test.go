//go:build integration

package webtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

// chromiumPath is Debian's Chromium, installed by deploy/browser.sh (make browser).
const chromiumPath = "/usr/bin/chromium"

// step bounds one browser action; waits for a condition pass their own, longer timeout.
const step = 30 * time.Second

// browser is one headless Chromium with a fresh profile, driving one tab.
type browser struct {
	t    testing.TB
	ctx  context.Context
	base string

	mu       sync.Mutex
	problems []string // uncaught exceptions and security (CSP) errors seen in the page

	downloadDir string               // where the tab saves downloads, each under its GUID
	downloads   map[string]*download // by GUID
	downloaded  chan struct{}        // closed (and replaced) when a download starts or ends
}

// download is a file the page handed to the browser to save.
type download struct {
	name      string // the name the page suggested (a.download)
	state     cdpbrowser.DownloadProgressState
	collected bool
}

func newBrowser(t testing.TB, base string, width, height int64) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s is missing: run deploy/browser.sh (make browser)", chromiumPath)
	}
	// Without the background-networking flags Chromium tries to reach Google's services,
	// and this machine's closed network answers with refused connections.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	)
	if os.Getenv("WEBTEST_CHROMIUM_LOG") != "" {
		opts = append(opts, chromedp.CombinedOutput(os.Stderr))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t, base: base, downloadDir: t.TempDir(), downloads: map[string]*download{}, downloaded: make(chan struct{})}
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser and binds it to the context it gets: give it the
	// tab's own context, not one with a step timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	b.do(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, log.Enable, cdp.Empty{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: b.downloadDir, EventsEnabled: new(true)})
			return err
		}),
		chromedp.EmulateViewport(width, height),
	)
	return b
}

func (b *browser) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *cdpruntime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
		b.problems = append(b.problems, fmt.Sprintf("uncaught exception: %s (%s:%d)", msg, ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber))
	case *log.EventEntryAdded:
		if e := ev.Entry; e != nil && (e.Source == log.EntrySourceSecurity || e.Source == log.EntrySourceJavascript) {
			b.problems = append(b.problems, fmt.Sprintf("%s %s: %s", e.Source, e.Level, e.Text))
		}
	case *cdpbrowser.EventDownloadWillBegin:
		b.downloads[ev.GUID] = &download{name: ev.SuggestedFilename, state: cdpbrowser.DownloadProgressStateInProgress}
		close(b.downloaded)
		b.downloaded = make(chan struct{})
	case *cdpbrowser.EventDownloadProgress:
		if d := b.downloads[ev.GUID]; d != nil && ev.State != d.state {
			d.state = ev.State
			close(b.downloaded)
			b.downloaded = make(chan struct{})
		}
	}
}

// savedFile waits until the browser has saved a download the page named name (one not
// collected before) and returns its content.
func (b *browser) savedFile(name string) []byte {
	b.t.Helper()
	timeout := time.NewTimer(step)
	defer timeout.Stop()
	for {
		b.mu.Lock()
		for guid, d := range b.downloads {
			if d.name != name || d.collected || d.state == cdpbrowser.DownloadProgressStateInProgress {
				continue
			}
			d.collected = true
			b.mu.Unlock()
			if d.state != cdpbrowser.DownloadProgressStateCompleted {
				b.t.Fatalf("download of %s ended %s", name, d.state)
			}
			data, err := os.ReadFile(filepath.Join(b.downloadDir, guid))
			if err != nil {
				b.t.Fatal(err)
			}
			return data
		}
		changed := b.downloaded
		b.mu.Unlock()
		select {
		case <-changed:
		case <-timeout.C:
			b.t.Fatalf("the browser saved no download named %s within %v", name, step)
		}
	}
}

// assertNoProblems fails the test if the page threw or broke its Content-Security-Policy.
func (b *browser) assertNoProblems() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Errorf("browser: %s", p)
	}
	b.problems = nil
}

func caller() string {
	_, file, line, _ := runtime.Caller(2)
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser step at %s: %v", caller(), err)
	}
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// eval runs a JavaScript expression and decodes its value.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s at %s: %v", expr, caller(), err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true; it is how every test waits. A
// navigation destroys the page's JavaScript context under a running poll; then it polls
// again in the new page.
func (b *browser) waitFor(what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		ctx, cancel := context.WithTimeout(b.ctx, left+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
			chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(left)))
		cancel()
		if err == nil {
			return
		}
		if errors.Is(err, chromedp.ErrPollingTimeout) || time.Now().After(deadline) || b.ctx.Err() != nil {
			b.mu.Lock()
			problems := strings.Join(b.problems, "\n")
			b.mu.Unlock()
			b.t.Fatalf("waiting at %s for %s (%s): %v\npage problems: %s\nbody: %s", caller(), what, expr, err, problems, b.bodyText())
		}
		time.Sleep(50 * time.Millisecond) // the page is navigating; poll again in the new one
	}
}

func (b *browser) bodyText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return s
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

func (b *browser) waitVisible(css string) {
	b.t.Helper()
	b.waitFor(css+" visible", `(() => { const e = document.querySelector(`+js(css)+`); return !!e && !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length); })()`, step)
}

func (b *browser) waitPath(path string) {
	b.t.Helper()
	b.waitFor("page "+path, `location.pathname === `+js(path)+` && document.readyState === "complete"`, step)
}

func (b *browser) click(css string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(css), chromedp.NodeVisible))
}

func (b *browser) typeInto(css, text string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(css), text, chromedp.NodeVisible))
}

// clearField empties a text field as a person would: select its text, press Backspace.
func (b *browser) clearField(css string) {
	b.t.Helper()
	b.do(chromedp.Focus(chromedp.CSS(css)))
	eval[chromedp.Void](b, `document.querySelector(`+js(css)+`).select()`)
	b.key(kb.Backspace)
}

// typeDate types a date into an <input type=date> in the order of the browser's locale
// (mm/dd/yyyy under en-US, dd/mm/yyyy under vi-VN), as a person would.
func (b *browser) typeDate(css string, year, month, day int) {
	b.t.Helper()
	order := eval[string](b, `new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2000, 10, 22))
		.filter(p => p.type !== "literal").map(p => p.type[0]).join("")`)
	parts := map[rune]string{'y': fmt.Sprintf("%04d", year), 'm': fmt.Sprintf("%02d", month), 'd': fmt.Sprintf("%02d", day)}
	var keys string
	for _, r := range order {
		keys += parts[r]
	}
	b.typeInto(css, keys)
}

func (b *browser) text(css string) string {
	b.t.Helper()
	return eval[string](b, `(() => { const e = document.querySelector(`+js(css)+`); return e ? e.textContent.trim() : "<missing>"; })()`)
}

// key presses one key (kb constants) in the focused element.
func (b *browser) key(k string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(k))
}

// setOffline cuts the tab's network (and says so to navigator.onLine) or restores it.
func (b *browser) setOffline(offline bool) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var conds []*network.Conditions
		if offline {
			conds = []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}}
		}
		if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: offline, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// screenshot writes a full-page PNG into artifacts/screenshots.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	return b.writeScreenshot(name, chromedp.FullScreenshot(100))
}

// screenshotViewport writes what the screen shows, as a PNG.
func (b *browser) screenshotViewport(name string) string {
	b.t.Helper()
	return b.writeScreenshot(name, chromedp.CaptureScreenshot())
}

func (b *browser) writeScreenshot(name string, shot chromedp.Action[[]byte]) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return p
}

// login gives the browser the session of an API client logged in with the token, as the
// login page leaves it: the session and csrf cookies (the same token backs the bearer form
// and the cookie) and, in localStorage, only who is logged in.
func (b *browser) login(c *testenv.Client) {
	b.t.Helper()
	var me struct {
		ID       int64  `json:"id"`
		FullName string `json:"full_name"`
		Role     string `json:"role"`
	}
	c.Expect(200, "GET", "/api/v1/me", nil).JSON(b.t, &me)
	b.open("/dang-nhap")
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookies, network.SetCookiesParams{Cookies: []*network.CookieParam{
			{Name: api.SessionCookieName(), Value: c.Token, URL: b.base, Path: "/", Secure: true, HTTPOnly: true, SameSite: network.CookieSameSiteStrict},
			{Name: api.CSRFCookieName(), Value: api.CSRFToken(c.Token), URL: b.base, Path: "/", Secure: true, SameSite: network.CookieSameSiteStrict},
		}})
		return err
	}))
	profile, _ := json.Marshal(map[string]any{"role": me.Role, "user": me.ID, "name": me.FullName})
	eval[chromedp.Void](b, `localStorage.setItem("contest.session", `+js(string(profile))+`)`)
}

// cookies are the browser's cookies for the site.
func (b *browser) cookies() []*network.Cookie {
	b.t.Helper()
	var out []*network.Cookie
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base}})
		out = res.Cookies
		return err
	}))
	return out
}

// attemptID is the attempt the quiz page remembers.
func (b *browser) attemptID() int64 {
	b.t.Helper()
	return eval[int64](b, `JSON.parse(localStorage.getItem("contest.attempt")).id`)
}

// startQuiz opens the quiz page of a logged-in participant and starts the attempt.
func (b *browser) startQuiz() int64 {
	b.t.Helper()
	b.open("/thi")
	b.waitVisible("#start-button")
	b.click("#start-button")
	b.waitFor("questions", `document.querySelectorAll("#questions fieldset.question").length > 0 && !document.querySelector("#quiz").hidden`, step)
	return b.attemptID()
}

// answer picks an option by clicking its label, as a finger would. The label is first
// brought to the middle of the screen, clear of the sticky timer bar, and the click waits
// until it has stopped moving: on a busy machine the page may still lay itself out after
// the questions appear, and a click computed before that lands beside the label.
func (b *browser) answer(no int, key string) {
	b.t.Helper()
	label := fmt.Sprintf(`label[for="q%d-%s"]`, no, key)
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%s).scrollIntoView({block: "center"})`, js(label))))
	b.waitFor("label "+label+" settled", fmt.Sprintf(`(() => { const r = document.querySelector(%s).getBoundingClientRect();
		const k = [r.x, r.y, r.width, r.height].join(); const same = window.__answerRect === k; window.__answerRect = k; return same; })()`, js(label)), step)
	b.click(label)
}

func (b *browser) waitSaveState(no int, state string) {
	b.t.Helper()
	b.waitFor(fmt.Sprintf("question %d %s", no, state),
		fmt.Sprintf(`document.querySelector("#q%d-state").getAttribute("data-state") === %s`, no, js(state)), step)
}

// skewDeviceClock makes Date.now() in every page of the tab run off by d, as on a phone
// whose clock is wrong; the pages must follow the server's clock anyway.
func skewDeviceClock(d time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: fmt.Sprintf(`(() => { const real = Date.now.bind(Date); Date.now = () => real() + (%d); })();`, d.Milliseconds()),
		})
		return err
	})
}
