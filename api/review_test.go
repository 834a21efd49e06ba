package api

import (
	"testing"

	"github.com/hpcontest/contest/internal/store"
)

// The review names the options the participant saw under each key: with the options
// shuffled, key and text must come from the same display position.
func TestReviewItemTextsFollowTheShuffle(t *testing.T) {
	options := [4]string{"đúng", "sai một", "sai hai", "sai ba"} // original order: index 0 is correct
	choice := func(k int) *int { return &k }
	yes, no := true, false
	for _, tc := range []struct {
		name        string
		order       [4]int
		choice      *int
		isCorrect   *bool
		wantKey     string
		wantChoice  string // "" for unanswered
		wantCorrect bool
	}{
		{"identity order, right", [4]int{0, 1, 2, 3}, choice(0), &yes, "A", "đúng", true},
		{"shuffled, right", [4]int{2, 3, 0, 1}, choice(2), &yes, "C", "đúng", true},
		{"shuffled, wrong", [4]int{3, 0, 1, 2}, choice(0), &no, "B", "sai ba", false},
		{"unanswered", [4]int{1, 2, 3, 0}, nil, nil, "D", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			item := newReviewItem(store.AttemptQuestion{No: 3, SourceDocument: "76/NQ-CP", Text: "Câu hỏi?",
				Options: options, OptionOrder: tc.order, Choice: tc.choice, Correct: 0, IsCorrect: tc.isCorrect})
			if item.CorrectKey != tc.wantKey || item.CorrectText != "đúng" || item.IsCorrect != tc.wantCorrect ||
				item.Question != "Câu hỏi?" || item.Source != "76/NQ-CP" || item.No != 3 {
				t.Fatalf("item %+v", item)
			}
			if tc.wantChoice == "" {
				if item.Choice != nil || item.ChoiceText != nil {
					t.Fatalf("unanswered item has a choice: %+v", item)
				}
				return
			}
			if item.ChoiceText == nil || *item.ChoiceText != tc.wantChoice {
				t.Fatalf("choice text %v, want %q", item.ChoiceText, tc.wantChoice)
			}
		})
	}
}
