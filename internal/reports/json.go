package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the report as one JSON document:
// {"title":…, "sheets":[{"name":…, "title":…, "headers":[…], "rows":[[…], …]}]}.
// Values keep their JSON types: numbers, Percent as its fraction, booleans, times as
// RFC 3339 with the offset of the zone they were given in, null for an empty cell.
func WriteJSON(w io.Writer, r Report) error {
	r.Sheets = append([]Sheet{}, r.Sheets...) // the caller's report stays as it was
	for i := range r.Sheets {
		if r.Sheets[i].Headers == nil {
			r.Sheets[i].Headers = []string{}
		}
		if r.Sheets[i].Rows == nil {
			r.Sheets[i].Rows = [][]any{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}
