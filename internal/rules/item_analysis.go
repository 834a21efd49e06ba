package rules

import (
	"math"
	"slices"
)

// Item analysis of a ranked round: for each question, how hard it was (the share of
// attempts that answered it correctly, p), how well it told strong participants from
// weak ones (the discrimination index D = p_upper − p_lower over the upper and lower
// 27 % by total score, and the point-biserial correlation of being right with the total
// score), and how often each of its options was chosen, by the option's place in the bank
// (options are shuffled per attempt; the store maps each choice back).
const (
	// ItemGroupShare is the share of attempts in each of the upper and lower groups
	// (Kelley's 27 %).
	ItemGroupShare = 0.27
	// Items outside [ItemTooHard, ItemTooEasy] tell nobody apart: nearly everybody missed
	// them or nearly everybody got them.
	ItemTooHard = 0.10
	ItemTooEasy = 0.95
)

// Flags on a question that looks wrong and deserves a second reading.
const (
	FlagTooHard                = "too_hard"                // p < ItemTooHard
	FlagTooEasy                = "too_easy"                // p > ItemTooEasy
	FlagNegativeDiscrimination = "negative_discrimination" // the lower group did better than the upper one
	FlagDistractorBeatsKey     = "distractor_beats_key"    // the upper group chose a wrong option more than the key: a wrong key, or two right answers
)

// Item groups of an attempt by its place in the ranking.
const (
	ItemGroupLower  = -1
	ItemGroupMiddle = 0
	ItemGroupUpper  = 1
)

// ItemNoChoice is the option of an attempt that left the question unanswered.
const ItemNoChoice = -1

// ItemGroupSize is how many attempts of n form each of the upper and lower groups: 27 %
// rounded, at least one as soon as there are two attempts, and never more than half.
func ItemGroupSize(n int) int {
	if n < 2 {
		return 0
	}
	return min(max(int(math.Round(ItemGroupShare*float64(n))), 1), n/2)
}

// ItemQuestion is a question the analysis reports on.
type ItemQuestion struct {
	ID            int64
	Code          string
	Text          string
	CorrectOption int // index in the bank, 0 (A) … 3 (D)
}

// ItemCell is the aggregate the analysis is computed from: the attempts of one group that
// drew one question and ended on one option (in the bank's order; ItemNoChoice for none),
// with the sum and the sum of squares of their total scores.
type ItemCell struct {
	QuestionID int64
	Group      int
	Option     int
	Count      int
	SumTotal   int64
	SumTotalSq int64
}

// OptionStats is how one option of the bank was chosen.
type OptionStats struct {
	Chosen int     `json:"chosen"`
	Share  float64 `json:"share"` // of the attempts that drew the question
	Upper  int     `json:"upper"` // chosen by the upper group
	Lower  int     `json:"lower"` // chosen by the lower group
	IsKey  bool    `json:"is_key"`
}

// ItemStats is the analysis of one question.
type ItemStats struct {
	QuestionID    int64  `json:"question_id"`
	Code          string `json:"code"`
	Text          string `json:"text"`
	CorrectOption int    `json:"correct_option"`
	Attempts      int    `json:"attempts"` // attempts that drew it
	Correct       int    `json:"correct"`
	Unanswered    int    `json:"unanswered"`
	// Difficulty is p, Correct / Attempts; nil when no attempt drew the question.
	Difficulty    *float64 `json:"difficulty"`
	UpperAttempts int      `json:"upper_attempts"`
	UpperCorrect  int      `json:"upper_correct"`
	LowerAttempts int      `json:"lower_attempts"`
	LowerCorrect  int      `json:"lower_correct"`
	// Discrimination is p_upper − p_lower; nil when either group did not draw it.
	Discrimination *float64 `json:"discrimination"`
	// PointBiserial is the correlation of being right with the total score (the total
	// includes this question); nil when everybody or nobody was right, or all totals are equal.
	PointBiserial *float64       `json:"point_biserial"`
	Options       [4]OptionStats `json:"options"`
	Flags         []string       `json:"flags"`
}

