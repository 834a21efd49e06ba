package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Criterion is one line of the jury's score sheet (campaign data).
type Criterion struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	MaxPoints float64 `json:"max_points"`
	Weight    float64 `json:"weight"`
}

// DefaultVideoCriteria is our default sheet, 100 points in all; campaigns may replace it.
var DefaultVideoCriteria = []Criterion{
	{Code: "noi_dung", Name: "Nội dung, thông điệp về sáng kiến cải cách hành chính", MaxPoints: 40, Weight: 1},
	{Code: "sang_tao", Name: "Tính sáng tạo, hấp dẫn", MaxPoints: 30, Weight: 1},
	{Code: "ky_thuat", Name: "Kỹ thuật quay dựng, hình ảnh, âm thanh", MaxPoints: 20, Weight: 1},
	{Code: "hinh_thuc", Name: "Hình thức thể hiện, thời lượng", MaxPoints: 10, Weight: 1},
}

// VideoEntryCheck says why a clip cannot be recorded: received on or after the deadline,
// or longer than the limit. An empty string means it can.
func VideoEntryCheck(receivedAt, deadline time.Time, duration, maxDuration time.Duration) string {
	switch {
	case !receivedAt.Before(deadline):
		return "video_late"
	case duration <= 0:
		return "video_duration_invalid"
	case duration > maxDuration:
		return "video_too_long"
	}
	return ""
}

// WeightedTotal checks a juror's points against the sheet and returns the weighted total.
// Every criterion must be scored, within 0 and its maximum, and nothing else.
func WeightedTotal(criteria []Criterion, points map[string]float64) (float64, error) {
	if len(points) != len(criteria) {
		return 0, fmt.Errorf("%d criteria scored, the sheet has %d", len(points), len(criteria))
	}
	total := 0.0
	for _, c := range criteria {
		p, ok := points[c.Code]
		if !ok {
			return 0, fmt.Errorf("criterion %q not scored", c.Code)
		}
		if math.IsNaN(p) || p < 0 || p > c.MaxPoints {
			return 0, fmt.Errorf("criterion %q: %v is outside 0..%v", c.Code, p, c.MaxPoints)
		}
		total += p * c.Weight
	}
	return total, nil
}

// JurorTotal is one juror's weighted total for one clip.
type JurorTotal struct {
	EntryID int64
	JurorID int64
	Total   float64
}

// VideoEntry is a recorded clip.
type VideoEntry struct {
	EntryID  int64
	AgencyID int64
}

// VideoResult is a clip's score and place.
type VideoResult struct {
	EntryID       int64   `json:"entry_id"`
	AgencyID      int64   `json:"agency_id"`
	Score         float64 `json:"score"` // mean of the jurors' weighted totals
	Jurors        int     `json:"jurors"`
	Rank          int     `json:"rank"`
	Prize         string  `json:"prize,omitempty"`
	UnresolvedTie bool    `json:"unresolved_tie"`
}

// RankVideos scores each clip as the mean of its jurors' weighted totals and ranks them;
// equal scores share a rank, and a tie across a prize boundary is flagged, not broken.
// A clip no juror scored has score 0 and ranks last.
func RankVideos(entries []VideoEntry, totals []JurorTotal, prizes PrizeCounts) []VideoResult {
	sum := map[int64]float64{}
	n := map[int64]int{}
	for _, t := range totals {
		sum[t.EntryID] += t.Total
		n[t.EntryID]++
	}
	out := make([]VideoResult, len(entries))
	for i, e := range entries {
		r := VideoResult{EntryID: e.EntryID, AgencyID: e.AgencyID, Jurors: n[e.EntryID]}
		if r.Jurors > 0 {
			// Rounded to 1/1000 of a point so that float noise never splits a real tie.
			r.Score = math.Round(sum[e.EntryID]/float64(r.Jurors)*1000) / 1000
		}
		out[i] = r
	}
	slices.SortFunc(out, func(a, b VideoResult) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.EntryID, b.EntryID)
	})
	assignPlaces(len(out), func(i, j int) bool { return out[i].Score == out[j].Score }, prizes,
		func(i, rank int, prize string, tie bool) {
			out[i].Rank, out[i].Prize, out[i].UnresolvedTie = rank, prize, tie
		})
	return out
}

// assignPlaces gives competition ranks and prizes over an ordered list, flagging groups of
// equals that straddle a prize boundary.
func assignPlaces(n int, equal func(i, j int) bool, prizes PrizeCounts, set func(i, rank int, prize string, tie bool)) {
	levels := prizeLevels(prizes)
	for start := 0; start < n; {
		end := start + 1
		for end < n && equal(start, end) {
			end++
		}
		distinct := map[string]bool{}
		for i := start; i < end; i++ {
			if i < len(levels) {
				distinct[levels[i]] = true
			} else {
				distinct[""] = true
			}
		}
		tie := end-start > 1 && len(distinct) > 1
		for i := start; i < end; i++ {
			prize := ""
			if i < len(levels) {
				prize = levels[i]
			}
			set(i, start+1, prize, tie)
		}
		start = end
	}
}
