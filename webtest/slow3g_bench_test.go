//go:build integration

package webtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/testenv"
)

// Slow 3G as the benchmark emulates it: 400 kbit/s down and up, 400 ms round trip.
const (
	slow3GBytesPerSecond = 400_000 / 8
	slow3GLatencyMs      = 400
)

// identityProxy fronts the stack and, with stripEncoding, removes Accept-Encoding from
// every request: the browser then gets what the server sent before compression. Both arms
// of the benchmark go through a proxy, so they differ only in compression. Its transport
// never asks for gzip itself (DisableCompression), or Go would decompress behind it.
func identityProxy(tb testing.TB, target string, stripEncoding bool) string {
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p := &httputil.ReverseProxy{
		Transport: &http.Transport{DisableCompression: true, ForceAttemptHTTP2: false},
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.Out.Host = r.In.Host
			if stripEncoding {
				r.Out.Header.Del("Accept-Encoding")
			}
		},
	}
	srv := httptest.NewServer(p)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// throttle applies slow 3G to the tab and turns its cache off, so every load is cold.
func (b *browser) throttle() {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{Latency: slow3GLatencyMs,
				DownloadThroughput: slow3GBytesPerSecond, UploadThroughput: slow3GBytesPerSecond, ConnectionType: network.ConnectionTypeCellular3g}}})
		return err
	}))
}

// pageTimes are what the Navigation and Paint Timing APIs say of the page just loaded:
// first contentful paint, load event end, and the bytes that crossed the network.
type pageTimes struct {
	FCP      float64 `json:"fcp"`
	Load     float64 `json:"load"`
	Transfer float64 `json:"transfer"`
}

func (b *browser) pageTimes() pageTimes {
	b.t.Helper()
	b.waitFor("the load event", `performance.getEntriesByType("navigation").length > 0 && performance.getEntriesByType("navigation")[0].loadEventEnd > 0 &&
		performance.getEntriesByName("first-contentful-paint").length > 0`, 2*time.Minute)
	return eval[pageTimes](b, `(() => {
		const nav = performance.getEntriesByType("navigation")[0];
		const bytes = [nav].concat(performance.getEntriesByType("resource")).reduce((s, e) => s + (e.transferSize || 0), 0);
		return { fcp: performance.getEntriesByName("first-contentful-paint")[0].startTime, load: nav.loadEventEnd, transfer: bytes };
	})()`)
}

// BenchmarkSlow3G loads the landing page and the login page, then logs in and waits for
// the quiz page to be ready to start, on an emulated slow 3G connection with a cold cache,
// without and with compression. It reports first-contentful-paint, load and kB moved per
// page as metrics: a measurement, never an assertion (docs/performance.md has the figures).
//
//	go test -tags integration -run '^$' -bench BenchmarkSlow3G -benchtime 3x ./webtest/
func BenchmarkSlow3G(b *testing.B) {
	s := testenv.New(b, testenv.Options{})
	var agencies []struct{ ID int64 }
	s.NewClient(b).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(b, &agencies)
	phone, password := testenv.UniquePhone(), "mat-khau-thu"
	s.NewClient(b).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Nguyễn Văn Đo", "date_of_birth": "1988-05-17", "phone": phone,
		"agency_id": agencies[0].ID, "position": "Chuyên viên", "password": password,
	})
	for _, arm := range []struct {
		name  string
		strip bool
	}{{"identity", true}, {"gzip", false}} {
		base := identityProxy(b, s.URL, arm.strip)
		b.Run(arm.name, func(b *testing.B) {
			br := newBrowser(b, base, 360, 740)
			br.throttle()
			var landing, login, quiz pageTimes
			var loginToReady time.Duration
			b.ResetTimer()
			for range b.N {
				br.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
					return err
				}))
				br.open("/")
				landing = add(landing, br.pageTimes())
				br.open("/dang-nhap")
				login = add(login, br.pageTimes())
				br.typeInto("#login-phone", phone)
				br.typeInto("#login-password", password)
				start := time.Now()
				br.click("#login-submit")
				br.waitPath("/thi")
				br.waitVisible("#start-button")
				loginToReady += time.Since(start)
				quiz = add(quiz, br.pageTimes())
			}
			n := float64(b.N)
			b.ReportMetric(landing.FCP/n, "landing-fcp-ms")
			b.ReportMetric(landing.Load/n, "landing-load-ms")
			b.ReportMetric(landing.Transfer/n/1000, "landing-kB")
			b.ReportMetric(login.FCP/n, "login-fcp-ms")
			b.ReportMetric(login.Load/n, "login-load-ms")
			b.ReportMetric(quiz.FCP/n, "quiz-fcp-ms")
			b.ReportMetric(quiz.Load/n, "quiz-load-ms")
			b.ReportMetric(quiz.Transfer/n/1000, "quiz-kB")
			b.ReportMetric(float64(loginToReady.Milliseconds())/n, "login-to-quiz-ready-ms")
		})
	}
}

func add(a, b pageTimes) pageTimes {
	return pageTimes{FCP: a.FCP + b.FCP, Load: a.Load + b.Load, Transfer: a.Transfer + b.Transfer}
}
