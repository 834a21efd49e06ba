package rules

import (
	"testing"
	"time"
)

func TestDisclose(t *testing.T) {
	closes := time.Date(2023, 10, 29, 16, 0, 0, 0, time.UTC)
	limit := 10*time.Minute + 30*time.Second
	settle := 2 * time.Minute
	lastDeadline := closes.Add(limit)
	at := func(d time.Duration) time.Time { return lastDeadline.Add(d) }
	cases := []struct {
		name          string
		now           time.Time
		closed        bool
		latest        time.Time
		ranked        bool
		review, score string
		want          Disclosure
	}{
		{"open attempt shows nothing", at(time.Hour), false, time.Time{}, true, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{}},
		{"score at submit, right after submit", closes.Add(-time.Hour), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"just after the close an attempt may still run", closes.Add(time.Second), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"at the last deadline the margin is still running", at(0), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"one instant before the margin ends", at(settle - time.Nanosecond), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"the margin has passed", at(settle), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true, Review: true}},
		{"a later attempt deadline holds the review", at(settle), true, at(time.Minute), false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"past the later attempt deadline and its margin", at(time.Minute + settle), true, at(time.Minute), false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true, Review: true}},
		{"an earlier attempt deadline does not shorten the wait", at(settle - time.Second), true, closes, false, ReviewAfterLastDeadline, ScoreAtSubmit, Disclosure{Score: true}},
		{"score after ranking hides it before the ranking", at(time.Hour), true, time.Time{}, false, ReviewAfterLastDeadline, ScoreAfterRanking, Disclosure{}},
		{"score after ranking, ranked", at(time.Hour), true, time.Time{}, true, ReviewAfterLastDeadline, ScoreAfterRanking, Disclosure{Score: true, Review: true}},
		{"review after ranking waits past the deadlines", at(time.Hour), true, time.Time{}, false, ReviewAfterRanking, ScoreAtSubmit, Disclosure{Score: true}},
		{"review after ranking, ranked", at(time.Hour), true, time.Time{}, true, ReviewAfterRanking, ScoreAtSubmit, Disclosure{Score: true, Review: true}},
		{"ranked early (clock skew) still waits for the deadlines", at(0), true, time.Time{}, true, ReviewAfterLastDeadline, ScoreAfterRanking, Disclosure{Score: true}},
		{"unknown policies are read as after ranking", at(time.Hour), true, time.Time{}, false, "soon", "always", Disclosure{}},
		{"unknown policies, ranked", at(time.Hour), true, time.Time{}, true, "soon", "always", Disclosure{Score: true, Review: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Disclose(DisclosureInput{Now: c.now, AttemptClosed: c.closed, ClosesAt: closes, TimeLimit: limit,
				LatestDeadline: c.latest, Settle: settle, Ranked: c.ranked, ReviewPolicy: c.review, ScorePolicy: c.score})
			if got != c.want {
				t.Fatalf("Disclose = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDisclosureDefaults(t *testing.T) {
	s, err := ParseSettings(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.ScoreShown != ScoreAfterRanking || s.ReviewRelease != ReviewAfterLastDeadline || s.ReviewSettle() != DefaultReviewSettle {
		t.Fatalf("defaults: score %q, review %q, settle %v", s.ScoreShown, s.ReviewRelease, s.ReviewSettle())
	}
}
