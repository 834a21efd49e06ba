package rules

import "time"

// VideoReceiptCheck says why a clip's receipt time cannot be true: later than now (the
// database's clock) or before the video contest opened (zero opensAt: no such date). An
// empty string means it can.
func VideoReceiptCheck(receivedAt, now, opensAt time.Time) string {
	switch {
	case receivedAt.After(now):
		return "video_received_in_future"
	case !opensAt.IsZero() && receivedAt.Before(opensAt):
		return "video_received_before_open"
	}
	return ""
}

// Sheet is one juror's score sheet for one clip, as completeness counts it.
type Sheet struct {
	EntryID int64
	JurorID int64
}

// ClipSheets is how many sheets one clip has and which jurors have not sent theirs.
type ClipSheets struct {
	EntryID       int64   `json:"entry_id"`
	Received      int     `json:"received"`
	Expected      int     `json:"expected"`
	MissingJurors []int64 `json:"missing_jurors"`
}

// JurorSheets is how many clips one juror has scored and which are left.
type JurorSheets struct {
	JurorID      int64   `json:"juror_id"`
	Received     int     `json:"received"`
	Expected     int     `json:"expected"`
	MissingClips []int64 `json:"missing_clips"`
}

// Completeness is the jury's work: every clip needs a sheet from every juror.
type Completeness struct {
	Expected int           `json:"expected"`
	Received int           `json:"received"`
	Missing  int           `json:"missing"`
	Complete bool          `json:"complete"`
	Clips    []ClipSheets  `json:"clips"`
	Jurors   []JurorSheets `json:"jurors"`
}

// JuryCompleteness counts, in the given orders, the sheets of the jurors over the clips.
// Sheets of anyone who is not one of the jurors, or for another clip, do not count. With
// clips to score and no juror the work is not complete: nobody scored them.
func JuryCompleteness(clips, jurors []int64, sheets []Sheet) Completeness {
	have := make(map[Sheet]bool, len(sheets))
	for _, s := range sheets {
		have[s] = true
	}
	c := Completeness{Clips: make([]ClipSheets, len(clips)), Jurors: make([]JurorSheets, len(jurors))}
	for j, juror := range jurors {
		c.Jurors[j] = JurorSheets{JurorID: juror, Expected: len(clips), MissingClips: []int64{}}
	}
	for i, clip := range clips {
		cs := ClipSheets{EntryID: clip, Expected: len(jurors), MissingJurors: []int64{}}
		for j, juror := range jurors {
			if have[Sheet{EntryID: clip, JurorID: juror}] {
				cs.Received++
				c.Jurors[j].Received++
				continue
			}
			cs.MissingJurors = append(cs.MissingJurors, juror)
			c.Jurors[j].MissingClips = append(c.Jurors[j].MissingClips, clip)
		}
		c.Clips[i] = cs
		c.Received += cs.Received
	}
	c.Expected = len(clips) * len(jurors)
	c.Missing = c.Expected - c.Received
	c.Complete = c.Missing == 0 && (len(clips) == 0 || len(jurors) > 0)
	return c
}
