// Package standings computes the video contest's results and the collective prizes from
// the stored scores, results and headcounts, under the campaign's rules.
package standings

import (
	"context"
	"fmt"
	"slices"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// VideoRow is a clip's result with what the committee reads next to it.
type VideoRow struct {
	rules.VideoResult
	AgencyName string `json:"agency_name"`
	Title      string `json:"title"`
	// SheetsMissing is how many jurors have not scored the clip: only a committee override
	// closes scoring with any missing, and the pages say so next to the clip.
	SheetsMissing int `json:"sheets_missing"`
}

// Video is the video contest's standings.
type Video struct {
	Jurors   int  `json:"jurors"`
	Clips    int  `json:"clips"`
	Sheets   int  `json:"score_sheets"`
	Complete bool `json:"complete"` // every juror scored every clip
	Closed   bool `json:"closed"`
	// Status is scoring (nothing may be shown), provisional or final; Provisional is
	// true while the committee has not approved the results.
	Status      string     `json:"status"`
	Provisional bool       `json:"provisional"`
	Rows        []VideoRow `json:"rows"`
}

// VideoStandings ranks a campaign's clips by the mean of their jurors' weighted totals.
func VideoStandings(ctx context.Context, st *store.Store, campaignID int64, settings rules.CampaignSettings) (Video, error) {
	v := Video{Rows: []VideoRow{}}
	entries, err := st.VideoEntries(ctx, campaignID, 0)
	if err != nil {
		return v, err
	}
	scores, err := st.Scores(ctx, campaignID, 0)
	if err != nil {
		return v, err
	}
	if v.Jurors, v.Clips, v.Sheets, err = st.JuryProgress(ctx, campaignID); err != nil {
		return v, err
	}
	v.Complete = v.Clips > 0 && v.Sheets >= v.Jurors*v.Clips
	if v.Status, err = ResultStatus(ctx, st, campaignID); err != nil {
		return v, err
	}
	v.Closed, v.Provisional = v.Status != StatusScoring, v.Status == StatusProvisional
	if !v.Closed {
		// Scores before the close are the jury's work in progress, not results: no path
		// (page, API, workbook) may rank or award on them.
		return v, nil
	}
	ins := make([]rules.VideoEntry, len(entries))
	byID := map[int64]store.VideoEntry{}
	for i, e := range entries {
		ins[i] = rules.VideoEntry{EntryID: e.ID, AgencyID: e.AgencyID}
		byID[e.ID] = e
	}
	totals := make([]rules.JurorTotal, len(scores))
	for i, s := range scores {
		totals[i] = rules.JurorTotal{EntryID: s.EntryID, JurorID: s.JurorID, Total: s.Total}
	}
	for _, r := range rules.RankVideos(ins, totals, settings.VideoPrizes) {
		e := byID[r.EntryID]
		v.Rows = append(v.Rows, VideoRow{VideoResult: r, AgencyName: e.AgencyName, Title: e.Title, SheetsMissing: max(v.Jurors-r.Jurors, 0)})
	}
	return v, nil
}

// CollectiveRow is an agency's collective-prize standing.
type CollectiveRow struct {
	rules.CollectiveResult
	AgencyName string `json:"agency_name"`
	Category   string `json:"category"`
}

// CollectiveStandings decides who is eligible for a collective prize and ranks them. An
// agency's quiz figures include its child agencies (a district with its communes); its
// video score is its best clip's. Until jury scoring closes there are no rows: the status
// says scoring.
func CollectiveStandings(ctx context.Context, st *store.Store, campaignID int64, settings rules.CampaignSettings) ([]CollectiveRow, string, error) {
	video, err := VideoStandings(ctx, st, campaignID, settings)
	if err != nil || !video.Closed {
		return nil, video.Status, err
	}
	rows, err := collectiveRows(ctx, st, campaignID, settings, video)
	return rows, video.Status, err
}

func collectiveRows(ctx context.Context, st *store.Store, campaignID int64, settings rules.CampaignSettings, video Video) ([]CollectiveRow, error) {
	agencies, err := st.ListAgencies(ctx)
	if err != nil {
		return nil, err
	}
	stats, err := st.AgencyQuizStatsOf(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	own := map[int64]store.AgencyQuizStats{}
	for _, s := range stats {
		own[s.AgencyID] = s
	}
	units := make([]rules.AgencyUnit, len(agencies))
	participants := map[int64]int{}
	for i, a := range agencies {
		var parent int64
		if a.ParentID != nil {
			parent = *a.ParentID
		}
		units[i] = rules.AgencyUnit{ID: a.ID, ParentID: parent, Category: a.Category, Headcount: a.Headcount}
		participants[a.ID] = own[a.ID].Participants
	}
	rates := map[int64]float64{}
	for _, p := range rules.ParticipationRates(units, participants, settings.ParticipationThresholds) {
		rates[p.AgencyID] = p.Rate
	}
	bestClip := map[int64]float64{}
	for _, r := range video.Rows {
		if cur, ok := bestClip[r.AgencyID]; !ok || r.Score > cur {
			bestClip[r.AgencyID] = r.Score
		}
	}
	cands := make([]rules.CollectiveCandidate, 0, len(agencies))
	names := map[int64]store.Agency{}
	for _, a := range agencies {
		names[a.ID] = a
		c := rules.CollectiveCandidate{AgencyID: a.ID, ParticipationRate: rates[a.ID]}
		if s, ok := bestClip[a.ID]; ok {
			c.VideoScore = &s
		}
		sum, count := 0, 0
		weeks := map[int]bool{}
		for _, u := range append([]store.Agency{a}, childrenOf(agencies, a.ID)...) {
			s := own[u.ID]
			sum, count = sum+s.BestSum, count+s.BestCount
			for _, w := range s.ZeroWeeks {
				weeks[w] = true
			}
		}
		if count > 0 {
			c.MeanBestScore = float64(sum) / float64(count)
		}
		for w := range weeks {
			c.ZeroScoreWeeks = append(c.ZeroScoreWeeks, w)
		}
		slices.Sort(c.ZeroScoreWeeks)
		cands = append(cands, c)
	}
	ranked, err := rules.RankCollective(cands, settings.CollectiveTopByVideo, settings.CollectiveRanking, settings.CollectivePrizes)
	if err != nil {
		return nil, fmt.Errorf("rank collective prizes: %w", err)
	}
	out := make([]CollectiveRow, len(ranked))
	for i, r := range ranked {
		out[i] = CollectiveRow{CollectiveResult: r, AgencyName: names[r.AgencyID].Name, Category: names[r.AgencyID].Category}
	}
	return out, nil
}

func childrenOf(agencies []store.Agency, parent int64) []store.Agency {
	var out []store.Agency
	for _, a := range agencies {
		if a.ParentID != nil && *a.ParentID == parent {
			out = append(out, a)
		}
	}
	return out
}
