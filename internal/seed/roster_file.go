package seed

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hpcontest/contest/internal/rules"
)

// rosterHeader is the template of an agency staff roster. cccd may be left empty.
var rosterHeader = []string{"agency_code", "full_name", "date_of_birth", "phone", "cccd"}

// RosterRow is one staff member of a roster file.
type RosterRow struct {
	AgencyCode  string
	FullName    string
	DateOfBirth time.Time
	Phone       string // normalized (0xxxxxxxxx)
	CCCD        string // 12 digits, or empty
}

// RosterLine is one line of a roster file with what is wrong with it.
type RosterLine struct {
	Line     int
	Row      RosterRow
	Problems []Problem
}

// RosterFile is a whole roster file, every line checked.
type RosterFile struct {
	Format   string
	Problems []Problem // about the file as a whole
	Lines    []RosterLine
}

// birthDateLayouts are the ways a date of birth is written in a roster: dd/mm/yyyy as
// Vietnamese offices write it, and ISO.
var birthDateLayouts = []string{"02/01/2006", "2/1/2006", "02-01-2006", "2006-01-02"}

// ParseRosterFile reads a roster as CSV (comma or semicolon) or .xlsx and checks every
// line, collecting every problem: the clerk fixes the whole file in one go.
func ParseRosterFile(data []byte) RosterFile {
	t := readTableRaw(data)
	f := RosterFile{Format: t.format, Problems: t.problems}
	if t.header == nil {
		if len(f.Problems) == 0 {
			f.Problems = append(f.Problems, Problem{Message: "tệp trống; dòng đầu tiên phải là tiêu đề " + strings.Join(rosterHeader, ",")})
		}
		return f
	}
	cols, headerProblems := mapHeader(t.header, rosterHeader)
	if len(headerProblems) > 0 {
		f.Problems = append(f.Problems, headerProblems...)
		return f
	}
	phones, ids := map[string]int{}, map[string]int{} // first line of each phone and CCCD
	for _, rec := range t.records {
		xlsx := t.format == FormatXLSX
		if xlsx {
			rec = spreadsheetCells(rec, cols)
		}
		l := parseRosterLine(rec, cols, len(t.header), xlsx)
		if p := l.Row.Phone; p != "" {
			if first, dup := phones[p]; dup {
				l.Problems = append(l.Problems, Problem{Line: rec.line, Column: "phone", Message: fmt.Sprintf("số điện thoại %s đã có ở dòng %d", p, first)})
			} else {
				phones[p] = rec.line
			}
		}
		if id := l.Row.CCCD; id != "" {
			if first, dup := ids[id]; dup {
				l.Problems = append(l.Problems, Problem{Line: rec.line, Column: "cccd", Message: fmt.Sprintf("số CCCD %s đã có ở dòng %d", rules.MaskCCCD(id), first)})
			} else {
				ids[id] = rec.line
			}
		}
		f.Lines = append(f.Lines, l)
	}
	return f
}

func parseRosterLine(rec record, cols map[string]int, width int, padShort bool) RosterLine {
	l := RosterLine{Line: rec.line}
	add := func(column, format string, args ...any) {
		l.Problems = append(l.Problems, Problem{Line: rec.line, Column: column, Message: fmt.Sprintf(format, args...)})
	}
	if problem := lineShapeProblem(rec.fields, width, padShort); problem != "" {
		add("", "%s", problem)
		return l
	}
	cell := cellsOf(rec.fields, cols)
	r := RosterRow{AgencyCode: cell("agency_code"), FullName: strings.Join(strings.Fields(cell("full_name")), " ")}
	if r.AgencyCode == "" {
		add("agency_code", "thiếu mã cơ quan, đơn vị")
	}
	switch n := len([]rune(r.FullName)); {
	case n == 0:
		add("full_name", "thiếu họ và tên")
	case n < 2 || n > 100:
		add("full_name", "họ và tên phải dài từ 2 đến 100 ký tự")
	}
	if raw := cell("date_of_birth"); raw == "" {
		add("date_of_birth", "thiếu ngày sinh (dd/mm/yyyy)")
	} else if d, ok := parseBirthDate(raw); ok {
		r.DateOfBirth = d
	} else {
		add("date_of_birth", "ngày sinh “%s” không hợp lệ; hãy viết theo dạng dd/mm/yyyy, ví dụ 07/03/1985", raw)
	}
	raw := cell("phone")
	r.Phone = rules.NormalizePhone(raw)
	switch {
	case raw == "":
		add("phone", "thiếu số điện thoại di động")
	case !rules.IsVietnameseMobile(r.Phone):
		add("phone", "“%s” không phải số điện thoại di động Việt Nam (10 chữ số, ví dụ 0912345678)", raw)
		r.Phone = ""
	}
	if raw := cell("cccd"); raw != "" {
		r.CCCD = rules.NormalizeCCCD(raw)
		if !rules.IsCCCD(r.CCCD) {
			add("cccd", "số CCCD phải gồm đúng 12 chữ số (để trống nếu không có)")
			r.CCCD = ""
		}
	}
	l.Row = r
	return l
}

func parseBirthDate(raw string) (time.Time, bool) {
	for _, layout := range birthDateLayouts {
		if d, err := time.Parse(layout, raw); err == nil && d.Year() >= 1900 && d.Before(time.Now()) {
			return d, true
		}
	}
	return time.Time{}, false
}

// excelEpoch is day 0 of Excel's (1900) date serial numbers, leap-year bug included.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// spreadsheetCells undoes what a spreadsheet does to a roster typed into it: a date cell
// is a serial number, and a phone or CCCD typed as a number has lost its leading 0 (every
// Vietnamese mobile number and CCCD starts with one).
func spreadsheetCells(rec record, cols map[string]int) record {
	fields := append([]string(nil), rec.fields...)
	at := func(name string) *string {
		if i := cols[name]; i < len(fields) {
			return &fields[i]
		}
		return nil
	}
	if c := at("date_of_birth"); c != nil {
		if n, err := strconv.ParseFloat(strings.TrimSpace(*c), 64); err == nil && n >= 1 && n < 100000 {
			*c = excelEpoch.AddDate(0, 0, int(n)).Format("02/01/2006")
		}
	}
	for name, digits := range map[string]int{"phone": 9, "cccd": 11} {
		if c := at(name); c != nil && len(strings.TrimSpace(*c)) == digits && allDigits(strings.TrimSpace(*c)) {
			*c = "0" + strings.TrimSpace(*c)
		}
	}
	return record{line: rec.line, fields: fields}
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
