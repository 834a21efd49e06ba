package api

import (
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// disclosed is what the store tells of an attempt's round for rules.Disclose. Now is
// PostgreSQL's clock, read with the attempt: the one clock every deadline is measured on.
type disclosed struct {
	Now            time.Time
	Closed         bool
	ClosesAt       time.Time
	TimeLimit      time.Duration
	LatestDeadline time.Time
	RoundState     string
	Settings       []byte
}

// grant is what may be shown of one closed attempt, and when the withheld score is due.
type grant struct {
	rules.Disclosure
	ScoreExpectedAt time.Time
}

func disclosure(d disclosed) grant {
	// Settings that do not parse leave the policies empty, which Disclose reads as the
	// strictest: nothing before the ranking.
	settings, _ := rules.ParseSettings(d.Settings)
	in := settings.Disclosure(rules.DisclosureInput{Now: d.Now, AttemptClosed: d.Closed, ClosesAt: d.ClosesAt,
		TimeLimit: d.TimeLimit, LatestDeadline: d.LatestDeadline, Ranked: store.RoundRanked(d.RoundState)})
	// The ranking runs once the last possible deadline has passed and the last automatic
	// submissions have settled (the round workflow).
	expected := rules.LastPossibleDeadline(d.ClosesAt, d.TimeLimit, d.LatestDeadline).Add(settings.RankingSettle())
	return grant{Disclosure: rules.Disclose(in), ScoreExpectedAt: expected}
}
