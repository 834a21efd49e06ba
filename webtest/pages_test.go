//go:build integration

package webtest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hpcontest/contest/internal/testenv"
)

// Full-page screenshots of every page at a phone's width (360 px) and a desktop's
// (1280 px), into artifacts/screenshots/, for people to look at. The test also checks that
// nothing is wider than the screen.
func TestScreenshots(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	b := newBrowser(t, s.URL, 360, 740)
	widths := []int64{360, 1280}
	viewport := func(w int64) {
		h := int64(740)
		if w > 800 {
			h = 900
		}
		b.do(chromedp.EmulateViewport(w, h))
	}
	shoot := func(name string, w int64) {
		t.Helper()
		// At any width the page must fit: no horizontal scrolling.
		if over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
			t.Errorf("%s at %d px is %v px wider than the screen", name, w, over)
		}
		b.screenshot(fmt.Sprintf("%s-%d", name, w))
	}

	for _, w := range widths {
		viewport(w)
		b.open("/")
		b.waitVisible("#round .round-name")
		shoot("landing", w)
		b.open("/dang-ky")
		b.waitVisible("#agency-list input[type=radio]")
		shoot("register", w)
		b.open("/dang-nhap")
		b.waitVisible("#login-form")
		shoot("login", w)
		b.open("/nhung")
		b.waitVisible("#round .round-name")
		shoot("embed", w)
	}

	// The register page with an agency search and an API error.
	viewport(360)
	b.open("/dang-ky")
	b.waitVisible("#agency-list input[type=radio]")
	b.typeInto("#agency-search", "lê chân")
	b.waitFor("filtered", `document.querySelector("#agency-count").textContent.startsWith("4 ")`, step)
	b.click(`label[for="` + eval[string](b, `[...document.querySelectorAll("#agency-list label")].find(l => l.offsetParent !== null).htmlFor`) + `"]`)
	b.click("#register-submit")
	b.waitVisible("#register-error")
	shoot("register-error", 360)

	// The quiz: answers saved, one that could not be saved while offline.
	b.login(p)
	attemptID := b.startQuiz()
	keys := s.CorrectKeys(t, attemptID)
	b.answer(1, keys[1])
	b.waitSaveState(1, "saved")
	b.answer(2, wrongKey(keys[2]))
	b.waitSaveState(2, "saved")
	b.setOffline(true)
	b.answer(3, keys[3])
	b.waitSaveState(3, "failed")
	b.waitVisible("#offline-banner")
	b.do(chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	shoot("quiz-offline", 360)
	b.setOffline(false)
	b.waitSaveState(3, "saved")
	b.waitFor("banner gone", `document.querySelector("#offline-banner").hidden`, step)
	for _, w := range widths {
		viewport(w)
		shoot("quiz", w)
	}

	// Submitting asks for confirmation first.
	viewport(360)
	b.click("#submit-button")
	b.waitVisible("#confirm")
	b.screenshotViewport("quiz-confirm-360") // a modal dialog sits in the viewport
	b.click("#confirm-yes")
	b.waitVisible("#done #result")
	for _, w := range widths {
		viewport(w)
		shoot("quiz-done", w)
	}
	b.open("/ket-qua")
	b.waitVisible("#my-result .result-score")
	for _, w := range widths {
		viewport(w)
		shoot("result", w)
	}
	b.assertNoProblems()
}

// accessibilityProblems lists, for the page as rendered: controls without a label,
// buttons and links without a name, text below WCAG AA contrast, and a missing language,
// title or h1.
const accessibilityProblems = `(() => {
  const problems = [];
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const named = ids => (ids || "").split(/\s+/).some(id => id && document.getElementById(id) && document.getElementById(id).textContent.trim());
  document.querySelectorAll("input, select, textarea").forEach(e => {
    if (e.type === "hidden") return;
    const label = e.labels && [...e.labels].some(l => l.textContent.trim());
    if (!label && !(e.getAttribute("aria-label") || "").trim() && !named(e.getAttribute("aria-labelledby")))
      problems.push("control without label: " + (e.id || e.name || e.outerHTML.slice(0, 80)));
  });
  document.querySelectorAll("a[href], button").forEach(e => {
    if (visible(e) && !e.textContent.trim() && !(e.getAttribute("aria-label") || "").trim())
      problems.push("unnamed " + e.tagName.toLowerCase() + ": " + e.outerHTML.slice(0, 80));
  });
  if (document.documentElement.lang !== "vi") problems.push("html lang is " + document.documentElement.lang);
  if (!document.title.trim()) problems.push("empty title");
  if (document.querySelectorAll("h1").length !== 1) problems.push(document.querySelectorAll("h1").length + " h1 elements");

  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = e => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.99) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const n = walker.currentNode, e = n.parentElement;
    if (!n.textContent.trim() || seen.has(e)) continue;
    seen.add(e);
    if (!visible(e) || e.closest(".visually-hidden, :disabled")) continue;
    const cs = getComputedStyle(e);
    const fg = parse(cs.color), bg = background(e);
    const l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) problems.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + e.tagName.toLowerCase() + "." + e.className + " " + JSON.stringify(n.textContent.trim().slice(0, 40)));
  }
  return problems;
})()`

