package reports

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Progress is told, while a workbook is written, how many of total steps are done: one
// step per data row and one per sheet. WriteXLSX calls it after every sheet and every
// ProgressEvery rows.
type Progress func(done, total int)

// ProgressEvery is how many rows WriteXLSX writes between two progress calls.
const ProgressEvery = 500

// Layout of every worksheet: the title on row 1 (merged across the table), the bold
// header on row 2, data from row 3; rows 1–2 stay frozen while scrolling.
const (
	titleRow  = 1
	headerRow = 2
	firstRow  = 3
)

// Number formats of the workbook.
const (
	formatInteger  = 3 // built-in "#,##0"
	formatRatio    = 2 // built-in "0.00"
	formatPercent  = "0.0%"
	formatDateTime = "dd/mm/yyyy hh:mm:ss"
)

type xlsxStyles struct {
	title, header, text, integer, decimal, ratio, percent, dateTime int
	// The totals row: bold, same formats.
	totalText, totalInteger, totalDecimal, totalPercent int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	border := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	percent, dateTime := formatPercent, formatDateTime
	bold := &excelize.Font{Bold: true}
	for _, def := range []struct {
		dst   *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14},
			Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top"}}},
		{&s.integer, excelize.Style{Border: border, NumFmt: formatInteger}},
		{&s.decimal, excelize.Style{Border: border}},
		{&s.ratio, excelize.Style{Border: border, NumFmt: formatRatio}},
		{&s.percent, excelize.Style{Border: border, CustomNumFmt: &percent}},
		{&s.dateTime, excelize.Style{Border: border, CustomNumFmt: &dateTime,
			Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.totalText, excelize.Style{Border: border, Font: bold}},
		{&s.totalInteger, excelize.Style{Border: border, Font: bold, NumFmt: formatInteger}},
		{&s.totalDecimal, excelize.Style{Border: border, Font: bold}},
		{&s.totalPercent, excelize.Style{Border: border, Font: bold, CustomNumFmt: &percent}},
	} {
		id, err := f.NewStyle(&def.style)
		if err != nil {
			return s, fmt.Errorf("create workbook style: %w", err)
		}
		*def.dst = id
	}
	return s, nil
}

