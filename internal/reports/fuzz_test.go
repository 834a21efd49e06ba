package reports

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// FuzzParseHeadcounts feeds arbitrary files, CSV and .xlsx alike, to the headcount import an
// agency focal point uploads: it may refuse them, always with an *ImportError in readable
// Vietnamese, but must not panic, and what it accepts must be within bounds.
func FuzzParseHeadcounts(f *testing.F) {
	workbook := func(rows ...[]any) []byte {
		x := excelize.NewFile()
		defer x.Close()
		for i, cells := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := x.SetSheetRow("Sheet1", cell, &cells); err != nil {
				f.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if _, err := x.WriteTo(&buf); err != nil {
			f.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, seed := range []struct {
		name byte
		data []byte
	}{
		{0, []byte("code,headcount\nso-noi-vu,120\n\nq-le-chan,0\n")},
		{0, []byte("\xEF\xBB\xBFCode , Headcount,name\r\n so-noi-vu , 120 ,Sở Nội vụ\r\n,,\r\nq-le-chan,0,Lê Chân\r\n")},
		{0, []byte("mã đơn vị;biên chế\nso-noi-vu;120\n;\nq-le-chan;1.2E2\n")},
		{0, []byte("code,headcount\nx,\"12\nx,-1\n")},
		{1, workbook([]any{"code", "headcount"}, []any{"so-noi-vu", 120}, []any{"q-le-chan", 0.0})},
		{1, workbook([]any{"ghi chú", "headcount", "code"}, []any{"x", "1e6", "a"}, []any{nil, nil, nil})},
		{2, []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0}},
		{1, []byte("PK\x03\x04 not really a zip")},
	} {
		f.Add(seed.name, seed.data)
	}
	names := []string{"headcount.csv", "headcount.xlsx", "headcount.xls", "upload", "bien-che.txt", "x.pdf"}
	f.Fuzz(func(t *testing.T, name byte, data []byte) {
		rows, err := ParseHeadcounts(names[int(name)%len(names)], data)
		if err != nil {
			var ie *ImportError
			if !errors.As(err, &ie) || ie.Message == "" || !utf8.ValidString(ie.Error()) || ie.Line < 0 {
				t.Fatalf("refusal %T %v: want an *ImportError with a readable message", err, err)
			}
			return
		}
		if len(rows) == 0 || len(rows) > MaxHeadcountRows {
			t.Fatalf("accepted %d rows", len(rows))
		}
		seen := map[string]bool{}
		last := 0
		for _, r := range rows {
			if r.Code == "" || seen[r.Code] || r.Headcount < 0 || r.Headcount > MaxHeadcount || r.Line <= last {
				t.Fatalf("accepted a malformed row %+v (rows %+v)", r, rows)
			}
			seen[r.Code], last = true, r.Line
		}
	})
}