func (b *browser) assertAccessible(page string) {
	b.t.Helper()
	for _, p := range eval[[]string](b, accessibilityProblems) {
		b.t.Errorf("%s: %s", page, p)
	}
}

// tabTo presses Tab until the element with the given id has the focus, and returns the
// ids it passed through.
func (b *browser) tabTo(id string, max int) []string {
	b.t.Helper()
	var path []string
	for range max {
		b.key(kb.Tab)
		got := eval[string](b, `document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : ""`)
		path = append(path, got)
		if got == id {
			return path
		}
	}
	b.t.Fatalf("Tab never reached #%s; focus went through %v", id, path)
	return nil
}

func (b *browser) assertFocusVisible(css string) {
	b.t.Helper()
	style := eval[string](b, `getComputedStyle(`+css+`).outlineStyle + " " + getComputedStyle(`+css+`).outlineWidth`)
	if !strings.HasPrefix(style, "solid") || strings.HasPrefix(style, "solid 0px") {
		b.t.Errorf("focused %s shows no outline (%s)", css, style)
	}
}

// Every control on every page has a label, texts meet AA contrast, and the whole quiz can
// be taken with the keyboard alone: Tab reaches the answers and the submit button, Space
// and the arrow keys answer, Enter submits and confirms.
func TestAccessibilityAndKeyboardOnly(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	p := s.Participant(t)
	b := newBrowser(t, s.URL, 360, 740)

	for _, page := range []struct{ path, ready string }{
		{"/", "#round .round-name"}, {"/dang-ky", "#agency-list input[type=radio]"},
		{"/dang-nhap", "#login-form"}, {"/nhung", "#round .round-name"}, {"/ket-qua", "#my-result p"},
	} {
		b.open(page.path)
		b.waitVisible(page.ready)
		b.assertAccessible(page.path)
	}

	// The agency picker works from the keyboard: type, Tab into the list, arrows choose.
	b.open("/dang-ky")
	b.waitVisible("#agency-list input[type=radio]")
	b.do(chromedp.Focus(chromedp.CSS("#agency-search")))
	b.do(chromedp.KeyEvent("le chan"))
	b.waitFor("filtered", `document.querySelector("#agency-count").textContent.startsWith("4 ")`, step)
	b.key(kb.Tab)
	first := eval[string](b, `document.activeElement.id`)
	if !strings.HasPrefix(first, "agency-") {
		t.Fatalf("Tab from the search box went to %q, not into the agency list", first)
	}
	b.assertFocusVisible("document.activeElement")
	b.key(kb.ArrowDown)
	if got := b.text("#agency-selected"); !strings.Contains(got, "Đã chọn: UBND quận Lê Chân › UBND phường") {
		t.Fatalf("arrow key in the agency list selected %q", got)
	}

	// The quiz, keyboard only.
	b.login(p)
	b.open("/thi")
	b.waitVisible("#start-button")
	b.assertAccessible("/thi (start)")
	b.tabTo("start-button", 30)
	b.assertFocusVisible("document.activeElement")
	b.key(kb.Enter)
	b.waitFor("questions", `document.querySelectorAll("#questions fieldset.question").length === 10 && !document.querySelector("#quiz").hidden`, step)
	b.assertAccessible("/thi (quiz)")

	path := b.tabTo("q1-A", 10)
	b.assertFocusVisible(`document.activeElement.closest("label")`)
	b.key(" ")
	b.waitSaveState(1, "saved")
	b.key(kb.ArrowDown)
	b.waitFor("q1-B chosen and saved", `document.querySelector("#q1-B").checked && document.querySelector("#q1-state").dataset.state === "saved"`, step)
	path = append(path, b.tabTo("submit-button", 40)...)
	for no := 2; no <= 10; no++ {
		if !strings.Contains(strings.Join(path, " "), fmt.Sprintf("q%d-A", no)) {
			t.Errorf("Tab skipped question %d: %v", no, path)
		}
	}
	if !strings.Contains(strings.Join(path, " "), "prediction") {
		t.Errorf("Tab skipped the prediction: %v", path)
	}
	b.assertFocusVisible("document.activeElement")

	b.key(kb.Enter)
	b.waitFor("confirmation dialog", `document.querySelector("#confirm").open && document.activeElement.id === "confirm-no"`, step)
	b.assertAccessible("/thi (confirm)")
	b.key(kb.Tab)
	if got := eval[string](b, `document.activeElement.id`); got != "confirm-yes" {
		t.Fatalf("Tab in the dialog went to %q", got)
	}
	b.key(kb.Enter)
	b.waitFor("submitted", `!document.querySelector("#done").hidden && !!document.querySelector("#done #result")`, step+10*time.Second)
	if got := b.text("#done .result-status dd"); got != "Đã nộp bài" {
		t.Fatalf("result status %q", got)
	}
	b.assertAccessible("/thi (done)")
	b.open("/ket-qua")
	b.waitVisible("#my-result .result-score")
	// By default the score waits for the round's ranking, and the page says when it is due.
	if got := b.text("#my-result .result-score dd"); !strings.HasPrefix(got, "Số câu đúng được công bố sau khi tuần thi được xếp hạng, dự kiến từ ") {
		t.Fatalf("result page before the ranking shows %q, want when the score will be available", got)
	}
	b.assertAccessible("/ket-qua")
	b.assertNoProblems()
}
