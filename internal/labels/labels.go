// Package labels is the former home of the Vietnamese names of stages, round states and
// prizes; they now live in the domain package contest, and these names point there.
package labels

import "github.com/hpcontest/contest"

// Deprecated: use contest.StageLabels.
var Stage = contest.StageLabels

// Deprecated: use contest.WaitingLabels.
var WaitingFor = contest.WaitingLabels

// Deprecated: use contest.RoundStateLabels.
var RoundState = contest.RoundStateLabels

// Deprecated: use contest.PrizeLabels.
var Prize = contest.PrizeLabels

// Of returns key's name in m, or key itself when m has none.
//
// Deprecated: use contest.Label.
func Of(m map[string]string, key string) string { return contest.Label(m, key) }
