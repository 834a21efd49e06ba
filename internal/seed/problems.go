package seed

import (
	"sort"
	"strings"
)

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Line < ps[j].Line })
}

// ProblemsError is a file refused for the problems it lists.
type ProblemsError []Problem

func (e ProblemsError) Error() string {
	parts := make([]string, len(e))
	for i, p := range e {
		parts[i] = p.String()
	}
	return strings.Join(parts, " ")
}