// ItemAnalysis computes the statistics of every question from the cells, in the order of
// questions, in one pass over the cells. Cells of a question not listed are ignored.
func ItemAnalysis(questions []ItemQuestion, cells []ItemCell) []ItemStats {
	type sums struct {
		n, correct                 int
		total, totalSq, correctSum int64
	}
	at := make(map[int64]int, len(questions))
	out := make([]ItemStats, len(questions))
	acc := make([]sums, len(questions))
	for i, q := range questions {
		at[q.ID] = i
		out[i] = ItemStats{QuestionID: q.ID, Code: q.Code, Text: q.Text, CorrectOption: q.CorrectOption, Flags: []string{}}
		if q.CorrectOption >= 0 && q.CorrectOption < 4 {
			out[i].Options[q.CorrectOption].IsKey = true
		}
	}
	for _, c := range cells {
		i, ok := at[c.QuestionID]
		if !ok {
			continue
		}
		s, a := &out[i], &acc[i]
		right := c.Option == s.CorrectOption
		a.n += c.Count
		a.total += c.SumTotal
		a.totalSq += c.SumTotalSq
		if right {
			a.correct += c.Count
			a.correctSum += c.SumTotal
		}
		if c.Option >= 0 && c.Option < 4 {
			o := &s.Options[c.Option]
			o.Chosen += c.Count
			switch c.Group {
			case ItemGroupUpper:
				o.Upper += c.Count
			case ItemGroupLower:
				o.Lower += c.Count
			}
		} else {
			s.Unanswered += c.Count
		}
		switch c.Group {
		case ItemGroupUpper:
			s.UpperAttempts += c.Count
			if right {
				s.UpperCorrect += c.Count
			}
		case ItemGroupLower:
			s.LowerAttempts += c.Count
			if right {
				s.LowerCorrect += c.Count
			}
		}
	}
	for i := range out {
		s, a := &out[i], acc[i]
		s.Attempts, s.Correct = a.n, a.correct
		if a.n == 0 {
			continue
		}
		p := float64(a.correct) / float64(a.n)
		s.Difficulty = &p
		for k := range s.Options {
			s.Options[k].Share = float64(s.Options[k].Chosen) / float64(a.n)
		}
		if s.UpperAttempts > 0 && s.LowerAttempts > 0 {
			d := float64(s.UpperCorrect)/float64(s.UpperAttempts) - float64(s.LowerCorrect)/float64(s.LowerAttempts)
			s.Discrimination = &d
		}
		s.PointBiserial = pointBiserial(a.n, a.correct, a.total, a.totalSq, a.correctSum)
		s.Flags = itemFlags(*s)
	}
	return out
}

// pointBiserial is r = (M₁ − M) / σ · √(p / q) over n totals (sum, sum of squares) of
// which the correct ones sum to correctSum.
func pointBiserial(n, correct int, sum, sumSq, correctSum int64) *float64 {
	if correct == 0 || correct == n {
		return nil
	}
	fn := float64(n)
	mean := float64(sum) / fn
	variance := float64(sumSq)/fn - mean*mean
	if variance <= 1e-12 {
		return nil
	}
	p := float64(correct) / fn
	r := (float64(correctSum)/float64(correct) - mean) / math.Sqrt(variance) * math.Sqrt(p/(1-p))
	return &r
}

func itemFlags(s ItemStats) []string {
	flags := []string{}
	p := *s.Difficulty
	if p < ItemTooHard {
		flags = append(flags, FlagTooHard)
	}
	if p > ItemTooEasy {
		flags = append(flags, FlagTooEasy)
	}
	// D when there are groups; the point-biserial otherwise (it needs no group).
	if (s.Discrimination != nil && *s.Discrimination < 0) || (s.Discrimination == nil && s.PointBiserial != nil && *s.PointBiserial < 0) {
		flags = append(flags, FlagNegativeDiscrimination)
	}
	if s.CorrectOption >= 0 && s.CorrectOption < 4 {
		key := s.Options[s.CorrectOption].Upper
		if slices.ContainsFunc(s.Options[:], func(o OptionStats) bool { return !o.IsKey && o.Upper > key }) {
			flags = append(flags, FlagDistractorBeatsKey)
		}
	}
	return flags
}
