package reports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/standings"
	"github.com/hpcontest/contest/internal/store"
)

// Kinds for the video contest and the collective prizes.
const (
	KindVideoResults      = "video_results"
	KindCollectiveResults = "collective_results"
)

func init() {
	Register(KindVideoResults, VideoResults)
	Register(KindCollectiveResults, CollectiveResults)
}

// statusLabels say, in every video and collective workbook, whether the results may be read
// at all (not while the jury scores) and whether the committee has approved them.
var statusLabels = map[string]string{
	standings.StatusScoring:     "đang chấm: kết quả chỉ được công bố sau khi kết thúc việc chấm",
	standings.StatusProvisional: "kết quả tạm thời, chờ Ban Tổ chức phê duyệt",
	standings.StatusFinal:       "kết quả chính thức đã được Ban Tổ chức phê duyệt",
}

var statusSuffix = map[string]string{
	standings.StatusScoring:     " (chưa công bố)",
	standings.StatusProvisional: " (tạm thời)",
	standings.StatusFinal:       "",
}

var reasonLabels = map[string]string{
	rules.ReasonNoVideo:         "Không tham gia thi video clip",
	rules.ReasonOutsideTopVideo: "Không thuộc nhóm đơn vị có điểm video clip cao nhất",
	rules.ReasonZeroScore:       "Có người dự thi đạt 0 điểm trong tuần",
}

func campaignSettings(ctx context.Context, st *store.Store, campaignID int64) (rules.CampaignSettings, error) {
	plan, err := st.LoadCampaignPlan(ctx, campaignID)
	if err != nil {
		return rules.CampaignSettings{}, err
	}
	return rules.ParseSettings(plan.Settings)
}

// VideoResults is the video contest's results: every clip with its jurors' mean score,
// rank and prize; ties across a prize boundary are marked.
func VideoResults(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	settings, err := campaignSettings(ctx, st, campaignID)
	if err != nil {
		return Report{}, err
	}
	v, err := standings.VideoStandings(ctx, st, campaignID, settings)
	if err != nil {
		return Report{}, err
	}
	s := Sheet{Name: "Video clip", Title: fmt.Sprintf("Kết quả thi video clip: %d video, %d giám khảo, %d phiếu chấm — %s",
		v.Clips, v.Jurors, v.Sheets, statusLabels[v.Status]),
		Headers: []string{"Hạng", "Giải", "Cơ quan, đơn vị", "Tên video clip", "Điểm trung bình", "Số giám khảo đã chấm", "Đồng hạng chưa phân định"}}
	for _, r := range v.Rows {
		s.Rows = append(s.Rows, []any{r.Rank, labelOf(prizeLabels, r.Prize), r.AgencyName, r.Title, r.Score, r.Jurors, yesNo(r.UnresolvedTie, "Có", "")})
	}
	return Report{Title: "Kết quả thi video clip" + statusSuffix[v.Status] + " — " + c.Name, Sheets: []Sheet{s},
		Campaign: c.Name, Date: time.Now().In(campaignLocation(c))}, nil
}

// CollectiveResults is the collective prizes: the eligible agencies ranked, then every other
// agency with the reasons it is not eligible.
func CollectiveResults(ctx context.Context, st *store.Store, campaignID int64) (Report, error) {
	c, err := st.ReportCampaign(ctx, campaignID)
	if err != nil {
		return Report{}, err
	}
	settings, err := campaignSettings(ctx, st, campaignID)
	if err != nil {
		return Report{}, err
	}
	rows, status, err := standings.CollectiveStandings(ctx, st, campaignID, settings)
	if err != nil {
		return Report{}, err
	}
	eligible := Sheet{Name: "Giải tập thể", Title: "Các đơn vị đủ điều kiện xét giải tập thể — " + statusLabels[status],
		Headers: []string{"Hạng", "Giải", "Cơ quan, đơn vị", "Tỷ lệ tham gia", "Điểm trung bình tốt nhất", "Điểm video cao nhất", "Bằng khen của Chủ tịch UBND thành phố", "Đồng hạng chưa phân định"}}
	excluded := Sheet{Name: "Không đủ điều kiện", Title: "Các đơn vị không đủ điều kiện xét giải tập thể và lý do",
		Headers: []string{"Cơ quan, đơn vị", "Lý do", "Tỷ lệ tham gia", "Điểm video cao nhất"}}
	for _, r := range rows {
		if r.Eligible {
			eligible.Rows = append(eligible.Rows, []any{r.Rank, labelOf(prizeLabels, r.Prize), r.AgencyName,
				Percent(r.ParticipationRate), r.MeanBestScore, r.VideoScore, yesNo(r.CertificateOfMerit, "Có", ""), yesNo(r.UnresolvedTie, "Có", "")})
			continue
		}
		reasons := make([]string, len(r.Reasons))
		for i, reason := range r.Reasons {
			reasons[i] = reasonLabels[reason]
			if reason == rules.ReasonZeroScore {
				weeks := make([]string, len(r.ZeroScoreWeeks))
				for j, w := range r.ZeroScoreWeeks {
					weeks[j] = fmt.Sprint(w)
				}
				reasons[i] += " " + strings.Join(weeks, ", ")
			}
		}
		excluded.Rows = append(excluded.Rows, []any{r.AgencyName, strings.Join(reasons, "; "), Percent(r.ParticipationRate), r.VideoScore})
	}
	return Report{Title: "Kết quả xét giải tập thể" + statusSuffix[status] + " — " + c.Name, Sheets: []Sheet{eligible, excluded},
		Campaign: c.Name, Date: time.Now().In(campaignLocation(c))}, nil
}
