package rules

import "time"

// When a round's correct options (the review) are released: ReviewAfterLastDeadline once
// no attempt of the round can still be open (closing time + time limit + a settle margin),
// ReviewAfterRanking once the round has been ranked.
const (
	ReviewAfterLastDeadline = "after_last_deadline"
	ReviewAfterRanking      = "after_ranking"
)

// When a participant sees their own score (correct count): ScoreAfterRanking, the default,
// or ScoreAtSubmit. A score shown at submit is an answer oracle: a few throw-away accounts
// answering one question each recover a set's keys before the real account sits.
const (
	ScoreAfterRanking = "after_ranking"
	ScoreAtSubmit     = "at_submit"
)

// DefaultReviewSettle is the margin after the last possible deadline of a round before its
// review opens: the automatic submissions of the last attempts land within it.
const DefaultReviewSettle = 2 * time.Minute

// DisclosureInput is what decides what a participant may see of a closed attempt. Now is
// the database's clock, the single clock every deadline is measured on.
type DisclosureInput struct {
	Now           time.Time
	AttemptClosed bool
	ClosesAt      time.Time     // the round's closing time
	TimeLimit     time.Duration // the campaign's exam time limit
	// LatestDeadline is the latest deadline of any attempt of the round (zero when none):
	// it covers an attempt started under a longer time limit than today's.
	LatestDeadline time.Time
	Settle         time.Duration
	Ranked         bool // the round's ranking has been made (ranked, approved or published)
	ReviewPolicy   string
	ScorePolicy    string
}

// Disclosure says what may leave the server.
type Disclosure struct {
	Score  bool // the correct count
	Review bool // the correct options and per-question correctness
}

// LastPossibleDeadline is the latest moment an attempt of the round can still be open.
func LastPossibleDeadline(closesAt time.Time, timeLimit time.Duration, latestDeadline time.Time) time.Time {
	last := closesAt.Add(timeLimit)
	if latestDeadline.After(last) {
		last = latestDeadline
	}
	return last
}

// Disclose decides what a participant sees of their closed attempt. An unknown policy
// is read as the strictest (after ranking). The review also waits for the score: the
// correct options next to one's own choices give the score away.
func Disclose(in DisclosureInput) Disclosure {
	if !in.AttemptClosed {
		return Disclosure{}
	}
	score := in.Ranked
	if in.ScorePolicy == ScoreAtSubmit {
		score = true
	}
	review := in.Ranked
	if in.ReviewPolicy == ReviewAfterLastDeadline {
		release := LastPossibleDeadline(in.ClosesAt, in.TimeLimit, in.LatestDeadline).Add(in.Settle)
		review = !in.Now.Before(release)
	}
	return Disclosure{Score: score, Review: review && score}
}
