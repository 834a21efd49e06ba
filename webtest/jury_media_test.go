//go:build integration

package webtest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// recordWebM has the browser film a canvas for about a second (MediaRecorder, VP8) and
// returns the WebM file: a real clip to upload, made on the spot instead of a binary
// fixture in the repository.
func (b *browser) recordWebM() []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	encoded, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const c = document.createElement("canvas"); c.width = 320; c.height = 180;
		const g = c.getContext("2d");
		const rec = new MediaRecorder(c.captureStream(15), { mimeType: "video/webm;codecs=vp8" });
		const chunks = [];
		rec.ondataavailable = e => { if (e.data.size) chunks.push(e.data); };
		const stopped = new Promise(r => { rec.onstop = r; });
		let i = 0;
		const draw = () => { g.fillStyle = "hsl(" + (i * 40) + ",60%,45%)"; g.fillRect(0, 0, 320, 180);
			g.fillStyle = "#fff"; g.font = "28px sans-serif"; g.fillText("Video dự thi " + i, 20, 100); i++; };
		draw();
		rec.start(250);
		const timer = setInterval(draw, 66);
		await new Promise(r => setTimeout(r, 1200));
		clearInterval(timer); rec.stop(); await stopped;
		const bytes = new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer());
		let s = ""; for (let k = 0; k < bytes.length; k += 8192) { s += String.fromCharCode.apply(null, bytes.subarray(k, k + 8192)); }
		return btoa(s);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("record a clip in the browser: %v", err)
	}
	clip, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(clip) < 200 {
		b.t.Fatalf("recorded clip: %d bytes, %v", len(clip), err)
	}
	return clip
}

// TestJuryWatchesTheClipAndScoresWithADecimalComma: the jury's page shows each stored clip
// in a <video> that loads its metadata from the API (range requests under the session
// cookie); the juror types "0,5" for a criterion and a comment, the total says 0,5 and the
// stored sheet holds 0.5 and the comment, which the committee's page shows. Screenshots at
// 360 and 1280 px. Before this change there was no player, and the number input read
// "0,5" by the browser's locale (5 or nothing).
func TestJuryWatchesTheClipAndScoresWithADecimalComma(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	const code = seed.DefaultCampaignCode
	committee, secretariat, jury := s.Staff(t, "committee"), s.Staff(t, "secretariat"), s.Staff(t, "jury")
	_, byCode := listAgencies(t, s)
	s.PastVideoDeadline(t, time.Hour)
	b := newBrowser(t, s.URL, 1280, 900)
	b.open("/dang-nhap")
	clip := b.recordWebM()
	yesterday := time.Now().AddDate(0, 0, -1).In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly)
	r := secretariat.Multipart("/api/v1/campaigns/"+code+"/videos", map[string]string{"agency_id": fmt.Sprint(byCode["so-tu-phap"].ID),
		"title": "Một cửa thân thiện", "format": "report", "duration": "0:01", "received_on": yesterday}, "file", "mot-cua.webm", clip)
	if r.Status != http.StatusCreated {
		t.Fatalf("record the clip: %d %s", r.Status, r.Body)
	}
	var created struct{ ID int64 }
	r.JSON(t, &created)
	id := created.ID

	b.login(jury)
	b.open("/giam-khao")
	video := fmt.Sprintf("#clip-video-%d", id)
	b.waitVisible(video)
	b.waitFor("the clip's metadata loaded", `document.querySelector(`+js(video)+`).readyState >= 1 && document.querySelector(`+js(video)+`).videoWidth === 320`, step)
	if errCode := eval[int](b, `(() => { const v = document.querySelector(`+js(video)+`); return v.error ? v.error.code : 0; })()`); errCode != 0 {
		t.Fatalf("the player reports media error %d", errCode)
	}
	for c, v := range map[string]string{"noi_dung": "0,5", "sang_tao": "20", "ky_thuat": "12,25", "hinh_thuc": "8"} {
		b.typeInto(fmt.Sprintf("#score-%d-%s", id, c), v)
	}
	b.typeInto(fmt.Sprintf("#score-comment-%d", id), "Ý tưởng tốt, âm thanh còn rè.")
	if got := b.text(fmt.Sprintf("#total-%d", id)); got != "40,75/100" {
		t.Fatalf("weighted total shown as %q, want 40,75/100", got)
	}
	b.assertAccessible("/giam-khao (a clip playing)")
	b.shootWidths("jury-video")
	b.do(chromedp.EmulateViewport(1280, 900))
	b.click(fmt.Sprintf("#score-submit-%d", id))
	b.waitVisible(fmt.Sprintf("#clip-%d .scored-note", id))
	if got := b.text(fmt.Sprintf("#clip-%d .scored-note", id)); got != "Đã chấm. Tổng điểm của bạn: 40,75/100." {
		t.Fatalf("scored note %q", got)
	}
	var scores []struct {
		Points  map[string]float64 `json:"points"`
		Comment string             `json:"comment"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/jury/scores", nil).JSON(t, &scores)
	if len(scores) != 1 || scores[0].Points["noi_dung"] != 0.5 || scores[0].Points["ky_thuat"] != 12.25 || scores[0].Comment != "Ý tưởng tốt, âm thanh còn rè." {
		t.Fatalf("stored sheet %+v", scores)
	}

	b.login(committee)
	b.open("/ban-to-chuc")
	b.waitVisible("#jury-comments-table")
	if got := b.rowWith("#jury-comments-table", "Một cửa thân thiện"); !strings.Contains(got, "Ý tưởng tốt, âm thanh còn rè.") || !strings.Contains(got, "40,75") {
		t.Fatalf("committee's comments row %q", got)
	}
	b.screenshot("committee-jury-comments")
}
