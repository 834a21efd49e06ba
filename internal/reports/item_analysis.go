package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// KindItemAnalysis is the item analysis of every ranked round, one sheet per round.
const KindItemAnalysis = "item_analysis"

func init() { Register(KindItemAnalysis, ItemAnalysisAllRounds) }

// ErrRoundNotRanked is returned for the item analysis of a round not ranked yet: before
// the ranking there are no groups to compare and answers may still come in.
var ErrRoundNotRanked = errors.New("round not ranked")

// ItemAnalysis is a ranked round's item analysis.
type ItemAnalysis struct {
	RoundNumber int               `json:"round_number"`
	State       string            `json:"state"`
	Attempts    int               `json:"attempts"`   // ranked attempts analysed
	GroupSize   int               `json:"group_size"` // attempts in each of the upper and lower groups
	Items       []rules.ItemStats `json:"items"`
}

// RoundItemAnalysis computes the item analysis of a campaign's round; contest.ErrNotFound
// for no such round, ErrRoundNotRanked before its ranking.
func RoundItemAnalysis(ctx context.Context, st *store.Store, campaignID int64, number int) (ItemAnalysis, error) {
	r, err := st.ItemAnalysisRound(ctx, campaignID, number)
	if err != nil {
		return ItemAnalysis{}, err
	}
	if !r.Ranked {
		return ItemAnalysis{RoundNumber: r.Number, State: r.State}, ErrRoundNotRanked
	}
	cells, err := st.ItemAnalysisCells(ctx, r.ID)
	if err != nil {
		return ItemAnalysis{}, err
	}
	var drawn []int64
	seen := map[int64]bool{}
	for _, c := range cells {
		if !seen[c.QuestionID] {
			seen[c.QuestionID] = true
			drawn = append(drawn, c.QuestionID)
		}
	}
	questions, err := st.ItemAnalysisQuestions(ctx, r.ID, drawn)
	if err != nil {
		return ItemAnalysis{}, err
	}
	return ItemAnalysis{RoundNumber: r.Number, State: r.State, Attempts: r.Attempts,
		GroupSize: rules.ItemGroupSize(r.Attempts), Items: rules.ItemAnalysis(questions, cells)}, nil
}

// ItemAnalysisReport is one round's item analysis as a report (its .xlsx).
func ItemAnalysisReport(ctx context.Context, st *store.Store, campaignID int64, number int) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	a, err := RoundItemAnalysis(ctx, st, campaignID, number)
	if err != nil {
		return Report{}, err
	}
	return Report{Title: fmt.Sprintf("Phân tích câu hỏi tuần thi thứ %d — %s", number, c.Name), Sheets: []Sheet{itemAnalysisSheet(a)},
		Campaign: c.Name, Date: time.Now().In(campaignLocation(c))}, nil
}

// ItemAnalysisAllRounds is the item analysis of every ranked round of a campaign.
func ItemAnalysisAllRounds(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	rounds, err := st.RoundSummaries(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	r := Report{Title: "Phân tích câu hỏi — " + c.Name, Campaign: c.Name, Date: time.Now().In(campaignLocation(c))}
	for _, round := range rounds {
		a, err := RoundItemAnalysis(ctx, st, campaignID, round.Number)
		if errors.Is(err, ErrRoundNotRanked) {
			continue
		}
		if err != nil {
			return Report{}, err
		}
		r.Sheets = append(r.Sheets, itemAnalysisSheet(a))
	}
	return r, nil
}

var itemAnalysisHeaders = []string{
	"Mã câu hỏi", "Câu hỏi", "Đáp án đúng", "Số lượt làm", "Tỷ lệ trả lời đúng (p)", "Độ phân biệt (D)",
	"Hệ số tương quan điểm – tổng (rpb)", "Chọn A", "Chọn B", "Chọn C", "Chọn D", "Bỏ trống",
	"Nhóm cao chọn A", "Nhóm cao chọn B", "Nhóm cao chọn C", "Nhóm cao chọn D", "Cần xem lại",
}

// ItemFlagLabels are the flags as the secretariat reads them.
var ItemFlagLabels = map[string]string{
	rules.FlagTooHard:                "Quá khó (dưới 10 % trả lời đúng)",
	rules.FlagTooEasy:                "Quá dễ (trên 95 % trả lời đúng)",
	rules.FlagNegativeDiscrimination: "Độ phân biệt âm",
	rules.FlagDistractorBeatsKey:     "Nhóm cao chọn phương án sai nhiều hơn đáp án",
}

const optionLetters = "ABCD"

func itemAnalysisSheet(a ItemAnalysis) Sheet {
	s := Sheet{Name: fmt.Sprintf("Tuần %d", a.RoundNumber), Headers: itemAnalysisHeaders, Rows: make([][]any, 0, len(a.Items)),
		Title: fmt.Sprintf("Phân tích câu hỏi tuần thi thứ %d: %d bài thi đã xếp hạng, nhóm cao và nhóm thấp mỗi nhóm %d bài (27 %%)",
			a.RoundNumber, a.Attempts, a.GroupSize)}
	for _, it := range a.Items {
		row := []any{it.Code, it.Text, string(optionLetters[it.CorrectOption]), it.Attempts,
			percentOrNil(it.Difficulty), ratioOrNil(it.Discrimination), ratioOrNil(it.PointBiserial)}
		for _, o := range it.Options {
			row = append(row, Percent(o.Share))
		}
		row = append(row, Percent(share(it.Unanswered, it.Attempts)))
		for _, o := range it.Options {
			row = append(row, o.Upper)
		}
		flags := make([]string, len(it.Flags))
		for i, f := range it.Flags {
			flags[i] = labelOf(ItemFlagLabels, f)
		}
		row = append(row, strings.Join(flags, "; "))
		s.Rows = append(s.Rows, row)
	}
	return s
}

func percentOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return Percent(*f)
}

func ratioOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return Ratio(*f)
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
