package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/store"
)

func sampleReport(rows int) Report {
	hcm, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	prediction := 12
	big := Sheet{Name: "Tuần 1", Title: "Kết quả tuần thi thứ 1", Headers: []string{"Hạng", "Họ và tên", "Dự đoán", "Giây"}}
	for i := range rows {
		big.Rows = append(big.Rows, []any{i + 1, "Thí sinh", &prediction, float64(i) / 1000})
	}
	return Report{
		Title: "Báo cáo thử",
		Sheets: []Sheet{
			{
				Name: "Tỷ lệ: tham gia/tuần [1]", Title: "Tỷ lệ tham gia",
				Headers: []string{"STT", "Cơ quan, đơn vị", "Số người dự thi", "Tỷ lệ tham gia", "Thời điểm", "Đạt", "Trống"},
				Rows: [][]any{
					{1, "Sở Nội vụ", int64(1234), Percent(0.755), time.Date(2023, 10, 23, 8, 30, 15, 0, hcm), true, nil},
					{2, "UBND quận Hồng Bàng", 0, Percent(0), (*time.Time)(nil), false, (*int)(nil)},
				},
			},
			big,
			{Name: "Tuần 1", Title: "", Headers: []string{"Cột"}}, // duplicate name, empty sheet
		},
	}
}

