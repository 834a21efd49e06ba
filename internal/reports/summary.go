package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/hpcontest/contest"
	"github.com/hpcontest/contest/internal/store"
)

// SummaryExtras are the kinds whose sheets the final summary appends after its own, in this
// order, when they are registered (the video contest and the collective prizes register
// theirs); a kind not registered is skipped.
var SummaryExtras = []string{"video_results", "collective_results"}

var waitingLabels = contest.WaitingLabels

// FinalSummary is the report that closes the contest (plan VII.1): the campaign at a
// glance, its stages and every decision, each round's counts, every prize winner, and
// participation by category and by agency; then the sheets of SummaryExtras.
func FinalSummary(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	part, err := LoadParticipation(ctx, st, campaignID)
	if err != nil {
		return Report{}, err
	}
	c, loc := part.Campaign, campaignLocation(part.Campaign)
	view, err := st.CampaignByCode(ctx, c.Code)
	if err != nil {
		return Report{}, err
	}
	rounds, err := st.RoundSummaries(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	totals, err := st.CampaignTotals(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	r := Report{Title: "Báo cáo tổng kết — " + c.Name, Campaign: c.Name, Date: time.Now().In(loc)}

	met, top := 0, 0
	for _, row := range part.Overall {
		if row.ParentID == nil {
			top++
			if row.MeetsTarget {
				met++
			}
		}
	}
	prizes := 0
	for _, round := range rounds {
		prizes += round.Winners
	}
	r.Sheets = append(r.Sheets, Sheet{Name: "Tổng quan", Title: r.Title, Headers: []string{"Nội dung", "Giá trị"}, Rows: [][]any{
		{"Tên Hội thi", c.Name},
		{"Mã Hội thi", c.Code},
		{"Giai đoạn hiện tại", labelOf(stageLabels, view.Stage)},
		{"Số tuần thi", len(rounds)},
		{"Số câu hỏi mỗi lượt thi", c.QuestionsPerAttempt},
		{"Thời gian làm bài (giây)", int(c.TimeLimit / time.Second)},
		{"Số tài khoản người dự thi đã đăng ký", totals.Registered},
		{"Số người đã dự thi (ít nhất một tuần)", totals.Participants},
		{"Số lượt thi đã hoàn thành", totals.Results},
		{"Số giải cá nhân hằng tuần đã trao", prizes},
		{"Số cơ quan, đơn vị (cấp trên) đạt chỉ tiêu tham gia", fmt.Sprintf("%d/%d", met, top)},
		{"Thời điểm lập báo cáo", time.Now().In(loc)},
	}})

	stages := Sheet{Name: "Các giai đoạn", Title: "Các giai đoạn của Hội thi (Kế hoạch, mục IV)",
		Headers: []string{"STT", "Giai đoạn", "Chờ", "Bắt đầu lúc"}}
	for i, s := range view.History {
		stages.Rows = append(stages.Rows, []any{i + 1, labelOf(stageLabels, s.Stage), labelOf(waitingLabels, s.WaitingFor), s.EnteredAt.In(loc)})
	}
	decisions := Sheet{Name: "Quyết định", Title: "Các quyết định của Ban Tổ chức",
		Headers: []string{"STT", "Quyết định", "Tuần", "Kết quả", "Người quyết định", "Thời điểm", "Ý kiến"}}
	for i, d := range view.Decisions {
		decisions.Rows = append(decisions.Rows, []any{i + 1, labelOf(decisionLabels, d.Kind), d.RoundNumber,
			labelOf(outcomeLabels, d.Outcome), d.DecidedBy, d.DecidedAt.In(loc), d.Comment})
	}
	perRound := Sheet{Name: "Các tuần thi", Title: "Kết quả từng tuần thi",
		Headers: []string{"Tuần", "Thời gian", "Trạng thái", "Số người dự thi", "Số lượt thi",
			fmt.Sprintf("Số người đúng %d/%d câu", c.QuestionsPerAttempt, c.QuestionsPerAttempt), "Số người 0 điểm", "Số giải"}}
	winners := Sheet{Name: "Người đạt giải", Title: "Danh sách cá nhân đạt giải hằng tuần",
		Headers: []string{"Tuần", "Giải", "Hạng", "Họ và tên", "Cơ quan, đơn vị", "Số câu trả lời đúng", "Thời gian làm bài (giây)"}}
	for _, round := range rounds {
		perRound.Rows = append(perRound.Rows, []any{round.Number, roundDates(round.OpensAt, round.ClosesAt, loc),
			labelOf(roundStates, round.State), round.Participants, round.Results, round.PerfectCount, round.ZeroCount, round.Winners})
		if round.Winners == 0 {
			continue
		}
		rows, err := st.RankingForReport(ctx, round.ID, true)
		if err != nil {
			return Report{}, err
		}
		for _, w := range rows {
			winners.Rows = append(winners.Rows, []any{w.RoundNumber, labelOf(prizeLabels, w.Prize), w.Rank, w.FullName,
				w.AgencyName, w.CorrectCount, float64(w.TimeUsedMS) / 1000})
		}
	}
	r.Sheets = append(r.Sheets, stages, decisions, perRound, winners, categorySheet(part), participationSheetOverall(part))

	for _, kind := range SummaryExtras {
		b, ok := Lookup(kind)
		if !ok {
			continue
		}
		extra, err := b(ctx, st, campaignID)
		if err != nil {
			return Report{}, fmt.Errorf("final summary: %s: %w", kind, err)
		}
		r.Sheets = append(r.Sheets, extra.Sheets...)
	}
	return r, nil
}

// categorySheet sums participation over the whole contest by agency category.
func categorySheet(t ParticipationTable) Sheet {
	type sum struct{ agencies, met, participants, counted, headcount int }
	sums := map[string]*sum{}
	for _, row := range t.Overall {
		s := sums[row.Category]
		if s == nil {
			s = &sum{}
			sums[row.Category] = s
		}
		s.agencies++
		if row.MeetsTarget {
			s.met++
		}
		// A district's figures include its communes (plan II.1), as its own rate does.
		s.participants += row.Participants
		s.counted += row.CountedParticipants // the rate never exceeds 100 %, as each row's does
		s.headcount += row.Headcount
	}
	sheet := Sheet{Name: "Tham gia theo loại", Title: "Tỷ lệ tham gia toàn Hội thi theo loại cơ quan, đơn vị",
		Headers: []string{"Loại cơ quan, đơn vị", "Số đơn vị", "Số đơn vị đạt chỉ tiêu", "Tỷ lệ đơn vị đạt",
			"Số người dự thi", "Biên chế", "Tỷ lệ tham gia", "Chỉ tiêu"}}
	for _, cat := range []string{"city_department", "central", "district", "commune"} {
		s := sums[cat]
		if s == nil {
			continue
		}
		var unitRate, rate float64
		if s.agencies > 0 {
			unitRate = float64(s.met) / float64(s.agencies)
		}
		if s.headcount > 0 {
			rate = float64(s.counted) / float64(s.headcount)
		}
		sheet.Rows = append(sheet.Rows, []any{labelOf(categoryLabels, cat), s.agencies, s.met, Percent(unitRate),
			s.participants, s.headcount, Percent(rate), Percent(t.Thresholds[cat])})
	}
	return sheet
}

func participationSheetOverall(t ParticipationTable) Sheet {
	names := map[int64]string{}
	for _, a := range t.Agencies {
		names[a.ID] = a.Name
	}
	return participationSheet("Tham gia theo đơn vị", "Tỷ lệ tham gia toàn Hội thi của từng cơ quan, đơn vị", t.Overall, names)
}
