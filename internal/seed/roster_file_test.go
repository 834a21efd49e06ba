package seed

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestParseRosterFile(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		format   string
		lines    int
		problems []string // "line:column" of every problem, file problems as "0:" or "1:"
	}{
		{"comma CSV, CCCD optional", "agency_code,full_name,date_of_birth,phone,cccd\nSTC,Nguyễn Văn An,07/03/1985,0912345678,031085001234\nSTC,Trần Thị Bình,1990-12-01,+84 913 000 111,\n",
			FormatCSVComma, 2, nil},
		{"semicolon CSV", "agency_code;full_name;date_of_birth;phone;cccd\nSTC;Nguyễn Văn An;07/03/1985;0912345678;\n", FormatCSVSemicolon, 1, nil},
		{"every bad cell is named", "agency_code,full_name,date_of_birth,phone,cccd\n,A,31/02/1985,0212345678,1234\n",
			FormatCSVComma, 1, []string{"2:agency_code", "2:full_name", "2:date_of_birth", "2:phone", "2:cccd"}},
		{"duplicate phone and CCCD", "agency_code,full_name,date_of_birth,phone,cccd\nSTC,Nguyễn Văn An,07/03/1985,0912345678,031085001234\nSTC,Nguyễn Văn Ba,07/03/1986,0912345678,031085001234\n",
			FormatCSVComma, 2, []string{"3:phone", "3:cccd"}},
		{"missing column", "agency_code,full_name,phone\nSTC,A B,0912345678\n", FormatCSVComma, 0, []string{"1:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := ParseRosterFile([]byte(c.file))
			if f.Format != c.format || len(f.Lines) != c.lines {
				t.Fatalf("format %q, %d lines; want %q, %d (problems %v)", f.Format, len(f.Lines), c.format, c.lines, f.Problems)
			}
			var got []string
			for _, p := range f.Problems {
				got = append(got, strconv.Itoa(p.Line)+":"+p.Column)
			}
			for _, l := range f.Lines {
				for _, p := range l.Problems {
					got = append(got, strconv.Itoa(p.Line)+":"+p.Column)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.problems, " ") {
				t.Fatalf("problems %v, want %v", got, c.problems)
			}
		})
	}
	f := ParseRosterFile([]byte("agency_code,full_name,date_of_birth,phone,cccd\nSTC,Trần Thị Bình,1990-12-01,+84 913 000 111, 031 085 001 234\n"))
	if r := f.Lines[0].Row; r.Phone != "0913000111" || r.CCCD != "031085001234" || r.DateOfBirth.Format("2006-01-02") != "1990-12-01" {
		t.Fatalf("row %+v", r)
	}
}

// A roster typed into Excel: the date of birth a date cell, phone and CCCD typed as numbers
// (their leading 0 gone), one CCCD as text.
func TestParseRosterWorkbook(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"agency_code", "full_name", "date_of_birth", "phone", "cccd"},
		{"so-tai-chinh", "Nguyễn Văn An", time.Date(1985, 3, 7, 0, 0, 0, 0, time.UTC), 912345678, 31085001234},
		{"so-tai-chinh", "Trần Thị Bình", "01/12/1990", "0913000111", "031090001234"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	_ = f.SetCellStyle(sheet, "C2", "C2", style)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := ParseRosterFile(buf.Bytes())
	if got.Format != FormatXLSX || len(got.Problems) != 0 || len(got.Lines) != 2 {
		t.Fatalf("workbook read as %+v", got)
	}
	for i, want := range []RosterRow{
		{AgencyCode: "so-tai-chinh", FullName: "Nguyễn Văn An", DateOfBirth: time.Date(1985, 3, 7, 0, 0, 0, 0, time.UTC), Phone: "0912345678", CCCD: "031085001234"},
		{AgencyCode: "so-tai-chinh", FullName: "Trần Thị Bình", DateOfBirth: time.Date(1990, 12, 1, 0, 0, 0, 0, time.UTC), Phone: "0913000111", CCCD: "031090001234"},
	} {
		if l := got.Lines[i]; len(l.Problems) != 0 || l.Row != want {
			t.Errorf("line %d: %+v problems %v, want %+v", l.Line, l.Row, l.Problems, want)
		}
	}
}
