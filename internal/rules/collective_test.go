package rules

import (
	"slices"
	"testing"
)

func score(v float64) *float64 { return &v }

func TestRankCollectiveEligibility(t *testing.T) {
	cands := []CollectiveCandidate{
		{AgencyID: 1, VideoScore: score(90), ParticipationRate: 0.80, MeanBestScore: 8},
		{AgencyID: 2, VideoScore: score(80), ParticipationRate: 0.95, MeanBestScore: 7},
		{AgencyID: 3, VideoScore: nil, ParticipationRate: 1.00, MeanBestScore: 10},                             // no clip
		{AgencyID: 4, VideoScore: score(85), ZeroScoreWeeks: []int{2}, ParticipationRate: 1, MeanBestScore: 9}, // a zero in week 2
		{AgencyID: 5, VideoScore: score(10), ParticipationRate: 0.99, MeanBestScore: 9},                        // outside the top 3
		{AgencyID: 6, VideoScore: score(5), ZeroScoreWeeks: []int{1, 3}, ParticipationRate: 0.2},               // two reasons
	}
	got, err := RankCollective(cands, 3, nil, PrizeCounts{First: 1, Second: 2, Third: 3})
	if err != nil {
		t.Fatal(err)
	}
	byAgency := map[int64]CollectiveResult{}
	var eligibleOrder []int64
	for _, r := range got {
		byAgency[r.AgencyID] = r
		if r.Eligible {
			eligibleOrder = append(eligibleOrder, r.AgencyID)
		}
	}
	if !slices.Equal(eligibleOrder, []int64{2, 1}) {
		t.Fatalf("eligible in order %v, want [2 1] (participation rate first)", eligibleOrder)
	}
	wantReasons := map[int64][]string{
		3: {ReasonNoVideo},
		4: {ReasonZeroScore},
		5: {ReasonOutsideTopVideo},
		6: {ReasonOutsideTopVideo, ReasonZeroScore},
	}
	for id, want := range wantReasons {
		if r := byAgency[id]; r.Eligible || !slices.Equal(r.Reasons, want) {
			t.Errorf("agency %d: eligible %v reasons %v, want %v", id, r.Eligible, r.Reasons, want)
		}
	}
	if r := byAgency[2]; r.Prize != PrizeFirst || !r.CertificateOfMerit || r.Rank != 1 {
		t.Fatalf("winner %+v", r)
	}
	if r := byAgency[1]; r.Prize != PrizeSecond || r.CertificateOfMerit {
		t.Fatalf("runner-up %+v", r)
	}
	if byAgency[4].VideoRank != 2 {
		t.Fatalf("video rank of agency 4: %d", byAgency[4].VideoRank)
	}
}

func TestRankCollectiveTiesAtTheVideoCutAndForPrizes(t *testing.T) {
	cands := []CollectiveCandidate{
		{AgencyID: 1, VideoScore: score(90), ParticipationRate: 0.9, MeanBestScore: 8},
		{AgencyID: 2, VideoScore: score(70), ParticipationRate: 0.9, MeanBestScore: 8}, // tied with 1 on both criteria
		{AgencyID: 3, VideoScore: score(70), ParticipationRate: 0.5, MeanBestScore: 5}, // tied with 2 at the top-2 cut: both in
		{AgencyID: 4, VideoScore: score(60), ParticipationRate: 1.0, MeanBestScore: 10},
	}
	got, err := RankCollective(cands, 2, nil, PrizeCounts{First: 1, Second: 2, Third: 3})
	if err != nil {
		t.Fatal(err)
	}
	eligible := map[int64]CollectiveResult{}
	for _, r := range got {
		if r.Eligible {
			eligible[r.AgencyID] = r
		}
	}
	if len(eligible) != 3 {
		t.Fatalf("eligible %v, want agencies 1, 2 and 3 (3 is tied at the cut)", eligible)
	}
	if !eligible[1].UnresolvedTie || !eligible[2].UnresolvedTie || eligible[1].Rank != 1 || eligible[2].Rank != 1 {
		t.Fatalf("the first/second tie must be reported: %+v %+v", eligible[1], eligible[2])
	}
	if eligible[3].UnresolvedTie || eligible[3].Prize != PrizeSecond {
		t.Fatalf("agency 3: %+v", eligible[3])
	}
}

func TestRankCollectiveRejectsUnknownCriterion(t *testing.T) {
	if _, err := RankCollective(nil, 20, []string{"size"}, PrizeCounts{}); err == nil {
		t.Fatal("unknown criterion accepted")
	}
}
