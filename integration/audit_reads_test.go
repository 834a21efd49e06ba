//go:build integration

package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/seed"
	"github.com/hpcontest/contest/internal/testenv"
)

// A staff read of a round's questions with their keys and a clip download each leave an
// audit entry: who, which round or clip, from which address. Other reads leave none.
func TestKeyReadsAndClipDownloadsAreAudited(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	code := seed.DefaultCampaignCode
	secretariat, committee := s.Staff(t, "secretariat"), s.Staff(t, "committee")
	var agencies []struct{ ID int64 }
	s.NewClient(t).Expect(http.StatusOK, "GET", "/api/v1/agencies", nil).JSON(t, &agencies)
	s.PastVideoDeadline(t, 48*time.Hour)
	var clip struct{ ID int64 }
	secretariat.Multipart("/api/v1/campaigns/"+code+"/videos", map[string]string{"agency_id": fmt.Sprint(agencies[0].ID),
		"title": "Một cửa", "format": "report", "duration": "5:00", "received_on": daysAgo(t, 4)},
		"file", "clip.mp4", []byte("clip bytes")).JSON(t, &clip)
	if clip.ID == 0 {
		t.Fatal("clip not recorded")
	}

	secretariat.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/rounds/1/questions", nil)
	committee.Expect(http.StatusOK, "GET", fmt.Sprintf("/api/v1/campaigns/%s/videos/%d/file", code, clip.ID), nil)
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/videos", nil) // a list: not audited

	var entries []struct {
		Role    string          `json:"role"`
		Method  string          `json:"method"`
		Path    string          `json:"path"`
		Status  int             `json:"status"`
		IP      string          `json:"ip"`
		Details json.RawMessage `json:"details"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/audit", nil).JSON(t, &entries)
	reads := map[string]map[string]any{}
	for _, e := range entries {
		if e.Method != http.MethodGet {
			continue
		}
		var d map[string]any
		_ = json.Unmarshal(e.Details, &d)
		if e.IP == "" || e.Status != http.StatusOK {
			t.Errorf("audited read %+v lacks the address or the status", e)
		}
		reads[e.Role+" "+e.Path] = d
	}
	keys := reads["secretariat /api/v1/campaigns/"+code+"/rounds/1/questions"]
	if keys["read"] != "round_questions_with_keys" || keys["round"] != float64(1) {
		t.Errorf("question set read audited as %v (all reads %v)", keys, reads)
	}
	file := reads[fmt.Sprintf("committee /api/v1/campaigns/%s/videos/%d/file", code, clip.ID)]
	if file["read"] != "video_file" || file["video_entry"] != float64(clip.ID) {
		t.Errorf("clip download audited as %v (all reads %v)", file, reads)
	}
	if len(reads) != 2 {
		t.Errorf("audited reads %v, want only the question set and the clip", reads)
	}
}
