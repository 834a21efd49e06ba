package reports

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// PrintProblems opens a workbook and lists what keeps it from printing the way
// printSetup lays it out, sheet by sheet: landscape, one page wide, the header row as
// print titles, an autofilter from the header, a bordered cell where a table cell is
// empty, and campaign in the page header. No problem is an empty list. The tests of every
// report and its export use it, so a report cannot drift from the print rules.
func PrintProblems(data []byte, campaign string) ([]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	defer f.Close()
	var problems []string
	report := func(sheet, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s: %s", sheet, fmt.Sprintf(format, args...)))
	}
	titles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			return nil, err
		}
		if layout.Orientation == nil || *layout.Orientation != "landscape" {
			report(sheet, "not landscape")
		}
		if layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			report(sheet, "not fit to one page wide (width %v, height %v)", deref(layout.FitToWidth), deref(layout.FitToHeight))
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil {
			return nil, err
		}
		if props.FitToPage == nil || !*props.FitToPage {
			report(sheet, "fit to page is off, so the fit to width is ignored")
		}
		if got, want := titles[sheet], printTitles(sheet); got != want {
			report(sheet, "print titles %q, want %q", got, want)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			return nil, err
		}
		if hf == nil || !strings.Contains(hf.OddHeader, strings.ReplaceAll(campaign, "&", "&&")) || !strings.Contains(hf.OddHeader, "Ngày ") {
			report(sheet, "page header %+v lacks the campaign %q and the date", hf, campaign)
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			return nil, err
		}
		if len(rows) < headerRow {
			report(sheet, "no header row")
			continue
		}
		cols := len(rows[headerRow-1])
		last := len(rows)
		if !hasAutoFilter(f, sheet, cell(1, headerRow)+":") {
			report(sheet, "no autofilter on the header row")
		}
		// Every cell of the table carries a border, including the empty ones.
		for r := headerRow; r <= last; r++ {
			for c := 1; c <= cols; c++ {
				if !hasBorder(f, sheet, cell(c, r)) {
					report(sheet, "cell %s has no border", cell(c, r))
					r, c = last+1, cols+1 // one is enough to tell
				}
			}
		}
	}
	return problems, nil
}

// hasAutoFilter tells whether the sheet's filter database starts where it should.
func hasAutoFilter(f *excelize.File, sheet, from string) bool {
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.Scope == sheet && strings.Contains(strings.ReplaceAll(d.RefersTo, "$", ""), "!"+from) {
			return true
		}
	}
	return false
}

func hasBorder(f *excelize.File, sheet, c string) bool {
	id, err := f.GetCellStyle(sheet, c)
	if err != nil || id == 0 {
		return false
	}
	st, err := f.GetStyle(id)
	if err != nil {
		return false
	}
	sides := 0
	for _, b := range st.Border {
		if b.Style > 0 {
			sides++
		}
	}
	return sides == 4
}
