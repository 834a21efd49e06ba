package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWorkbookIsPrintReady(t *testing.T) {
	rep := sampleReport(40)
	rep.Campaign = "Hội thi tìm hiểu pháp luật & cải cách hành chính"
	rep.Date = time.Date(2023, 11, 6, 9, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, rep, nil); err != nil {
		t.Fatal(err)
	}
	problems, err := PrintProblems(buf.Bytes(), rep.Campaign)
	if err != nil || len(problems) != 0 {
		t.Fatalf("print problems %q (%v)", problems, err)
	}
	f := openWorkbook(t, buf.Bytes())
	sheet := "Tỷ lệ- tham gia-tuần (1)"
	layout, err := f.GetPageLayout(sheet)
	if err != nil || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 || *layout.Size != paperA4 {
		t.Fatalf("page layout %+v (%v)", layout, err)
	}
	var titles, filter string
	for _, d := range f.GetDefinedName() {
		if d.Scope != sheet {
			continue
		}
		switch d.Name {
		case "_xlnm.Print_Titles":
			titles = d.RefersTo
		case "_xlnm._FilterDatabase":
			filter = strings.ReplaceAll(d.RefersTo, "$", "")
		}
	}
	if titles != "'"+sheet+"'!$2:$2" {
		t.Errorf("print titles %q", titles)
	}
	if filter != "'"+sheet+"'!A2:G4" {
		t.Errorf("autofilter %q", filter)
	}
	// G3 holds nil, G4 a nil pointer: both are bordered like the rest of the table.
	for _, c := range []string{"G3", "G4", "E4"} {
		if !hasBorder(f, sheet, c) {
			t.Errorf("empty cell %s has no border", c)
		}
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil || hf.OddHeader != "&LHội thi tìm hiểu pháp luật && cải cách hành chính&RNgày 06/11/2023" || !strings.Contains(hf.OddFooter, "&P") {
		t.Errorf("header/footer %+v (%v)", hf, err)
	}
	// A sheet without rows still has a bordered header and its print set-up.
	if !hasBorder(f, "Tuần 1 (2)", "A2") {
		t.Error("header of the empty sheet has no border")
	}
}

func TestParticipationSheetHasTotalsOfTopLevelRows(t *testing.T) {
	district := int64(2)
	rows := []ParticipationRow{
		{AgencyID: 1, Code: "so-noi-vu", Name: "Sở Nội vụ", Participants: 80, CountedParticipants: 80, Headcount: 100},
		{AgencyID: 2, Code: "q-le-chan", Name: "Quận Lê Chân", Participants: 150, CountedParticipants: 120, Headcount: 120, RolledUp: true},
		{AgencyID: 3, Code: "p-an-bien", Name: "Phường An Biên", ParentID: &district, Participants: 50, CountedParticipants: 40, Headcount: 40},
	}
	s := participationSheet("Toàn Hội thi", "Tỷ lệ tham gia", rows, map[int64]string{2: "Quận Lê Chân"})
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Report{Title: "t", Campaign: "Hội thi", Sheets: []Sheet{s}}, nil); err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, buf.Bytes())
	// Data rows 3–5, totals on row 6: the ward is inside its district's figures.
	got := map[string]string{}
	for _, c := range []string{"C6", "F6", "G6", "H6", "J6"} {
		got[c], _ = f.GetCellValue("Toàn Hội thi", c, excelize.Options{RawCellValue: true})
	}
	if got["C6"] != "Tổng cộng" || got["F6"] != "230" || got["G6"] != "220" || !strings.HasPrefix(got["H6"], "0.909") || got["J6"] != "" {
		t.Fatalf("totals row %v", got)
	}
	if !hasBorder(f, "Toàn Hội thi", "J6") {
		t.Error("empty totals cell has no border")
	}
	id, _ := f.GetCellStyle("Toàn Hội thi", "F6")
	if st, _ := f.GetStyle(id); st.Font == nil || !st.Font.Bold || st.NumFmt != formatInteger {
		t.Errorf("totals style %+v", st)
	}
	var filter string
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filter = strings.ReplaceAll(d.RefersTo, "$", "")
		}
	}
	if !strings.HasSuffix(filter, "!A2:M5") {
		t.Errorf("the autofilter %q must stop above the totals row", filter)
	}
}
