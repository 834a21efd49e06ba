package rules

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Ranking criteria, applied in the order a campaign lists them. The default order is the
// common Vietnamese rule: more correct answers, then the prediction closest to the real
// number of perfect scores, then less time used, then earlier submission.
const (
	ByCorrectDesc           = "correct_desc"
	ByPredictionDistanceAsc = "prediction_distance_asc"
	ByTimeUsedAsc           = "time_used_asc"
	ByFinishedAtAsc         = "finished_at_asc"
	PrizeFirst, PrizeSecond = "first", "second"
	PrizeThird              = "third"
	noPrediction            = int64(1) << 62 // ranks a missing prediction after every real one
)

// DefaultRanking is the order used when a campaign does not say otherwise.
var DefaultRanking = []string{ByCorrectDesc, ByPredictionDistanceAsc, ByTimeUsedAsc, ByFinishedAtAsc}

// PrizeCounts is how many first, second and third prizes are given.
type PrizeCounts struct {
	First  int `json:"first"`
	Second int `json:"second"`
	Third  int `json:"third"`
}

// Entry is one finished attempt of a round.
type Entry struct {
	ParticipantID int64
	AttemptID     int64
	CorrectCount  int
	QuestionCount int
	Prediction    *int
	TimeUsedMS    int64
	FinishedAt    time.Time
	// Unconfirmed marks an account its agency's roster does not list and no focal point
	// has confirmed: it is ranked but wins nothing (SPEC, fairness rules).
	Unconfirmed bool
}

// Ranked is a participant's best attempt with its place.
type Ranked struct {
	Entry
	Rank               int    // competition ranking: equal keys share a rank (1, 2, 2, 4)
	PredictionDistance *int64 // nil when the participant made no prediction
	Prize              string // "", first, second or third
	// UnresolvedTie marks a participant whose key equals another's across a prize
	// boundary: the rule cannot decide, so the committee must.
	UnresolvedTie bool
	// BelowPrizeMinimum marks a participant with fewer correct answers than a prize needs.
	BelowPrizeMinimum bool
}

// Tie is a group the rule could not separate where it matters for a prize.
type Tie struct {
	Rank           int
	ParticipantIDs []int64
	Prizes         []string // the provisional prizes within the group, in order
}

// Ranking is the outcome of ranking one round.
type Ranking struct {
	PerfectCount int // participants with every answer right: the prediction question's answer
	Rows         []Ranked
	Ties         []Tie
}

// RankRound ranks a round's results: each participant's best attempt counts, and a
// participant wins at most one prize. A participant with fewer than minCorrect correct
// answers is ranked but wins nothing; the prizes go, in order, to the eligible
// participants ranked below, and stay unawarded when there are not enough of them (the
// campaign fixes how many prizes there are at most, never that they must all be given).
// A minCorrect below 1 counts as 1: no prize is ever given for no correct answer.
func RankRound(entries []Entry, criteria []string, prizes PrizeCounts, minCorrect int) (Ranking, error) {
	if len(criteria) == 0 {
		criteria = DefaultRanking
	}
	minCorrect = max(minCorrect, 1)
	for _, c := range criteria {
		if !slices.Contains(DefaultRanking, c) {
			return Ranking{}, fmt.Errorf("unknown ranking criterion %q", c)
		}
	}
	perfect := map[int64]bool{}
	for _, e := range entries {
		if e.QuestionCount > 0 && e.CorrectCount == e.QuestionCount {
			perfect[e.ParticipantID] = true
		}
	}
	actual := int64(len(perfect))
	distance := func(e Entry) int64 {
		if e.Prediction == nil {
			return noPrediction
		}
		d := int64(*e.Prediction) - actual
		if d < 0 {
			d = -d
		}
		return d
	}
	compare := func(a, b Entry) int {
		for _, c := range criteria {
			var r int
			switch c {
			case ByCorrectDesc:
				r = cmp.Compare(b.CorrectCount, a.CorrectCount)
			case ByPredictionDistanceAsc:
				r = cmp.Compare(distance(a), distance(b))
			case ByTimeUsedAsc:
				r = cmp.Compare(a.TimeUsedMS, b.TimeUsedMS)
			case ByFinishedAtAsc:
				r = a.FinishedAt.Compare(b.FinishedAt)
			}
			if r != 0 {
				return r
			}
		}
		return 0
	}

	best := make(map[int64]Entry, len(entries))
	for _, e := range entries {
		if cur, ok := best[e.ParticipantID]; !ok || compare(e, cur) < 0 ||
			(compare(e, cur) == 0 && e.AttemptID < cur.AttemptID) {
			best[e.ParticipantID] = e
		}
	}
	rows := make([]Ranked, 0, len(best))
	for _, e := range best {
		r := Ranked{Entry: e}
		if e.Prediction != nil {
			d := distance(e)
			r.PredictionDistance = &d
		}
		rows = append(rows, r)
	}
	// The participant id only makes the order reproducible; it never decides a prize.
	slices.SortFunc(rows, func(a, b Ranked) int {
		if c := compare(a.Entry, b.Entry); c != 0 {
			return c
		}
		return cmp.Compare(a.ParticipantID, b.ParticipantID)
	})

	levels := prizeLevels(prizes)
	next := 0 // the next prize level to give, counted over eligible participants only
	var ties []Tie
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && compare(rows[start].Entry, rows[end].Entry) == 0 {
			end++
		}
		group := rows[start:end]
		// Only the eligible members of a group take part in a tie: eligibility, not the
		// rule's order, separates them from the others.
		distinct := map[string]bool{}
		var contenders []int
		for i := range group {
			group[i].Rank = start + 1
			if group[i].CorrectCount < minCorrect {
				group[i].BelowPrizeMinimum = true
				continue
			}
			if group[i].Unconfirmed {
				continue
			}
			if next < len(levels) {
				group[i].Prize = levels[next]
			}
			next++
			distinct[group[i].Prize] = true
			contenders = append(contenders, i)
		}
		if len(contenders) > 1 && len(distinct) > 1 {
			tie := Tie{Rank: start + 1}
			for _, i := range contenders {
				group[i].UnresolvedTie = true
				tie.ParticipantIDs = append(tie.ParticipantIDs, group[i].ParticipantID)
				tie.Prizes = append(tie.Prizes, group[i].Prize)
			}
			ties = append(ties, tie)
		}
		start = end
	}
	return Ranking{PerfectCount: len(perfect), Rows: rows, Ties: ties}, nil
}

func prizeLevels(p PrizeCounts) []string {
	levels := make([]string, 0, p.First+p.Second+p.Third)
	for range p.First {
		levels = append(levels, PrizeFirst)
	}
	for range p.Second {
		levels = append(levels, PrizeSecond)
	}
	for range p.Third {
		levels = append(levels, PrizeThird)
	}
	return levels
}
