package rules

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Reasons an agency is not eligible for a collective prize (plan V.1.3).
const (
	ReasonNoVideo         = "no_video"           // did not take part in the video contest
	ReasonOutsideTopVideo = "outside_top_video"  // not among the agencies with the best video scores
	ReasonZeroScore       = "zero_score_in_week" // someone of the agency ended a week with 0 correct answers
)

// Collective ranking criteria (campaign data), applied in order.
const (
	ByParticipationRateDesc = "participation_rate_desc"
	ByMeanBestScoreDesc     = "mean_best_score_desc"
	ByVideoScoreDesc        = "video_score_desc"
)

// CollectiveCandidate is an agency with what the collective prize looks at.
type CollectiveCandidate struct {
	AgencyID          int64
	VideoScore        *float64 // its best clip's score; nil when it entered no clip
	ZeroScoreWeeks    []int    // weeks in which one of its participants ended with 0 correct
	ParticipationRate float64
	MeanBestScore     float64 // mean over its participants of their best correct count
}

// CollectiveResult is an agency's eligibility and place.
type CollectiveResult struct {
	AgencyID           int64    `json:"agency_id"`
	Eligible           bool     `json:"eligible"`
	Reasons            []string `json:"reasons,omitempty"`
	ZeroScoreWeeks     []int    `json:"zero_score_weeks,omitempty"`
	VideoScore         *float64 `json:"video_score"`
	VideoRank          int      `json:"video_rank,omitempty"`
	ParticipationRate  float64  `json:"participation_rate"`
	MeanBestScore      float64  `json:"mean_best_score"`
	Rank               int      `json:"rank,omitempty"`
	Prize              string   `json:"prize,omitempty"`
	CertificateOfMerit bool     `json:"certificate_of_merit"` // the first prize carries the City Chairman's
	UnresolvedTie      bool     `json:"unresolved_tie"`
}

// RankCollective decides eligibility (a clip entered, among the topByVideo agencies by
// video score — all agencies tied at the cut are in —, no zero score in any week) and ranks
// the eligible by the criteria. Ineligible agencies keep every reason that applies.
func RankCollective(cands []CollectiveCandidate, topByVideo int, criteria []string, prizes PrizeCounts) ([]CollectiveResult, error) {
	if len(criteria) == 0 {
		criteria = []string{ByParticipationRateDesc, ByMeanBestScoreDesc}
	}
	for _, c := range criteria {
		if c != ByParticipationRateDesc && c != ByMeanBestScoreDesc && c != ByVideoScoreDesc {
			return nil, fmt.Errorf("unknown collective ranking criterion %q", c)
		}
	}
	videoRank := map[int64]int{}
	var withVideo []CollectiveCandidate
	for _, c := range cands {
		if c.VideoScore != nil {
			withVideo = append(withVideo, c)
		}
	}
	slices.SortFunc(withVideo, func(a, b CollectiveCandidate) int {
		if c := cmp.Compare(*b.VideoScore, *a.VideoScore); c != 0 {
			return c
		}
		return cmp.Compare(a.AgencyID, b.AgencyID)
	})
	for i, c := range withVideo {
		rank := i + 1
		if i > 0 && *withVideo[i-1].VideoScore == *c.VideoScore {
			rank = videoRank[withVideo[i-1].AgencyID]
		}
		videoRank[c.AgencyID] = rank
	}

	results := make([]CollectiveResult, len(cands))
	for i, c := range cands {
		r := CollectiveResult{AgencyID: c.AgencyID, VideoScore: c.VideoScore, VideoRank: videoRank[c.AgencyID],
			ZeroScoreWeeks: c.ZeroScoreWeeks, ParticipationRate: c.ParticipationRate, MeanBestScore: c.MeanBestScore}
		if c.VideoScore == nil {
			r.Reasons = append(r.Reasons, ReasonNoVideo)
		} else if r.VideoRank > topByVideo {
			r.Reasons = append(r.Reasons, ReasonOutsideTopVideo)
		}
		if len(c.ZeroScoreWeeks) > 0 {
			r.Reasons = append(r.Reasons, ReasonZeroScore)
		}
		r.Eligible = len(r.Reasons) == 0
		results[i] = r
	}
	key := func(r CollectiveResult, criterion string) float64 {
		switch criterion {
		case ByParticipationRateDesc:
			return math.Round(r.ParticipationRate*1e6) / 1e6
		case ByMeanBestScoreDesc:
			return math.Round(r.MeanBestScore*1e6) / 1e6
		default:
			return *r.VideoScore
		}
	}
	compare := func(a, b CollectiveResult) int {
		for _, c := range criteria {
			if d := cmp.Compare(key(b, c), key(a, c)); d != 0 {
				return d
			}
		}
		return 0
	}
	slices.SortStableFunc(results, func(a, b CollectiveResult) int {
		if a.Eligible != b.Eligible {
			if a.Eligible {
				return -1
			}
			return 1
		}
		if !a.Eligible {
			return cmp.Compare(a.AgencyID, b.AgencyID)
		}
		if c := compare(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.AgencyID, b.AgencyID)
	})
	eligible := 0
	for _, r := range results {
		if r.Eligible {
			eligible++
		}
	}
	assignPlaces(eligible, func(i, j int) bool { return compare(results[i], results[j]) == 0 }, prizes,
		func(i, rank int, prize string, tie bool) {
			results[i].Rank, results[i].Prize, results[i].UnresolvedTie = rank, prize, tie
			results[i].CertificateOfMerit = prize == PrizeFirst
		})
	return results, nil
}
