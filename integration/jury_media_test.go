//go:build integration

package integration

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/api"
	"github.com/hpcontest/contest/internal/testenv"
)

// rawGet sends a GET with exactly the given headers (Go's client adds no Accept-Encoding
// of its own when one is given, and then hands back the bytes as sent).
func rawGet(t *testing.T, url string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// clipBytes is a stored clip's content: every byte value in turn, so a wrong offset shows.
func clipBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

// TestJuryPlaysClipsByRangeAndScoresWithADecimalComma: a stored clip is served inline as
// video/mp4 to the jury under the session cookie alone (as a <video src> asks), a Range
// request answers 206 with exactly those bytes and their Content-Range, never compressed;
// a participant and a focal point get 403, no session 401. A sheet typed "0,5" is stored
// as 0.5 with its comment, which the committee reads; "1.500" (1.5 or 1500?) is refused
// with a Vietnamese message and stores nothing.
// Before this change the file was an attachment of type application/octet-stream, and
// "0,5" was refused as not a number (the points had to be JSON numbers).
func TestJuryPlaysClipsByRangeAndScoresWithADecimalComma(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	ctx := context.Background()
	secretariat, committee, juror := s.Staff(t, "secretariat"), s.Staff(t, "committee"), s.Staff(t, "jury")
	ids := cityDepartments(t, s, 1)
	s.PastVideoDeadline(t, time.Hour)
	clip := clipBytes(64 << 10)
	r := secretariat.Multipart(videosPath+"/videos", map[string]string{"agency_id": fmt.Sprint(ids[0]), "title": "Một cửa số",
		"format": "report", "duration": "5:00", "received_on": daysAgo(t, 2)}, "file", "mot-cua.mp4", clip)
	if r.Status != http.StatusCreated {
		t.Fatalf("record clip: %d %s", r.Status, r.Body)
	}
	var created struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &created)
	fileURL := fmt.Sprintf("%s%s/videos/%d/file", s.URL, videosPath, created.ID)
	cookie := api.SessionCookieName() + "=" + juror.Token

	resp, body := rawGet(t, fileURL, map[string]string{"Cookie": cookie, "Range": "bytes=1000-1999", "Accept-Encoding": "gzip"})
	if resp.StatusCode != http.StatusPartialContent {
		t.Fatalf("range request: %d %s", resp.StatusCode, body)
	}
	if got, want := resp.Header.Get("Content-Range"), fmt.Sprintf("bytes 1000-1999/%d", len(clip)); got != want {
		t.Fatalf("Content-Range %q, want %q", got, want)
	}
	if !bytes.Equal(body, clip[1000:2000]) || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("range body: %d bytes, encoding %q", len(body), resp.Header.Get("Content-Encoding"))
	}
	if resp.Header.Get("Content-Type") != "video/mp4" || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("headers %v", resp.Header)
	}
	resp, body = rawGet(t, fileURL, map[string]string{"Cookie": cookie, "Accept-Encoding": "gzip"})
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, clip) || resp.Header.Get("Content-Encoding") != "" ||
		resp.Header.Get("Content-Disposition") != `inline; filename=mot-cua.mp4` {
		t.Fatalf("whole clip: %d, %d bytes, headers %v", resp.StatusCode, len(body), resp.Header)
	}
	resp, _ = rawGet(t, fileURL, map[string]string{"Cookie": cookie, "Range": fmt.Sprintf("bytes=%d-", len(clip)+10)})
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("range past the end: %d", resp.StatusCode)
	}

	participant := s.Participant(t)
	focal := focalPoint(t, s, ids[0])
	for name, c := range map[string]*testenv.Client{"participant": participant, "focal point": focal} {
		resp, body := rawGet(t, fileURL, map[string]string{"Cookie": api.SessionCookieName() + "=" + c.Token, "Range": "bytes=0-9"})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s reads the clip: %d %s", name, resp.StatusCode, body)
		}
	}
	if resp, _ := rawGet(t, fileURL, map[string]string{"Range": "bytes=0-9"}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no session: %d", resp.StatusCode)
	}

	// Scores as typed.
	scoresPath := fmt.Sprintf("%s/videos/%d/scores", videosPath, created.ID)
	typed := func(first string) map[string]any {
		return map[string]any{"points": map[string]any{"noi_dung": first, "sang_tao": "20", "ky_thuat": 15.5, "hinh_thuc": "7,25"},
			"comment": "Hình ảnh đẹp, lời bình hơi nhanh."}
	}
	r = juror.Do("POST", scoresPath, typed("1.500"))
	if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "score_ambiguous" || !bytes.Contains(r.Body, []byte("dấu phẩy")) {
		t.Fatalf("ambiguous score: %d %s", r.Status, r.Body)
	}
	r = juror.Do("POST", scoresPath, typed("năm"))
	if r.Status != http.StatusBadRequest || !bytes.Contains(r.Body, []byte("phải là một số")) {
		t.Fatalf("not a number: %d %s", r.Status, r.Body)
	}
	var sheets int
	if err := s.Store.Pool().QueryRow(ctx, `SELECT count(*) FROM jury_scores`).Scan(&sheets); err != nil || sheets != 0 {
		t.Fatalf("%d sheets stored after refusals (%v)", sheets, err)
	}
	var saved struct {
		Total float64 `json:"total"`
	}
	juror.Expect(http.StatusCreated, "POST", scoresPath, typed("0,5")).JSON(t, &saved)
	if want := 0.5 + 20 + 15.5 + 7.25; saved.Total != want {
		t.Fatalf("total %v, want %v", saved.Total, want)
	}
	var scores []struct {
		EntryID int64              `json:"entry_id"`
		Points  map[string]float64 `json:"points"`
		Comment string             `json:"comment"`
	}
	committee.Expect(http.StatusOK, "GET", videosPath+"/jury/scores", nil).JSON(t, &scores)
	if len(scores) != 1 || scores[0].Points["noi_dung"] != 0.5 || scores[0].Points["hinh_thuc"] != 7.25 || scores[0].Comment != "Hình ảnh đẹp, lời bình hơi nhanh." {
		t.Fatalf("committee reads %+v", scores)
	}
}
