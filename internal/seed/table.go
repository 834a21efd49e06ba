package seed

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Formats a question file can come in.
const (
	FormatCSVComma     = "csv_comma"
	FormatCSVSemicolon = "csv_semicolon"
	FormatXLSX         = "xlsx"
)

// record is one non-empty line of a table, with the line (or spreadsheet row) it starts on.
type record struct {
	line   int
	fields []string
}

// table is a file read as a header and its records, before any column means anything.
type table struct {
	format   string
	header   []string
	records  []record
	problems []Problem // the file could not be read past these
}

// xlsxMagic starts every .xlsx file (it is a zip archive).
var xlsxMagic = []byte("PK\x03\x04")

// maxUnzippedXLSX bounds what a workbook may expand to, so a zip bomb is refused.
const maxUnzippedXLSX = 64 << 20

// readTable reads a CSV file (comma or semicolon, UTF-8 with or without BOM) or the first
// sheet of an .xlsx workbook. The kind of file is told by its content, not its name, since
// spreadsheets are saved under whatever name the clerk types.
func readTable(data []byte) table {
	if bytes.HasPrefix(data, xlsxMagic) {
		return readXLSX(data, false)
	}
	return readDelimited(data)
}

// readTableRaw is readTable with a workbook's cells as stored rather than as displayed:
// a date is its serial number and a long number keeps its digits (not "3.1E+10").
func readTableRaw(data []byte) table {
	if bytes.HasPrefix(data, xlsxMagic) {
		return readXLSX(data, true)
	}
	return readDelimited(data)
}

func readDelimited(data []byte) table {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return table{problems: []Problem{{Line: firstInvalidUTF8Line(data), Message: "tệp không phải văn bản UTF-8. Trong Excel, hãy lưu bằng “CSV UTF-8” hoặc gửi tệp .xlsx"}}}
	}
	t := table{format: FormatCSVComma}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // a line with too few or too many columns is reported, not fatal
	if headerLine, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(headerLine, []byte(";")) > bytes.Count(headerLine, []byte(",")) {
		// Excel in a Vietnamese (or any comma-decimal) locale saves CSV with semicolons.
		cr.Comma = ';'
		t.format = FormatCSVSemicolon
	}
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			p := Problem{Line: perr.StartLine, Message: "dấu ngoặc kép (\") đặt sai chỗ; ô có dấu ngoặc kép phải được bao trong ngoặc kép, và mỗi dấu ngoặc kép bên trong viết thành hai dấu (\"\")"}
			if first {
				t.problems = append(t.problems, p)
				return t
			}
			t.problems = append(t.problems, p)
			if errors.Is(perr.Err, csv.ErrQuote) && perr.Line != perr.StartLine {
				return t // an unclosed quote swallowed the rest of the file
			}
			continue
		}
		if err != nil {
			t.problems = append(t.problems, Problem{Message: "không đọc được tệp: " + err.Error()})
			return t
		}
		if first {
			t.header = rec
			first = false
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0) // where the record starts: a quoted cell may span lines
		t.records = append(t.records, record{line: line, fields: rec})
		if len(t.records) > maxCSVRows {
			t.problems = append(t.problems, Problem{Message: fmt.Sprintf("tệp có hơn %d dòng; hãy chia thành nhiều tệp", maxCSVRows)})
			return t
		}
	}
}

func readXLSX(data []byte, raw bool) table {
	t := table{format: FormatXLSX}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzippedXLSX, UnzipXMLSizeLimit: maxUnzippedXLSX})
	if err != nil {
		t.problems = []Problem{{Message: "không mở được tệp Excel (.xlsx); hãy kiểm tra tệp có bị hỏng không"}}
		return t
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		t.problems = []Problem{{Message: "tệp Excel không có trang tính nào"}}
		return t
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: raw})
	if err != nil {
		t.problems = []Problem{{Message: "không đọc được trang tính đầu tiên của tệp Excel"}}
		return t
	}
	for i, row := range rows {
		if i == 0 {
			t.header = row
			continue
		}
		if blank(row) {
			continue
		}
		if len(t.records) >= maxCSVRows {
			t.problems = append(t.problems, Problem{Message: fmt.Sprintf("tệp có hơn %d dòng; hãy chia thành nhiều tệp", maxCSVRows)})
			return t
		}
		t.records = append(t.records, record{line: i + 1, fields: row})
	}
	return t
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func firstInvalidUTF8Line(data []byte) int {
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}