func openWorkbook(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open produced workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteXLSXCellsStylesAndLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, sampleReport(3), nil); err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, buf.Bytes())
	sheets := f.GetSheetList()
	want := []string{"Tỷ lệ- tham gia-tuần (1)", "Tuần 1", "Tuần 1 (2)"}
	if strings.Join(sheets, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", sheets, want)
	}
	s := sheets[0]
	get := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	shown := func(sheet, cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typeOf := func(sheet, cell string) excelize.CellType {
		t.Helper()
		ct, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	style := func(sheet, cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	// Row 1: the title, bold, merged across the table.
	if get(s, "A1") != "Tỷ lệ tham gia" || !style(s, "A1").Font.Bold {
		t.Fatalf("title cell %q", get(s, "A1"))
	}
	merged, err := f.GetMergeCells(s)
	if err != nil || len(merged) != 1 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "G1" {
		t.Fatalf("merged cells %v (%v)", merged, err)
	}
	// Row 2: bold headers.
	for i, h := range []string{"STT", "Cơ quan, đơn vị", "Số người dự thi", "Tỷ lệ tham gia", "Thời điểm", "Đạt", "Trống"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if get(s, cell) != h || style(s, cell).Font == nil || !style(s, cell).Font.Bold {
			t.Fatalf("header %s = %q (bold %v), want bold %q", cell, get(s, cell), style(s, cell).Font, h)
		}
	}
	// Data from row 3: numbers are numbers, rates are percentages, times are dates.
	const number, text, empty = "number", "text", "empty"
	checks := []struct{ cell, raw, shown, kind string }{
		{"A3", "1", "1", number},
		{"B3", "Sở Nội vụ", "Sở Nội vụ", text},
		{"C3", "1234", "1,234", number},
		{"D3", "0.755", "75.5%", number},
		{"E3", "", "23/10/2023 08:30:15", number},
		{"F3", "Có", "Có", text},
		{"G3", "", "", empty},
		{"C4", "0", "0", number},
		{"D4", "0", "0.0%", number},
		{"E4", "", "", empty},
		{"F4", "Không", "Không", text},
	}
	for _, c := range checks {
		if c.raw != "" && get(s, c.cell) != c.raw {
			t.Errorf("%s raw %q, want %q", c.cell, get(s, c.cell), c.raw)
		}
		if shown(s, c.cell) != c.shown {
			t.Errorf("%s shown %q, want %q", c.cell, shown(s, c.cell), c.shown)
		}
		typ := typeOf(s, c.cell)
		isText := typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString
		_, numErr := strconv.ParseFloat(get(s, c.cell), 64)
		switch {
		case c.kind == number && (isText || numErr != nil):
			t.Errorf("%s is not a number: type %v, raw %q", c.cell, typ, get(s, c.cell))
		case c.kind == text && !isText:
			t.Errorf("%s is not text: type %v", c.cell, typ)
		case c.kind == empty && get(s, c.cell) != "":
			t.Errorf("%s is not empty", c.cell)
		}
	}
	if st := style(s, "D3"); st.CustomNumFmt == nil || *st.CustomNumFmt != "0.0%" {
		t.Errorf("rate format %+v", st.CustomNumFmt)
	}
	// The Excel serial of 23/10/2023 08:30:15 wall-clock time in Hai Phong.
	if raw := get(s, "E3"); !strings.HasPrefix(raw, "45222.354") {
		t.Errorf("time serial %q", raw)
	}
	// Columns are sized to their content.
	wA, _ := f.GetColWidth(s, "A")
	wB, _ := f.GetColWidth(s, "B")
	if wA < 5 || wB < float64(len([]rune("UBND quận Hồng Bàng"))) || wB > 60 {
		t.Errorf("column widths A=%v B=%v", wA, wB)
	}
	// A pointer column and a float column on the second sheet.
	if get("Tuần 1", "C5") != "12" || get("Tuần 1", "D5") != "0.002" || get("Tuần 1", "A1") != "Kết quả tuần thi thứ 1" {
		t.Errorf("second sheet C5=%q D5=%q", get("Tuần 1", "C5"), get("Tuần 1", "D5"))
	}
	// An empty sheet keeps its header and takes the report's title.
	if get("Tuần 1 (2)", "A1") != "Báo cáo thử" || get("Tuần 1 (2)", "A2") != "Cột" || get("Tuần 1 (2)", "A3") != "" {
		t.Errorf("empty sheet")
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "Báo cáo thử" {
		t.Errorf("doc title %+v %v", props, err)
	}
}

func TestWriteXLSXReportsProgressPerSheetAndRows(t *testing.T) {
	rep := sampleReport(3 * ProgressEvery)
	var calls [][2]int
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	total := rep.RowCount() + len(rep.Sheets)
	// One call after each sheet, plus one per ProgressEvery rows of the big sheet.
	if len(calls) != len(rep.Sheets)+3 {
		t.Fatalf("%d progress calls: %v", len(calls), calls)
	}
	for i, c := range calls {
		if c[1] != total || (i > 0 && c[0] <= calls[i-1][0]) {
			t.Fatalf("progress not moving forward: %v", calls)
		}
	}
	if last := calls[len(calls)-1]; last[0] != total {
		t.Fatalf("progress ends at %v, want %d", last, total)
	}
	f := openWorkbook(t, buf.Bytes())
	rows, err := f.GetRows("Tuần 1")
	if err != nil || len(rows) != 2+3*ProgressEvery {
		t.Fatalf("big sheet has %d rows (%v)", len(rows), err)
	}
}

func TestWriteJSONKeepsTypes(t *testing.T) {
	var buf bytes.Buffer
	rep := sampleReport(1)
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title  string
		Sheets []struct {
			Name    string
			Title   string
			Headers []string
			Rows    [][]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != "Báo cáo thử" || len(got.Sheets) != 3 || got.Sheets[2].Rows == nil || len(got.Sheets[2].Rows) != 0 {
		t.Fatalf("%s", buf.String())
	}
	row := got.Sheets[0].Rows[0]
	if row[2] != float64(1234) || row[3] != 0.755 || row[4] != "2023-10-23T08:30:15+07:00" || row[5] != true || row[6] != nil {
		t.Fatalf("row %v", row)
	}
	if got.Sheets[0].Rows[1][4] != nil || got.Sheets[1].Rows[0][2] != float64(12) {
		t.Fatalf("pointers: %v %v", got.Sheets[0].Rows[1], got.Sheets[1].Rows[0])
	}
	if rep.Sheets[2].Rows != nil {
		t.Fatal("WriteJSON changed the caller's report")
	}
}

func TestRegistry(t *testing.T) {
	for _, k := range []string{KindWeeklyResults, KindParticipation, KindFinalSummary} {
		if _, ok := Lookup(k); !ok {
			t.Fatalf("kind %s not registered", k)
		}
	}
	Register("test_kind", func(context.Context, *store.Store, int64) (Report, error) { return Report{Title: "x"}, nil })
	if b, ok := Lookup("test_kind"); !ok || b == nil {
		t.Fatal("registered kind not found")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering a kind twice did not panic")
		}
	}()
	Register("test_kind", func(context.Context, *store.Store, int64) (Report, error) { return Report{}, nil })
}
