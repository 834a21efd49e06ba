package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// paperA4 is the OOXML paper size code of A4.
const paperA4 = 9

// printSetup makes a worksheet print the way the committee files it: A4 landscape, every
// column on one page wide (as many pages down as it takes), the header row repeated at
// the top of each page, an autofilter on the header, and the campaign and the date in
// the page header. It must run before the sheet's stream writer is created: the stream
// writer copies the sheet's properties (fit to page) when it starts and writes the rest
// when it flushes.
func printSetup(f *excelize.File, sheet string, cols, dataRows int, campaign string, date time.Time) error {
	if cols > 0 {
		// The filter covers the header and the data, never the totals row under them.
		if err := f.AutoFilter(sheet, cell(1, headerRow)+":"+cell(cols, headerRow+max(dataRows, 1)), nil); err != nil {
			return err
		}
	}
	// After the autofilter, which replaces the sheet's properties with its own.
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	size, orientation, wide, tall := paperA4, "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, printMargins()); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: pageHeader(campaign, date),
		OddFooter: "&CTrang &P/&N",
	}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: printTitles(sheet), Scope: sheet,
	}); err != nil {
		return err
	}
	return nil
}

// printTitles is the rows repeated on every printed page: the header row.
func printTitles(sheet string) string {
	return fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), headerRow, headerRow)
}

// pageHeader puts the campaign's name on the left and the report's date on the right.
// "&" is a code in Excel's header language and is written "&&" for itself.
func pageHeader(campaign string, date time.Time) string {
	if date.IsZero() {
		date = time.Now()
	}
	return "&L" + strings.ReplaceAll(campaign, "&", "&&") + "&RNgày " + date.Format(dateLayout)
}

func printMargins() *excelize.PageLayoutMarginsOptions {
	side, edge, header := 0.4, 0.6, 0.3
	return &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge, Header: &header, Footer: &header}
}
