package seed

import (
	"fmt"
	"strings"
)

// lineShapeProblem says what is wrong with a line's cell count against the header's width,
// or "" when it fits. A spreadsheet drops empty cells at the end of a row, so a short
// .xlsx row is padded (padShort); a short CSV line is a misplaced delimiter and refused.
func lineShapeProblem(fields []string, width int, padShort bool) string {
	switch {
	case len(fields) > width && !blank(fields[width:]):
		return fmt.Sprintf("dòng có %d ô, tiêu đề có %d cột; nếu nội dung có dấu phân cách, hãy đặt ô đó trong ngoặc kép", len(fields), width)
	case len(fields) < width && !padShort:
		return fmt.Sprintf("dòng có %d ô, tiêu đề có %d cột", len(fields), width)
	}
	return ""
}

// cellsOf reads a line's cells by column name, trimmed; a missing cell is "".
func cellsOf(fields []string, cols map[string]int) func(name string) string {
	return func(name string) string {
		if i := cols[name]; i < len(fields) {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
}
