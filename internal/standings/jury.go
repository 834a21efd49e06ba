package standings

import (
	"context"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Result statuses of the video contest and the collective prizes.
const (
	StatusScoring     = "scoring"     // the jury is scoring: no result is shown
	StatusProvisional = "provisional" // scoring closed; the committee has not approved the results
	StatusFinal       = "final"       // the committee approved the decision on the results
)

// ResultStatus says where the video and collective results stand.
func ResultStatus(ctx context.Context, st *store.Store, campaignID int64) (string, error) {
	closed, err := st.JuryClosed(ctx, campaignID)
	if err != nil || !closed {
		return StatusScoring, err
	}
	approved, err := st.FinalResultsApproved(ctx, campaignID)
	if err != nil || !approved {
		return StatusProvisional, err
	}
	return StatusFinal, nil
}

// JuryClip is a clip's sheets with the names the pages show.
type JuryClip struct {
	rules.ClipSheets
	Title             string   `json:"title"`
	AgencyName        string   `json:"agency_name"`
	MissingJurorNames []string `json:"missing_juror_names"`
}

// JuryJuror is a juror's sheets with the titles of the clips left to score.
type JuryJuror struct {
	rules.JurorSheets
	Name              string   `json:"name"`
	MissingClipTitles []string `json:"missing_clip_titles"`
}

// Jury is the jury's completeness: sheets received against expected, per clip and per juror.
type Jury struct {
	Expected int         `json:"expected"`
	Received int         `json:"received"`
	Missing  int         `json:"missing"`
	Complete bool        `json:"complete"`
	Closed   bool        `json:"closed"`
	Clips    []JuryClip  `json:"clips"`
	Jurors   []JuryJuror `json:"jurors"`
}

// JuryCompleteness reads every clip, juror and sheet of a campaign and counts what is missing.
func JuryCompleteness(ctx context.Context, st *store.Store, campaignID int64) (Jury, error) {
	entries, err := st.VideoEntries(ctx, campaignID, 0)
	if err != nil {
		return Jury{}, err
	}
	jurors, err := st.Jurors(ctx)
	if err != nil {
		return Jury{}, err
	}
	keys, err := st.SheetKeys(ctx, campaignID)
	if err != nil {
		return Jury{}, err
	}
	closed, err := st.JuryClosed(ctx, campaignID)
	if err != nil {
		return Jury{}, err
	}
	clipIDs, jurorIDs := make([]int64, len(entries)), make([]int64, len(jurors))
	titles, names := map[int64]string{}, map[int64]string{}
	for i, e := range entries {
		clipIDs[i], titles[e.ID] = e.ID, e.Title
	}
	for i, j := range jurors {
		jurorIDs[i], names[j.ID] = j.ID, j.Name
	}
	sheets := make([]rules.Sheet, len(keys))
	for i, k := range keys {
		sheets[i] = rules.Sheet{EntryID: k.EntryID, JurorID: k.JurorID}
	}
	c := rules.JuryCompleteness(clipIDs, jurorIDs, sheets)
	out := Jury{Expected: c.Expected, Received: c.Received, Missing: c.Missing, Complete: c.Complete, Closed: closed,
		Clips: make([]JuryClip, len(c.Clips)), Jurors: make([]JuryJuror, len(c.Jurors))}
	for i, cs := range c.Clips {
		jc := JuryClip{ClipSheets: cs, Title: entries[i].Title, AgencyName: entries[i].AgencyName, MissingJurorNames: []string{}}
		for _, id := range cs.MissingJurors {
			jc.MissingJurorNames = append(jc.MissingJurorNames, names[id])
		}
		out.Clips[i] = jc
	}
	for i, js := range c.Jurors {
		jj := JuryJuror{JurorSheets: js, Name: names[js.JurorID], MissingClipTitles: []string{}}
		for _, id := range js.MissingClips {
			jj.MissingClipTitles = append(jj.MissingClipTitles, titles[id])
		}
		out.Jurors[i] = jj
	}
	return out, nil
}
