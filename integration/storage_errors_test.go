//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// A clip that cannot be written (VIDEO_DIR is under a regular file: ENOTDIR even for root,
// whom permissions do not stop) answers storage_error in Vietnamese, not "lost connection to
// the database", and records no entry.
func TestUnwritableVideoDirAnswersStorageError(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := testenv.New(t, testenv.Options{NoWorker: true, VideoDir: filepath.Join(blocker, "videos")})
	code := seed.DefaultCampaignCode
	var agencies []struct{ ID int64 }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	s.PastVideoDeadline(t, 48*time.Hour)
	r := s.Staff(t, "secretariat").Multipart("/api/v1/campaigns/"+code+"/videos", map[string]string{"agency_id": fmt.Sprint(agencies[0].ID),
		"title": "Một cửa", "format": "report", "duration": "5:00", "received_on": daysAgo(t, 4)},
		"file", "clip.mp4", []byte("clip bytes"))
	if r.Status != http.StatusInternalServerError || r.ErrorCode() != "storage_error" || !strings.Contains(string(r.Body), "lưu trữ") {
		t.Fatalf("status %d %s, want 500 storage_error in Vietnamese", r.Status, r.Body)
	}
	var n int
	if err := s.Store.Pool().QueryRow(t.Context(), `SELECT count(*) FROM video_entries`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d video entries (%v), want none", n, err)
	}
}
