package seed

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const questionCSVHeader = "code,round,source,text,option_a,option_b,option_c,option_d,correct\n"

func TestParseQuestionFileReportsEveryProblemWithLineAndColumn(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Problem
	}{
		{"empty file", "", []Problem{{Line: 0, Message: "tệp trống; dòng đầu tiên phải là tiêu đề code,round,source,text,option_a,option_b,option_c,option_d,correct"}}},
		{"missing header columns", "code,text\nQ1,x\n", []Problem{{Line: 1,
			Message: "tiêu đề thiếu cột round, source, option_a, option_b, option_c, option_d, correct (mẫu: code,round,source,text,option_a,option_b,option_c,option_d,correct)"}}},
		{"unknown header column", strings.TrimSuffix(questionCSVHeader, "\n") + ",ghi_chu\n", []Problem{{Line: 1,
			Message: "cột “ghi_chu” không có trong mẫu (code,round,source,text,option_a,option_b,option_c,option_d,correct)"}}},
		{"missing cell", questionCSVHeader + "Q1,1,76/NQ-CP,Text,a,b,c,D\n", []Problem{{Line: 2, Message: "dòng có 8 ô, tiêu đề có 9 cột"}}},
		{"unquoted delimiter in a cell", questionCSVHeader + "Q1,1,76/NQ-CP,Text, with comma,a,b,c,d,A\n", []Problem{{Line: 2,
			Message: "dòng có 10 ô, tiêu đề có 9 cột; nếu nội dung có dấu phân cách, hãy đặt ô đó trong ngoặc kép"}}},
		{"correct outside A-D", questionCSVHeader + "Q1,1,76/NQ-CP,Text,a,b,c,d,E\n", []Problem{{Line: 2, Column: "correct", Message: "đáp án đúng “E” phải là A, B, C hoặc D"}}},
		{"correct missing", questionCSVHeader + "Q1,1,76/NQ-CP,Text,a,b,c,d,\n", []Problem{{Line: 2, Column: "correct", Message: "thiếu đáp án đúng (A, B, C hoặc D)"}}},
		{"duplicate options", questionCSVHeader + "Q1,1,76/NQ-CP,Text,a,b,a,d,A\n", []Problem{{Line: 2, Column: "option_c", Message: "phương án C trùng với phương án A"}}},
		{"empty option", questionCSVHeader + "Q1,1,76/NQ-CP,Text,a,,c,d,A\n", []Problem{{Line: 2, Column: "option_b", Message: "phương án B bị để trống"}}},
		{"everything missing on one line", questionCSVHeader + ",,,,a,b,c,d,A\n", []Problem{
			{Line: 2, Column: "code", Message: "thiếu mã câu hỏi"},
			{Line: 2, Column: "source", Message: "thiếu văn bản nguồn của câu hỏi"},
			{Line: 2, Column: "text", Message: "thiếu nội dung câu hỏi"}}},
		{"code with the revision mark", questionCSVHeader + "Q1~r1,1,s,T,a,b,c,d,A\n", []Problem{{Line: 2, Column: "code", Message: "mã câu hỏi “Q1~r1” không được chứa khoảng trắng hay dấu ~"}}},
		{"duplicate code", questionCSVHeader + "Q1,1,s,T,a,b,c,d,A\nQ1,1,s,T2,a,b,c,d,A\n", []Problem{{Line: 3, Column: "code", Message: "mã Q1 đã có ở dòng 2"}}},
		{"bad round", questionCSVHeader + "Q1,x,s,T,a,b,c,d,A\n", []Problem{{Line: 2, Column: "round", Message: "“x” không phải số tuần (để trống nếu câu hỏi chưa thuộc tuần nào)"}}},
		{"round zero", questionCSVHeader + "Q1,0,s,T,a,b,c,d,A\n", []Problem{{Line: 2, Column: "round", Message: "“0” không phải số tuần (để trống nếu câu hỏi chưa thuộc tuần nào)"}}},
		{"invalid UTF-8 names its line", questionCSVHeader + "Q1,1,s,T,a,b,c,d,A\nQ2,1,s,T\xff,a,b,c,d,A\n", []Problem{{Line: 3,
			Message: "tệp không phải văn bản UTF-8. Trong Excel, hãy lưu bằng “CSV UTF-8” hoặc gửi tệp .xlsx"}}},
		{"stray quote", questionCSVHeader + "Q1,1,s,T\"x,a,b,c,d,A\nQ2,1,s,T,a,b,c,d,A\n", []Problem{{Line: 2,
			Message: "dấu ngoặc kép (\") đặt sai chỗ; ô có dấu ngoặc kép phải được bao trong ngoặc kép, và mỗi dấu ngoặc kép bên trong viết thành hai dấu (\"\")"}}},
		{"several bad lines at once", questionCSVHeader + "Q1,1,s,T,a,b,c,d,E\nQ2,1,s,T,a,b,c,d,A\nQ3,1,s,,a,b,c,d,B\n", []Problem{
			{Line: 2, Column: "correct", Message: "đáp án đúng “E” phải là A, B, C hoặc D"},
			{Line: 4, Column: "text", Message: "thiếu nội dung câu hỏi"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseQuestionFile([]byte(tt.body)).AllProblems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("problems\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseQuestionFileAcceptsWhatSpreadsheetsSave(t *testing.T) {
	want := []QuestionRow{
		{Code: "Q1", Round: 2, Source: "76/NQ-CP", Text: "Câu hỏi; có dấu chấm phẩy?", Options: [4]string{"Một", "Hai", "Ba", "Bốn"}, Correct: 1},
		{Code: "Q2", Source: "61/2018/NĐ-CP", Text: "Câu hỏi\nhai dòng?", Options: [4]string{"a", "b", "c", "d"}, Correct: 3},
	}
	tests := []struct {
		name, format string
		body         []byte
		lines        []int
	}{
		{"comma", FormatCSVComma, []byte(questionCSVHeader +
			"Q1,2,76/NQ-CP,Câu hỏi; có dấu chấm phẩy?,Một,Hai,Ba,Bốn,b\n" +
			"Q2,,61/2018/NĐ-CP,\"Câu hỏi\nhai dòng?\",a,b,c,d,D\n"), []int{2, 3}},
		{"semicolon with BOM and CRLF, as Excel saves it", FormatCSVSemicolon, []byte("\ufeff" + strings.ReplaceAll(
			"code;round;source;text;option_a;option_b;option_c;option_d;correct\n"+
				";;;;;;;;\n"+
				"Q1;2;76/NQ-CP;\"Câu hỏi; có dấu chấm phẩy?\";Một;Hai;Ba;Bốn;B\n"+
				"Q2;;61/2018/NĐ-CP;\"Câu hỏi\nhai dòng?\";a;b;c;d;D\n", "\n", "\r\n")), []int{3, 4}},
		{"columns in another order and case", FormatCSVComma, []byte("Correct,Code,Text,Source,Round,Option_A,Option_B,Option_C,Option_D\n" +
			"B,Q1,Câu hỏi; có dấu chấm phẩy?,76/NQ-CP,2,Một,Hai,Ba,Bốn\n" +
			"d,Q2,\"Câu hỏi\nhai dòng?\",61/2018/NĐ-CP,,a,b,c,d\n"), []int{2, 3}},
		{"xlsx", FormatXLSX, workbook(t, [][]string{
			strings.Split(strings.TrimSpace(questionCSVHeader), ","),
			{"Q1", "2", "76/NQ-CP", "Câu hỏi; có dấu chấm phẩy?", "Một", "Hai", "Ba", "Bốn", "B"},
			{},
			{"Q2", "", "61/2018/NĐ-CP", "Câu hỏi\nhai dòng?", "a", "b", "c", "d", "D"},
		}), []int{2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ParseQuestionFile(tt.body)
			if p := f.AllProblems(); len(p) > 0 {
				t.Fatalf("problems: %+v", p)
			}
			if f.Format != tt.format || len(f.Lines) != len(want) {
				t.Fatalf("format %s, %d lines: %+v", f.Format, len(f.Lines), f.Lines)
			}
			for i, l := range f.Lines {
				if l.Line != tt.lines[i] || !reflect.DeepEqual(l.Row, want[i]) {
					t.Errorf("line %d: %+v, want line %d %+v", i, l, tt.lines[i], want[i])
				}
			}
		})
	}
}

func TestParseQuestionFileRefusesABrokenWorkbook(t *testing.T) {
	p := ParseQuestionFile([]byte("PK\x03\x04 not really a zip")).AllProblems()
	if len(p) != 1 || !strings.Contains(p[0].Message, "không mở được tệp Excel") {
		t.Fatalf("problems %+v", p)
	}
}

// workbook builds an .xlsx file with rows on its first sheet.
func workbook(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
