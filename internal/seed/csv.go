// Package seed loads the default campaign, the agency tree and question banks. The
// question CSV format here is also the secretariat's import format.
package seed

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hpcontest/contest/internal/store"
)

// AgencyRow is one line of an agencies CSV.
type AgencyRow = store.AgencyInput

// QuestionRow is one line of a questions CSV. Round 0 means "in the bank, in no round yet".
type QuestionRow = store.QuestionInput

var (
	agencyHeader   = []string{"code", "parent_code", "name", "category", "headcount"}
	questionHeader = []string{"code", "round", "source", "text", "option_a", "option_b", "option_c", "option_d", "correct"}
	categories     = map[string]bool{"city_department": true, "central": true, "district": true, "commune": true}
)

// maxCSVRows bounds an import so a hostile file cannot exhaust memory.
const maxCSVRows = 100_000

func readCSV(r io.Reader, header []string, row func(line int, rec []string) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	first, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	first[0] = strings.TrimPrefix(first[0], "\ufeff") // spreadsheet exports add a BOM
	for i, h := range header {
		if strings.TrimSpace(strings.ToLower(first[i])) != h {
			return fmt.Errorf("header column %d is %q, want %q (header: %s)", i+1, first[i], h, strings.Join(header, ","))
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if line > maxCSVRows+1 {
			return fmt.Errorf("more than %d rows", maxCSVRows)
		}
		for i := range rec {
			if !utf8.ValidString(rec[i]) {
				return fmt.Errorf("line %d column %s: not valid UTF-8", line, header[i])
			}
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := row(line, rec); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
}

// ParseAgencies reads an agencies CSV.
func ParseAgencies(r io.Reader) ([]AgencyRow, error) {
	var rows []AgencyRow
	err := readCSV(r, agencyHeader, func(_ int, rec []string) error {
		a := AgencyRow{Code: rec[0], ParentCode: rec[1], Name: rec[2], Category: rec[3]}
		if a.Code == "" || a.Name == "" {
			return errors.New("code and name are required")
		}
		if !categories[a.Category] {
			return fmt.Errorf("unknown category %q", a.Category)
		}
		n, err := strconv.Atoi(rec[4])
		if err != nil || n < 0 {
			return fmt.Errorf("headcount %q is not a whole number", rec[4])
		}
		a.Headcount = n
		rows = append(rows, a)
		return nil
	})
	return rows, err
}

// ParseQuestions reads a question file (CSV or .xlsx) and checks every question is well
// formed; the error lists every problem found.
func ParseQuestions(r io.Reader) ([]QuestionRow, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	f := ParseQuestionFile(data)
	if problems := f.AllProblems(); len(problems) > 0 {
		return nil, ProblemsError(problems)
	}
	rows := make([]QuestionRow, len(f.Lines))
	for i, l := range f.Lines {
		rows[i] = l.Row
	}
	return rows, nil
}
