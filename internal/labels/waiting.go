package labels

import "github.com/hpcontest/contest"

// Waiting names one thing a campaign waits for.
//
// Deprecated: use contest.WaitingLabel.
func Waiting(kind string, round int) string { return contest.WaitingLabel(kind, round) }
