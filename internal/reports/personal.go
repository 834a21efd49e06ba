package reports

import (
	"context"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// Kinds that carry personal data (Decree 13/2023/NĐ-CP). The participant list shows dates
// of birth and CCCD numbers masked; only the committee's prize list shows them in full,
// since prizes are handed out against an identity document, and the API audits every read.
const (
	KindParticipants = "participants"
	KindPrizeWinners = "prize_winners"
)

func init() {
	Register(KindParticipants, func(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
		return ParticipantsReport(ctx, st, campaignID, 0)
	})
	Register(KindPrizeWinners, PrizeWinnersReport)
}

var rosterLabels = map[string]string{
	rules.RosterUnchecked: "Đăng ký trước khi cơ quan có danh sách",
	rules.RosterMatched:   "Có tên trong danh sách",
	rules.RosterPending:   "Chờ đầu mối xác nhận",
	rules.RosterConfirmed: "Đầu mối đã xác nhận",
	rules.RosterRejected:  "Đầu mối đã từ chối",
}

// ParticipantsReport lists the registered participants of an agency and those below it
// (every agency when root is 0), personal data masked.
func ParticipantsReport(ctx context.Context, st *store.Store, campaignID, root int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	rows, err := st.ParticipantsForReport(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	var keep map[int64]bool
	if root != 0 {
		agencies, err := st.ListAgencies(ctx)
		if err != nil {
			return Report{}, err
		}
		keep = Subtree(agencies, root)
	}
	s := Sheet{Name: "Người dự thi", Title: "Danh sách người đăng ký dự thi — " + c.Name,
		Headers: []string{"Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Cơ quan, đơn vị", "Chức vụ",
			"Đối chiếu danh sách cơ quan", "Được tính cho cơ quan", "Số tuần đã thi"},
		Rows: [][]any{}}
	for _, r := range rows {
		if keep != nil && !keep[r.AgencyID] {
			continue
		}
		s.Rows = append(s.Rows, []any{r.FullName, rules.MaskBirthDate(r.DateOfBirth), rules.MaskCCCD(r.CCCD), r.Phone,
			r.AgencyName, r.Position, labelOf(rosterLabels, r.RosterStatus),
			yesNo(rules.CountsForAgency(r.RosterStatus), "Có", "Không"), r.Weeks})
	}
	return Report{Title: s.Title, Sheets: []Sheet{s}}, nil
}

// PrizeWinnersReport is the committee's list for handing out the weekly prizes: dates of
// birth and CCCD numbers in full.
func PrizeWinnersReport(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	rows, err := st.PrizeWinners(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	s := Sheet{Name: "Người đạt giải", Title: "Danh sách người đạt giải hằng tuần (dùng để trao giải) — " + c.Name,
		Headers: []string{"Tuần", "Hạng", "Giải", "Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Cơ quan, đơn vị",
			"Chức vụ", "Số câu trả lời đúng"},
		Rows: [][]any{}}
	for _, r := range rows {
		s.Rows = append(s.Rows, []any{r.RoundNumber, r.Rank, labelOf(prizeLabels, r.Prize), r.FullName,
			rules.BirthDateText(r.DateOfBirth), r.CCCD, r.Phone, r.AgencyName, r.Position, r.CorrectCount})
	}
	return Report{Title: s.Title, Sheets: []Sheet{s}}, nil
}
