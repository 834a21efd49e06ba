package seed

import "testing"

// TestPracticeBankIsItsOwn: the practice bank parses, fills one practice attempt of the
// default campaign twice over, and shares no question text with the real bank (practice
// reviews are shown at once: a shared question would leak a real answer).
func TestPracticeBankIsItsOwn(t *testing.T) {
	practice, err := ParseQuestions(mustOpen("data/practice_questions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * DefaultCampaign().QuestionsPerAttempt; len(practice) < want {
		t.Fatalf("practice bank has %d questions, want at least %d", len(practice), want)
	}
	real, err := ParseQuestions(mustOpen("data/questions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
	for _, q := range real {
		texts[q.Text] = q.Code
	}
	for _, q := range practice {
		if q.Round != 1 {
			t.Errorf("%s: round %d, want the practice round 1", q.Code, q.Round)
		}
		if code, ok := texts[q.Text]; ok {
			t.Errorf("%s repeats real question %s", q.Code, code)
		}
	}
}
