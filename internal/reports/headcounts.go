package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/store"
)

// Bounds of a headcount import.
const (
	MaxHeadcount       = 1_000_000
	MaxHeadcountRows   = 10_000
	maxUnzippedXLSX    = 32 << 20 // a 2 MiB workbook that inflates beyond this is refused
	maxHeadcountFields = 50
)

// ImportError is what is wrong with a headcount file, in Vietnamese. Line is the file's
// line (CSV) or row (Excel) at fault, 0 for the file as a whole. Unreadable is true when
// the file is not a CSV or workbook that can be read at all.
type ImportError struct {
	Line       int
	Message    string
	Unreadable bool
}

func (e *ImportError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("Dòng %d: %s", e.Line, e.Message)
	}
	return e.Message
}

func lineError(line int, format string, args ...any) *ImportError {
	return &ImportError{Line: line, Message: fmt.Sprintf(format, args...)}
}

// Column names accepted for the two columns (compared lower-cased, trimmed).
var (
	codeColumns      = map[string]bool{"code": true, "ma": true, "mã": true, "mã đơn vị": true, "ma don vi": true}
	headcountColumns = map[string]bool{"headcount": true, "biên chế": true, "bien che": true, "số biên chế": true, "so bien che": true}
)

// ParseHeadcounts reads a headcount import: a CSV file (UTF-8, comma or semicolon
// separated) or an Excel .xlsx workbook (its first sheet), whose first row names the columns
// code and headcount (others are ignored). It checks every line and returns the first
// problem as an *ImportError naming its line; nothing is returned partially.
func ParseHeadcounts(fileName string, data []byte) ([]store.HeadcountRow, error) {
	ext := strings.ToLower(filepath.Ext(fileName))
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return parseHeadcountXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) || ext == ".xls":
		return nil, &ImportError{Unreadable: true, Message: "Không hỗ trợ tệp Excel 97–2003 (.xls). Hãy lưu tệp dưới dạng .xlsx hoặc .csv."}
	case ext == ".xlsx":
		return nil, &ImportError{Unreadable: true, Message: "Tệp .xlsx bị hỏng hoặc không phải tệp Excel."}
	case ext != "" && ext != ".csv" && ext != ".txt":
		return nil, &ImportError{Unreadable: true, Message: "Chỉ nhận tệp .csv hoặc .xlsx."}
	}
	return parseHeadcountCSV(data)
}

func parseHeadcountCSV(data []byte) ([]store.HeadcountRow, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // Excel's UTF-8 byte order mark
	if !utf8.Valid(data) {
		return nil, &ImportError{Unreadable: true, Message: "Tệp CSV phải được mã hoá UTF-8."}
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Contains(firstLine, []byte(";")) && !bytes.Contains(firstLine, []byte(",")) {
		r.Comma = ';' // Vietnamese Excel writes CSV with semicolons
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var records [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line := pe.StartLine
				if line == 0 {
					line = pe.Line
				}
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					return nil, lineError(line, "không đọc được theo định dạng CSV: dấu ngoặc kép (\") không khớp.")
				}
				return nil, lineError(line, "không đọc được theo định dạng CSV.")
			}
			return nil, &ImportError{Unreadable: true, Message: "Không đọc được tệp CSV."}
		}
		line, _ := r.FieldPos(0)
		if len(rec) > maxHeadcountFields {
			return nil, lineError(line, "có quá nhiều cột (tối đa %d).", maxHeadcountFields)
		}
		records, lines = append(records, append([]string(nil), rec...)), append(lines, line)
		if len(records) > MaxHeadcountRows+1 {
			return nil, lineError(line, "tệp có quá nhiều dòng (tối đa %d đơn vị).", MaxHeadcountRows)
		}
	}
	return headcountRows(records, lines)
}

func parseHeadcountXLSX(data []byte) ([]store.HeadcountRow, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzippedXLSX, UnzipXMLSizeLimit: maxUnzippedXLSX})
	if err != nil {
		return nil, &ImportError{Unreadable: true, Message: "Tệp .xlsx bị hỏng hoặc không phải tệp Excel."}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &ImportError{Message: "Tệp Excel không có trang tính nào."}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, &ImportError{Unreadable: true, Message: "Không đọc được trang tính đầu tiên của tệp Excel."}
	}
	defer rows.Close()
	var records [][]string
	var lines []int
	for line := 1; rows.Next(); line++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, lineError(line, "không đọc được dòng này của tệp Excel.")
		}
		if len(cols) > maxHeadcountFields {
			return nil, lineError(line, "có quá nhiều cột (tối đa %d).", maxHeadcountFields)
		}
		records, lines = append(records, cols), append(lines, line)
		if len(records) > MaxHeadcountRows+1 {
			return nil, lineError(line, "tệp có quá nhiều dòng (tối đa %d đơn vị).", MaxHeadcountRows)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &ImportError{Unreadable: true, Message: "Không đọc được trang tính đầu tiên của tệp Excel."}
	}
	return headcountRows(records, lines)
}

// headcountRows checks the header and every line. Blank lines are skipped.
func headcountRows(records [][]string, lines []int) ([]store.HeadcountRow, error) {
	header := -1
	for i, rec := range records {
		if !blank(rec) {
			header = i
			break
		}
	}
	if header < 0 {
		return nil, &ImportError{Message: "Tệp trống: cần dòng tiêu đề code,headcount và ít nhất một đơn vị."}
	}
	codeCol, countCol := -1, -1
	for i, name := range records[header] {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF")))
		switch {
		case codeColumns[name] && codeCol < 0:
			codeCol = i
		case headcountColumns[name] && countCol < 0:
			countCol = i
		}
	}
	if codeCol < 0 || countCol < 0 {
		return nil, lineError(lines[header], "dòng tiêu đề phải có hai cột code và headcount (đang có: %s).",
			strings.Join(records[header], ", "))
	}
	var out []store.HeadcountRow
	seen := map[string]int{}
	for i := header + 1; i < len(records); i++ {
		rec, line := records[i], lines[i]
		if blank(rec) {
			continue
		}
		code, raw := field(rec, codeCol), field(rec, countCol)
		if code == "" {
			return nil, lineError(line, "thiếu mã đơn vị (cột code).")
		}
		if prev, dup := seen[code]; dup {
			return nil, lineError(line, "mã đơn vị %q đã có ở dòng %d.", code, prev)
		}
		seen[code] = line
		if raw == "" {
			return nil, lineError(line, "thiếu biên chế (cột headcount) của đơn vị %q.", code)
		}
		n, ok := parseHeadcount(raw)
		if !ok {
			return nil, lineError(line, "biên chế %q của đơn vị %q phải là số nguyên từ 0 đến %d.", raw, code, MaxHeadcount)
		}
		out = append(out, store.HeadcountRow{Line: line, Code: code, Headcount: n})
	}
	if len(out) == 0 {
		return nil, &ImportError{Message: "Tệp không có dòng dữ liệu nào sau dòng tiêu đề."}
	}
	return out, nil
}

// parseHeadcount accepts a whole number, also as Excel writes one ("120", "120.0", "1.2E2").
func parseHeadcount(raw string) (int, bool) {
	if n, err := strconv.Atoi(raw); err == nil {
		return n, n >= 0 && n <= MaxHeadcount
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) || f < 0 || f > MaxHeadcount {
		return 0, false
	}
	return int(f), true
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