// WriteXLSX writes the report as an Excel workbook, one worksheet per sheet. Numbers stay
// numbers (integers with a thousands separator), Percent values are numbers with a
// percentage format, times are Excel dates shown in the zone of the time.Time given.
// progress may be nil.
func WriteXLSX(w io.Writer, r Report, progress Progress) error {
	if progress == nil {
		progress = func(int, int) {}
	}
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	sheets := r.Sheets
	if len(sheets) == 0 {
		sheets = []Sheet{{Name: "Báo cáo", Title: r.Title}}
	}
	names := sheetNames(sheets)
	total := len(sheets)
	for _, s := range sheets {
		total += len(s.Rows)
	}
	done := 0
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
				return fmt.Errorf("name sheet %q: %w", names[0], err)
			}
		} else if _, err := f.NewSheet(names[i]); err != nil {
			return fmt.Errorf("add sheet %q: %w", names[i], err)
		}
		title := s.Title
		if title == "" {
			title = r.Title
		}
		if err := printSetup(f, names[i], tableColumns(s), len(s.Rows), cmp.Or(r.Campaign, r.Title), r.Date); err != nil {
			return fmt.Errorf("set up printing of sheet %q: %w", names[i], err)
		}
		if err := writeSheet(f, names[i], title, s, styles, func(rows int) { progress(done+rows, total) }); err != nil {
			return fmt.Errorf("write sheet %q: %w", names[i], err)
		}
		done += len(s.Rows) + 1
		progress(done, total)
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title, Creator: "Hội thi trực tuyến", Language: "vi-VN"}); err != nil {
		return fmt.Errorf("set workbook properties: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, name, title string, s Sheet, st xlsxStyles, rowsDone func(int)) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	cols := tableColumns(s)
	for c, width := range columnWidths(s, cols) {
		if err := sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, firstRow), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow(cell(1, titleRow), []any{excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	if cols > 1 {
		if err := sw.MergeCell(cell(1, titleRow), cell(cols, titleRow)); err != nil {
			return err
		}
	}
	// Every cell of the table has its border, empty ones included, so that the printed
	// grid has no holes.
	header := make([]any, cols)
	for i := range header {
		h := excelize.Cell{StyleID: st.header}
		if i < len(s.Headers) {
			h.Value = s.Headers[i]
		}
		header[i] = h
	}
	if err := sw.SetRow(cell(1, headerRow), header, excelize.RowOpts{Height: 32}); err != nil {
		return err
	}
	values := make([]any, cols)
	for i, row := range s.Rows {
		for c := range values {
			var v any
			if c < len(row) {
				v = row[c]
			}
			values[c] = xlsxCell(v, st)
		}
		if err := sw.SetRow(cell(1, firstRow+i), values); err != nil {
			return err
		}
		if (i+1)%ProgressEvery == 0 {
			rowsDone(i + 1)
		}
	}
	if s.Totals != nil {
		for c := range values {
			var v any
			if c < len(s.Totals) {
				v = s.Totals[c]
			}
			values[c] = totalCell(xlsxCell(v, st), st)
		}
		if err := sw.SetRow(cell(1, firstRow+len(s.Rows)), values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// tableColumns is how wide a sheet's table is: its header or its longest row.
func tableColumns(s Sheet) int {
	cols := len(s.Headers)
	for _, row := range s.Rows {
		cols = max(cols, len(row))
	}
	return max(cols, len(s.Totals))
}

// totalCell is a cell of the totals row: bold, in its column's format.
func totalCell(v any, st xlsxStyles) any {
	c := v.(excelize.Cell)
	switch c.StyleID {
	case st.integer:
		c.StyleID = st.totalInteger
	case st.decimal:
		c.StyleID = st.totalDecimal
	case st.percent:
		c.StyleID = st.totalPercent
	default:
		c.StyleID = st.totalText
	}
	return c
}

func cell(col, row int) string {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // columns and rows here are always in range
	}
	return name
}

// xlsxCell turns a report value into a styled cell.
func xlsxCell(v any, st xlsxStyles) any {
	switch x := deref(v).(type) {
	case nil:
		return excelize.Cell{StyleID: st.text}
	case string:
		return excelize.Cell{StyleID: st.text, Value: x}
	case Percent:
		return excelize.Cell{StyleID: st.percent, Value: float64(x)}
	case Ratio:
		return excelize.Cell{StyleID: st.ratio, Value: float64(x)}
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return excelize.Cell{StyleID: st.integer, Value: x}
	case float32, float64:
		return excelize.Cell{StyleID: st.decimal, Value: x}
	case bool:
		return excelize.Cell{StyleID: st.text, Value: yesNo(x, "Có", "Không")}
	case time.Time:
		if x.IsZero() {
			return excelize.Cell{StyleID: st.text}
		}
		return excelize.Cell{StyleID: st.dateTime, Value: x}
	case time.Duration:
		return excelize.Cell{StyleID: st.decimal, Value: x.Seconds()}
	default:
		return excelize.Cell{StyleID: st.text, Value: fmt.Sprint(x)}
	}
}

// deref follows the pointers a row may hold (nullable columns); a nil pointer is nil.
func deref(v any) any {
	switch p := v.(type) {
	case *string:
		if p != nil {
			return *p
		}
	case *int:
		if p != nil {
			return *p
		}
	case *int64:
		if p != nil {
			return *p
		}
	case *float64:
		if p != nil {
			return *p
		}
	case *Percent:
		if p != nil {
			return *p
		}
	case *Ratio:
		if p != nil {
			return *p
		}
	case *bool:
		if p != nil {
			return *p
		}
	case *time.Time:
		if p != nil {
			return *p
		}
	default:
		return v
	}
	return nil
}

// columnWidths sizes each column to its longest value (headers wrap, so they count up to
// a point), within bounds that keep a sheet readable.
func columnWidths(s Sheet, cols int) []float64 {
	widest := make([]int, cols)
	for i, h := range s.Headers {
		longestWord := 0
		for _, w := range strings.Fields(h) {
			longestWord = max(longestWord, utf8.RuneCountInString(w))
		}
		widest[i] = max(min(utf8.RuneCountInString(h), 18), longestWord)
	}
	for _, row := range s.Rows {
		for c, v := range row {
			widest[c] = max(widest[c], displayWidth(v))
		}
	}
	out := make([]float64, cols)
	for c, n := range widest {
		out[c] = float64(min(max(n+2, 6), 60))
	}
	return out
}

func displayWidth(v any) int {
	switch x := deref(v).(type) {
	case nil:
		return 0
	case string:
		return utf8.RuneCountInString(x)
	case Percent:
		return 7
	case Ratio:
		return 6
	case int:
		return len(strconv.Itoa(x)) * 4 / 3
	case int64:
		return len(strconv.FormatInt(x, 10)) * 4 / 3
	case float64:
		return len(strconv.FormatFloat(x, 'f', -1, 64))
	case time.Time:
		return 19
	case bool:
		return 5
	default:
		return utf8.RuneCountInString(fmt.Sprint(x))
	}
}

// sheetNames makes every sheet name valid for Excel (no []:*?/\, at most 31 characters,
// not empty) and unique, case-insensitively.
func sheetNames(sheets []Sheet) []string {
	out := make([]string, len(sheets))
	seen := map[string]bool{}
	clean := strings.NewReplacer("[", "(", "]", ")", ":", "-", "*", "-", "?", "", "/", "-", `\`, "-", "'", "")
	for i, s := range sheets {
		base := strings.TrimSpace(clean.Replace(s.Name))
		if base == "" {
			base = fmt.Sprintf("Trang %d", i+1)
		}
		base = truncateRunes(base, 31)
		name := base
		for n := 2; seen[strings.ToLower(name)]; n++ {
			suffix := fmt.Sprintf(" (%d)", n)
			name = truncateRunes(base, 31-len(suffix)) + suffix
		}
		seen[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
