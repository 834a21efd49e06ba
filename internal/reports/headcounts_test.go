package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/store"
)

// HeadcountWorkbook builds an .xlsx import from rows of cells (row 1 first).
func headcountWorkbook(t *testing.T, rows map[int][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, cells := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseHeadcountsCSVAndXLSX(t *testing.T) {
	want := []store.HeadcountRow{{Line: 2, Code: "so-noi-vu", Headcount: 120}, {Line: 4, Code: "q-le-chan", Headcount: 0}}
	cases := map[string]struct {
		name string
		data []byte
	}{
		"csv":                {"hc.csv", []byte("code,headcount\nso-noi-vu,120\n\nq-le-chan,0\n")},
		"csv with BOM, CRLF": {"hc.csv", []byte("\xEF\xBB\xBFCode , Headcount,name\r\n so-noi-vu , 120 ,Sở Nội vụ\r\n,,\r\nq-le-chan,0,Lê Chân\r\n")},
		"csv with ;":         {"HC.CSV", []byte("mã đơn vị;biên chế\nso-noi-vu;120\n;\nq-le-chan;0\n")},
		"xlsx": {"hc.xlsx", headcountWorkbook(t, map[int][]any{
			1: {"code", "headcount"}, 2: {"so-noi-vu", 120}, 4: {"q-le-chan", 0},
		})},
		"xlsx float, other name": {"upload.bin", headcountWorkbook(t, map[int][]any{
			1: {"ghi chú", "headcount", "code"}, 2: {"x", 120.0, "so-noi-vu"}, 3: {nil, nil, nil}, 4: {"", "0", "q-le-chan"},
		})},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseHeadcounts(c.name, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestParseHeadcountsNamesTheBadLine(t *testing.T) {
	cases := []struct {
		name, file string
		data       []byte
		line       int
		unreadable bool
		says       string
	}{
		{"negative", "a.csv", []byte("code,headcount\na,1\nb,-3\n"), 3, false, "số nguyên"},
		{"not a number", "a.csv", []byte("code,headcount\na,1\nb,1\nc,mười\n"), 4, false, `"mười"`},
		{"fraction", "a.csv", []byte("code,headcount\na,1.5\n"), 2, false, "số nguyên"},
		{"too big", "a.csv", []byte("code,headcount\na,1000001\n"), 2, false, "1000000"},
		{"missing code", "a.csv", []byte("code,headcount\n,5\n"), 2, false, "thiếu mã"},
		{"missing headcount", "a.csv", []byte("code,headcount\na\n"), 2, false, "thiếu biên chế"},
		{"duplicate", "a.csv", []byte("code,headcount\na,1\nb,2\na,3\n"), 4, false, "dòng 2"},
		{"no header", "a.csv", []byte("a,1\nb,2\n"), 1, false, "tiêu đề"},
		{"empty", "a.csv", []byte("\n\n"), 0, false, "trống"},
		{"header only", "a.csv", []byte("code,headcount\n"), 0, false, "không có dòng dữ liệu"},
		{"bad quotes", "a.csv", []byte("code,headcount\n\"a,1\nb,2\n"), 2, false, "CSV"},
		{"latin-1", "a.csv", []byte("code,headcount\n\xe0,1\n"), 0, true, "UTF-8"},
		{"broken xlsx", "a.xlsx", []byte("this is not a workbook"), 0, true, ".xlsx"},
		{"zip that is no workbook", "a.xlsx", []byte("PK\x03\x04garbage"), 0, true, ".xlsx"},
		{"xls", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0}, 0, true, ".xls"},
		{"pdf", "a.pdf", []byte("%PDF-1.4"), 0, true, ".csv"},
		{"xlsx bad cell", "a.xlsx", headcountWorkbook(t, map[int][]any{1: {"code", "headcount"}, 2: {"a", 3}, 5: {"b", "nhiều"}}), 5, false, `"nhiều"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := ParseHeadcounts(c.file, c.data)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("rows %v, error %v; want an ImportError", rows, err)
			}
			if rows != nil || ie.Line != c.line || ie.Unreadable != c.unreadable || !strings.Contains(ie.Error(), c.says) {
				t.Fatalf("error %+v (%q), want line %d unreadable %v saying %q", ie, ie.Error(), c.line, c.unreadable, c.says)
			}
		})
	}
}
