//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// TestReviewShowsTextsAndSource: options are shuffled per person, so the review says
// what was chosen and what was right in words, with the question and its source
// document; an unanswered question has no chosen text. Nothing of it before release.
func TestReviewShowsTextsAndSource(t *testing.T) {
	s := testenv.New(t, testenv.Options{})
	// The review opens with the ranking, which the test sets; no waiting for the close.
	setCampaignSettings(t, s, map[string]any{"review_release": "after_ranking"})
	p := s.Participant(t)
	r, a := startCurrent(t, p)
	keys := s.CorrectKeys(t, a.AttemptID)
	p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/1", a.AttemptID), map[string]string{"choice": keys[1]})
	p.Expect(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/attempts/%d/answers/2", a.AttemptID), map[string]string{"choice": wrongKey(keys[2])})
	p.Expect(http.StatusOK, "POST", fmt.Sprintf("/api/v1/attempts/%d/submit", a.AttemptID), nil)
	path := fmt.Sprintf("/api/v1/attempts/%d", a.AttemptID)
	if body := p.Expect(http.StatusOK, "GET", path, nil).Body; strings.Contains(string(body), "correct_text") || strings.Contains(string(body), "choice_text") {
		t.Fatalf("review texts before the round is ranked: %s", body)
	}

	setRound(t, s, r.ID, "state = 'ranked'")
	var got struct {
		Review []struct {
			No          int     `json:"no"`
			Choice      *string `json:"choice"`
			CorrectKey  string  `json:"correct_key"`
			IsCorrect   bool    `json:"is_correct"`
			Question    string  `json:"question"`
			ChoiceText  *string `json:"choice_text"`
			CorrectText string  `json:"correct_text"`
			Source      string  `json:"source"`
		} `json:"review"`
	}
	res := p.Expect(http.StatusOK, "GET", path, nil)
	res.JSON(t, &got)
	if len(got.Review) != len(a.Questions) {
		t.Fatalf("review of %d questions, want %d: %s", len(got.Review), len(a.Questions), res.Body)
	}
	// The texts are those the participant saw under each key.
	shown := func(no int, key string) string {
		for _, o := range a.Questions[no-1].Options {
			if o.Key == key {
				return o.Text
			}
		}
		t.Fatalf("question %d has no option %s", no, key)
		return ""
	}
	for _, item := range got.Review {
		q := a.Questions[item.No-1]
		var source string
		if err := s.Store.Pool().QueryRow(context.Background(), `
			SELECT q.source_document FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id
			WHERE aq.attempt_id = $1 AND aq.no = $2`, a.AttemptID, item.No).Scan(&source); err != nil {
			t.Fatal(err)
		}
		if item.Question != q.Text || item.CorrectText != shown(item.No, item.CorrectKey) || item.Source != source || source == "" {
			t.Fatalf("review item %d: %+v, question %q, source %q", item.No, item, q.Text, source)
		}
		switch item.No {
		case 1, 2:
			if item.Choice == nil || item.ChoiceText == nil || *item.ChoiceText != shown(item.No, *item.Choice) || item.IsCorrect != (item.No == 1) {
				t.Fatalf("answered item %d: %+v", item.No, item)
			}
			if item.No == 2 && *item.ChoiceText == item.CorrectText {
				t.Fatalf("wrong answer reviewed with the correct text: %+v", item)
			}
		default:
			if item.Choice != nil || item.ChoiceText != nil {
				t.Fatalf("unanswered item %d has a chosen text: %+v", item.No, item)
			}
		}
	}
}
