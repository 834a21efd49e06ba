package seed

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hpcontest/contest/internal/rules"
)

// Problem is one thing wrong in an imported file: where (line, column) and what, in
// Vietnamese for the clerk who has to fix it. Line 0 is the file as a whole.
type Problem struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	where := "Tệp"
	if p.Line > 0 {
		where = fmt.Sprintf("Dòng %d", p.Line)
	}
	if p.Column != "" {
		where += ", cột " + p.Column
	}
	return where + ": " + p.Message + "."
}

// QuestionLine is one line of a question file read as a question, with what is wrong
// with it (nothing when Problems is empty).
type QuestionLine struct {
	Line     int
	Row      QuestionRow
	Problems []Problem
}

// QuestionFile is a whole question file, every line checked: a clerk fixes all of its
// mistakes in one go rather than one per upload.
type QuestionFile struct {
	Format   string
	Problems []Problem // about the file, or about lines that could not be read as a row
	Lines    []QuestionLine
}

// AllProblems lists the file's problems and every line's, in file order.
func (f QuestionFile) AllProblems() []Problem {
	out := append([]Problem(nil), f.Problems...)
	for _, l := range f.Lines {
		out = append(out, l.Problems...)
	}
	sortProblems(out)
	return out
}

// maxCodeLength bounds a question code; codes are short identifiers like "T2-01".
const maxCodeLength = 64

// ParseQuestionFile reads a question bank as CSV (comma or semicolon) or .xlsx and checks
// every line, collecting every problem instead of stopping at the first.
func ParseQuestionFile(data []byte) QuestionFile {
	t := readTable(data)
	f := QuestionFile{Format: t.format, Problems: t.problems}
	if t.header == nil {
		if len(f.Problems) == 0 {
			f.Problems = append(f.Problems, Problem{Message: "tệp trống; dòng đầu tiên phải là tiêu đề " + strings.Join(questionHeader, ",")})
		}
		return f
	}
	cols, headerProblems := mapHeader(t.header, questionHeader)
	if len(headerProblems) > 0 {
		f.Problems = append(f.Problems, headerProblems...)
		return f
	}
	seen := map[string]int{} // code -> first line
	for _, rec := range t.records {
		l := parseQuestionLine(rec, cols, len(t.header), t.format == FormatXLSX)
		if code := l.Row.Code; code != "" {
			if first, dup := seen[code]; dup {
				l.Problems = append(l.Problems, Problem{Line: rec.line, Column: "code", Message: fmt.Sprintf("mã %s đã có ở dòng %d", code, first)})
			} else {
				seen[code] = rec.line
			}
		}
		f.Lines = append(f.Lines, l)
	}
	return f
}

// mapHeader finds each wanted column in the header, in any order and any letter case.
func mapHeader(header, want []string) (map[string]int, []Problem) {
	cols := map[string]int{}
	var problems []Problem
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case name == "":
			problems = append(problems, Problem{Line: 1, Message: fmt.Sprintf("cột thứ %d của tiêu đề không có tên", i+1)})
		case !slices.Contains(want, name):
			problems = append(problems, Problem{Line: 1, Message: fmt.Sprintf("cột “%s” không có trong mẫu (%s)", h, strings.Join(want, ","))})
		default:
			if _, dup := cols[name]; dup {
				problems = append(problems, Problem{Line: 1, Message: fmt.Sprintf("cột “%s” xuất hiện hai lần", name)})
			}
			cols[name] = i
		}
	}
	var missing []string
	for _, w := range want {
		if _, ok := cols[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		problems = append(problems, Problem{Line: 1, Message: "tiêu đề thiếu cột " + strings.Join(missing, ", ") + " (mẫu: " + strings.Join(want, ",") + ")"})
	}
	return cols, problems
}

// parseQuestionLine checks one line (see lineShapeProblem for its cell count).
func parseQuestionLine(rec record, cols map[string]int, width int, padShort bool) QuestionLine {
	l := QuestionLine{Line: rec.line}
	add := func(column, format string, args ...any) {
		l.Problems = append(l.Problems, Problem{Line: rec.line, Column: column, Message: fmt.Sprintf(format, args...)})
	}
	if problem := lineShapeProblem(rec.fields, width, padShort); problem != "" {
		add("", "%s", problem)
		return l
	}
	cell := cellsOf(rec.fields, cols)
	q := QuestionRow{Code: cell("code"), Source: cell("source"), Text: cell("text")}
	switch {
	case q.Code == "":
		add("code", "thiếu mã câu hỏi")
	case strings.ContainsAny(q.Code, "~ \t\r\n"):
		// "~" marks the codes the bank gives to superseded revisions (see store).
		add("code", "mã câu hỏi “%s” không được chứa khoảng trắng hay dấu ~", q.Code)
	case len(q.Code) > maxCodeLength:
		add("code", "mã câu hỏi dài quá %d ký tự", maxCodeLength)
	}
	if round := cell("round"); round != "" {
		n, err := strconv.Atoi(round)
		if err != nil || n < 1 {
			add("round", "“%s” không phải số tuần (để trống nếu câu hỏi chưa thuộc tuần nào)", round)
		} else {
			q.Round = n
		}
	}
	if q.Source == "" {
		add("source", "thiếu văn bản nguồn của câu hỏi")
	}
	if q.Text == "" {
		add("text", "thiếu nội dung câu hỏi")
	}
	firstSeen := map[string]string{}
	for i := range q.Options {
		key := rules.OptionKey(i)
		name := "option_" + strings.ToLower(key)
		q.Options[i] = cell(name)
		if q.Options[i] == "" {
			add(name, "phương án %s bị để trống", key)
			continue
		}
		if other, dup := firstSeen[q.Options[i]]; dup {
			add(name, "phương án %s trùng với phương án %s", key, other)
		}
		firstSeen[q.Options[i]] = key
	}
	correct := cell("correct")
	if idx, ok := rules.OptionIndex(strings.ToUpper(correct)); ok {
		q.Correct = idx
	} else if correct == "" {
		add("correct", "thiếu đáp án đúng (A, B, C hoặc D)")
	} else {
		add("correct", "đáp án đúng “%s” phải là A, B, C hoặc D", correct)
	}
	l.Row = q
	return l
}
