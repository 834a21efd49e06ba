package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/hpcontest/contest/internal/store"
)

var weeklyHeaders = []string{
	"Hạng", "Giải", "Họ và tên", "Cơ quan, đơn vị", "Số câu trả lời đúng", "Dự đoán",
	"Thời gian làm bài (giây)", "Thời điểm nộp bài",
}

// WeeklyResults is the weekly results report: one sheet per round with its whole ranking
// (rank, prize, name, agency, correct answers, prediction, time used, submission time).
// A round not ranked yet has an empty sheet that says so.
func WeeklyResults(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	loc := campaignLocation(c)
	rounds, err := st.RoundSummaries(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	r := Report{Title: "Kết quả thi trắc nghiệm hằng tuần — " + c.Name, Campaign: c.Name, Date: time.Now().In(loc)}
	for _, round := range rounds {
		rows, err := st.RankingForReport(ctx, round.ID, false)
		if err != nil {
			return Report{}, err
		}
		title := fmt.Sprintf("Kết quả tuần thi thứ %d (%s): %d người dự thi, %d người trả lời đúng %d/%d câu",
			round.Number, roundDates(round.OpensAt, round.ClosesAt, loc), round.Participants, round.PerfectCount,
			c.QuestionsPerAttempt, c.QuestionsPerAttempt)
		if !round.Ranked {
			title = fmt.Sprintf("Kết quả tuần thi thứ %d (%s): %s, chưa xếp hạng",
				round.Number, roundDates(round.OpensAt, round.ClosesAt, loc), labelOf(roundStates, round.State))
		}
		s := Sheet{Name: fmt.Sprintf("Tuần %d", round.Number), Title: title, Headers: weeklyHeaders, Rows: make([][]any, 0, len(rows))}
		for _, x := range rows {
			s.Rows = append(s.Rows, []any{
				x.Rank, labelOf(prizeLabels, x.Prize), x.FullName, x.AgencyName, x.CorrectCount, x.Prediction,
				float64(x.TimeUsedMS) / 1000, x.FinishedAt.In(loc),
			})
		}
		r.Sheets = append(r.Sheets, s)
	}
	return r, nil
}
