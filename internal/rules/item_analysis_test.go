package rules

import (
	"math"
	"slices"
	"testing"
)

// answer is one attempt's answer to question 1: its group, its total score and the
// option it chose (in the bank's order).
type answer struct{ group, total, option int }

func cellsOf(answers []answer) []ItemCell {
	var cells []ItemCell
	for _, a := range answers {
		cells = append(cells, ItemCell{QuestionID: 1, Group: a.group, Option: a.option, Count: 1,
			SumTotal: int64(a.total), SumTotalSq: int64(a.total * a.total)})
	}
	return cells
}

func near(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-4 }

func TestItemAnalysis(t *testing.T) {
	const U, M, L = ItemGroupUpper, ItemGroupMiddle, ItemGroupLower
	const A, B, C, D, none = 0, 1, 2, 3, ItemNoChoice
	for _, c := range []struct {
		name           string
		key            int
		answers        []answer
		p, d           *float64 // nil: must be nil
		rpb            *float64
		chosen         [4]int
		unanswered     int
		flags          []string
		upper, upperOK int
	}{
		{
			name: "a good question: the strong get it, the weak do not", key: A,
			answers: []answer{{U, 4, A}, {M, 3, A}, {M, 2, B}, {L, 1, C}},
			p:       ptr(0.5), d: ptr(1), rpb: ptr(0.894427), chosen: [4]int{2, 1, 1, 0}, flags: []string{},
			upper: 1, upperOK: 1,
		},
		{
			name: "a wrong key: the strong choose C, the key B goes to the weak", key: B,
			answers: []answer{{U, 9, C}, {U, 8, C}, {M, 6, C}, {M, 5, B}, {L, 2, B}, {L, 1, B}},
			p:       ptr(0.5), d: ptr(-1), rpb: ptr(-0.858898), chosen: [4]int{0, 3, 3, 0},
			flags: []string{FlagNegativeDiscrimination, FlagDistractorBeatsKey}, upper: 2,
		},
		{
			name: "everybody right: too easy, no correlation to speak of", key: D,
			answers: []answer{{U, 10, D}, {M, 7, D}, {L, 3, D}},
			p:       ptr(1), d: ptr(0), chosen: [4]int{0, 0, 0, 3}, flags: []string{FlagTooEasy}, upper: 1, upperOK: 1,
		},
		{
			name: "nobody right, one left blank: too hard, and the strong chose B", key: A,
			answers: []answer{{U, 5, B}, {M, 4, C}, {L, 1, none}},
			p:       ptr(0), d: ptr(0), chosen: [4]int{0, 1, 1, 0}, unanswered: 1, flags: []string{FlagTooHard, FlagDistractorBeatsKey}, upper: 1,
		},
		{
			name: "a tie in the upper group between the key and a distractor is not flagged", key: A,
			answers: []answer{{U, 9, A}, {U, 9, B}, {L, 1, C}, {L, 1, C}},
			p:       ptr(0.25), d: ptr(0.5), rpb: ptr(0.57735), chosen: [4]int{1, 1, 2, 0}, flags: []string{}, upper: 2, upperOK: 1,
		},
		{
			name: "one attempt only: no groups, no discrimination", key: A,
			answers: []answer{{M, 3, A}},
			p:       ptr(1), chosen: [4]int{1, 0, 0, 0}, flags: []string{FlagTooEasy},
		},
		{
			name: "never drawn: nothing to say", key: C, flags: []string{},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ItemAnalysis([]ItemQuestion{{ID: 1, Code: "Q1", CorrectOption: c.key}},
				append(cellsOf(c.answers), ItemCell{QuestionID: 99, Option: A, Count: 5})) // another question's cell is ignored
			if len(got) != 1 {
				t.Fatalf("%d rows", len(got))
			}
			s := got[0]
			check := func(what string, got *float64, want *float64) {
				t.Helper()
				if (want == nil) != (got == nil) || (want != nil && !near(got, *want)) {
					t.Errorf("%s = %v, want %v", what, deref(got), deref(want))
				}
			}
			check("p", s.Difficulty, c.p)
			check("D", s.Discrimination, c.d)
			check("point-biserial", s.PointBiserial, c.rpb)
			for k, n := range c.chosen {
				if s.Options[k].Chosen != n || s.Options[k].IsKey != (k == c.key) {
					t.Errorf("option %d: %+v, want chosen %d", k, s.Options[k], n)
				}
			}
			if s.Attempts != len(c.answers) || s.Unanswered != c.unanswered || s.UpperAttempts != c.upper || s.UpperCorrect != c.upperOK {
				t.Errorf("counts %+v", s)
			}
			if !slices.Equal(s.Flags, c.flags) {
				t.Errorf("flags %q, want %q", s.Flags, c.flags)
			}
		})
	}
}

func TestItemAnalysisSharesAndOrder(t *testing.T) {
	qs := []ItemQuestion{{ID: 7, Code: "B", CorrectOption: 1}, {ID: 3, Code: "A", CorrectOption: 0}}
	got := ItemAnalysis(qs, []ItemCell{
		{QuestionID: 3, Group: ItemGroupUpper, Option: 0, Count: 3, SumTotal: 30, SumTotalSq: 300},
		{QuestionID: 3, Group: ItemGroupLower, Option: 2, Count: 1, SumTotal: 2, SumTotalSq: 4},
		{QuestionID: 7, Group: ItemGroupMiddle, Option: 1, Count: 2, SumTotal: 10, SumTotalSq: 50},
	})
	if got[0].QuestionID != 7 || got[1].QuestionID != 3 {
		t.Fatalf("order %d %d", got[0].QuestionID, got[1].QuestionID)
	}
	if o := got[1].Options; o[0].Share != 0.75 || o[2].Share != 0.25 || o[0].Upper != 3 || o[2].Lower != 1 {
		t.Fatalf("options %+v", o)
	}
}

func TestItemGroupSize(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 0, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 10: 3, 11: 3, 100: 27, 100_000: 27_000} {
		if got := ItemGroupSize(n); got != want {
			t.Errorf("ItemGroupSize(%d) = %d, want %d", n, got, want)
		}
	}
}

func ptr(f float64) *float64 { return &f }

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
