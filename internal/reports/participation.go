package reports

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/store"
)

// ParticipationRow is one agency's participation against its target, as the API and the
// reports show it. For a district it includes its communes (RolledUp).
type ParticipationRow struct {
	AgencyID          int64   `json:"agency_id"`
	Code              string  `json:"code"`
	Name              string  `json:"name"`
	Category          string  `json:"category"`
	ParentID          *int64  `json:"parent_id"`
	Participants      int     `json:"participants"`
	Headcount         int     `json:"headcount"`
	Rate              float64 `json:"rate"`
	Threshold         float64 `json:"threshold"`
	MeetsTarget       bool    `json:"meets_target"`
	RolledUp          bool    `json:"rolled_up"`
	HeadcountIsSample bool    `json:"headcount_is_sample"` // the headcount (or a rolled-up child's) is still a placeholder
	// RawRate is participants / headcount before the cap; Rate (CountedParticipants /
	// headcount) never exceeds 1. Participants, the raw count, is never capped.
	RawRate             float64 `json:"raw_rate"`
	CountedParticipants int     `json:"counted_participants"`
	// OverHeadcount flags more participants than the headcount (here or in a child rolled
	// in): the rate was capped at 100 % and the committee should check the figures.
	OverHeadcount bool `json:"over_headcount"`
}

// ParticipationTable is a campaign's participation per round and over the whole contest.
type ParticipationTable struct {
	Campaign   store.Campaign
	Thresholds map[string]float64
	Agencies   []store.Agency // in report order: each top-level agency followed by its children
	Rounds     []store.RoundSpec
	Overall    []ParticipationRow
	ByRound    map[int][]ParticipationRow
}

// LoadParticipation reads the counts and the agency tree and computes every rate against
// the thresholds of the campaign's settings.
func LoadParticipation(ctx context.Context, st *store.Store, campaignID int64) (ParticipationTable, error) {
	t := ParticipationTable{ByRound: map[int][]ParticipationRow{}}
	var err error
	if t.Campaign, err = st.ReportCampaign(ctx, campaignID); err != nil {
		return t, err
	}
	settings, err := rules.ParseSettings(t.Campaign.Settings)
	if err != nil {
		return t, err
	}
	t.Thresholds = settings.ParticipationThresholds
	agencies, err := st.ListAgencies(ctx)
	if err != nil {
		return t, err
	}
	counts, err := st.ParticipationCounts(ctx, campaignID)
	if err != nil {
		return t, err
	}
	t.Agencies, t.Rounds = TreeOrder(agencies), counts.Rounds
	t.Overall = ParticipationRows(t.Agencies, counts.Overall, t.Thresholds)
	for _, r := range counts.Rounds {
		t.ByRound[r.Number] = ParticipationRows(t.Agencies, counts.ByRound[r.Number], t.Thresholds)
	}
	return t, nil
}

// ParticipationRows computes each agency's rate (rules.ParticipationRates: communes roll up
// into their district) and returns the rows in the order of agencies.
func ParticipationRows(agencies []store.Agency, participants map[int64]int, thresholds map[string]float64) []ParticipationRow {
	units := make([]rules.AgencyUnit, len(agencies))
	sample := map[int64]bool{}
	for i, a := range agencies {
		units[i] = rules.AgencyUnit{ID: a.ID, Category: a.Category, Headcount: a.Headcount}
		if a.ParentID != nil {
			units[i].ParentID = *a.ParentID
		}
		if a.HeadcountIsSample {
			sample[a.ID] = true
		}
	}
	for _, a := range agencies { // a parent's rolled-up headcount is a sample if a child's is
		if a.ParentID != nil && a.HeadcountIsSample {
			sample[*a.ParentID] = true
		}
	}
	rates := map[int64]rules.Participation{}
	for _, p := range rules.ParticipationRates(units, participants, thresholds) {
		rates[p.AgencyID] = p
	}
	out := make([]ParticipationRow, len(agencies))
	for i, a := range agencies {
		p := rates[a.ID]
		out[i] = ParticipationRow{AgencyID: a.ID, Code: a.Code, Name: a.Name, Category: a.Category, ParentID: a.ParentID,
			Participants: p.Participants, Headcount: p.Headcount, Rate: p.Rate, Threshold: p.Threshold,
			MeetsTarget: p.MeetsTarget, RolledUp: p.RolledUp, HeadcountIsSample: sample[a.ID],
			RawRate: p.RawRate, CountedParticipants: p.CountedParticipants, OverHeadcount: p.OverHeadcount}
	}
	return out
}

// categoryOrder puts the city's departments first, then central agencies, then districts.
var categoryOrder = map[string]int{"city_department": 0, "central": 1, "district": 2, "commune": 3}

// TreeOrder orders agencies as the reports list them: top-level agencies by category and
// name, each followed by its children (and theirs) by name.
func TreeOrder(agencies []store.Agency) []store.Agency {
	byName := func(x, y store.Agency) int {
		if c := cmp.Compare(categoryOrder[x.Category], categoryOrder[y.Category]); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	}
	known := map[int64]bool{}
	for _, a := range agencies {
		known[a.ID] = true
	}
	children := map[int64][]store.Agency{}
	var roots []store.Agency
	for _, a := range agencies {
		if a.ParentID == nil || !known[*a.ParentID] {
			roots = append(roots, a)
		} else {
			children[*a.ParentID] = append(children[*a.ParentID], a)
		}
	}
	slices.SortFunc(roots, byName)
	out := make([]store.Agency, 0, len(agencies))
	seen := map[int64]bool{}
	var walk func(a store.Agency)
	walk = func(a store.Agency) {
		if seen[a.ID] {
			return
		}
		seen[a.ID] = true
		out = append(out, a)
		kids := children[a.ID]
		slices.SortFunc(kids, byName)
		for _, k := range kids {
			walk(k)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// Subtree is the set of an agency and every agency below it.
func Subtree(agencies []store.Agency, root int64) map[int64]bool {
	children := map[int64][]int64{}
	found := false
	for _, a := range agencies {
		if a.ParentID != nil {
			children[*a.ParentID] = append(children[*a.ParentID], a.ID)
		}
		found = found || a.ID == root
	}
	keep := map[int64]bool{}
	if !found {
		return keep
	}
	queue := []int64{root}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if keep[id] {
			continue
		}
		keep[id] = true
		queue = append(queue, children[id]...)
	}
	return keep
}

// FilterRows keeps the rows of the given agencies (all of them when keep is nil).
func FilterRows(rows []ParticipationRow, keep map[int64]bool) []ParticipationRow {
	if keep == nil {
		return rows
	}
	out := make([]ParticipationRow, 0, len(keep))
	for _, r := range rows {
		if keep[r.AgencyID] {
			out = append(out, r)
		}
	}
	return out
}

var participationHeaders = []string{
	"STT", "Mã đơn vị", "Cơ quan, đơn vị", "Loại", "Trực thuộc", "Số người dự thi", "Biên chế",
	"Tỷ lệ tham gia", "Chỉ tiêu", "Kết quả", "Gồm đơn vị trực thuộc", "Biên chế là số liệu mẫu", "Vượt biên chế",
}

// participationSheet lays rows out as a worksheet.
func participationSheet(name, title string, rows []ParticipationRow, names map[int64]string) Sheet {
	s := Sheet{Name: name, Title: title, Headers: participationHeaders, Rows: make([][]any, 0, len(rows))}
	for i, r := range rows {
		parent := ""
		if r.ParentID != nil {
			parent = names[*r.ParentID]
		}
		s.Rows = append(s.Rows, []any{
			i + 1, r.Code, r.Name, labelOf(categoryLabels, r.Category), parent, r.Participants, r.Headcount,
			Percent(r.Rate), Percent(r.Threshold), yesNo(r.MeetsTarget, "Đạt", "Chưa đạt"),
			yesNo(r.RolledUp, "Có", ""), yesNo(r.HeadcountIsSample, "Có", ""), overHeadcount(r),
		})
	}
	s.Totals = participationTotals(rows)
	return s
}

// participationTotals sums participants and headcount over the rows at the top of the
// listed tree only: a district's row already includes its communes, so summing every row
// would count them twice. The rate is the totals' (counted participants, so capped rows
// stay capped).
func participationTotals(rows []ParticipationRow) []any {
	listed := map[int64]bool{}
	for _, r := range rows {
		listed[r.AgencyID] = true
	}
	participants, counted, headcount := 0, 0, 0
	for _, r := range rows {
		if r.ParentID != nil && listed[*r.ParentID] {
			continue
		}
		participants += r.Participants
		counted += r.CountedParticipants
		headcount += r.Headcount
	}
	var rate any
	if headcount > 0 {
		rate = Percent(float64(counted) / float64(headcount))
	}
	return []any{nil, nil, "Tổng cộng", nil, nil, participants, headcount, rate}
}

// overHeadcount says, for a capped rate, what the uncapped one was, so that the committee
// sees the size of the discrepancy it has to resolve.
func overHeadcount(r ParticipationRow) string {
	if !r.OverHeadcount {
		return ""
	}
	if r.Headcount == 0 {
		return "Có (chưa có biên chế)"
	}
	return fmt.Sprintf("Có (%s)", percentText(r.RawRate))
}

// percentText writes a fraction as a Vietnamese percentage: 2.4 is "240,0 %".
func percentText(f float64) string {
	return strings.Replace(fmt.Sprintf("%.1f %%", f*100), ".", ",", 1)
}

// ParticipationReport is the participation report: the whole contest, then each round,
// every agency against its target. root > 0 limits it to that agency and those below it
// (what an agency's focal point may see).
func ParticipationReport(ctx context.Context, st *store.Store, campaignID int64, root int64) (Report, error) {
	t, err := LoadParticipation(ctx, st, campaignID)
	if err != nil {
		return Report{}, err
	}
	return t.Report(root), nil
}

// Report lays the table out as the participation report (see ParticipationReport).
func (t ParticipationTable) Report(root int64) Report {
	names := map[int64]string{}
	for _, a := range t.Agencies {
		names[a.ID] = a.Name
	}
	var keep map[int64]bool
	scope := ""
	if root > 0 {
		keep = Subtree(t.Agencies, root)
		scope = " — " + names[root]
	}
	loc := campaignLocation(t.Campaign)
	r := Report{Title: "Báo cáo tỷ lệ tham gia thi trắc nghiệm" + scope + " — " + t.Campaign.Name,
		Campaign: t.Campaign.Name, Date: time.Now().In(loc)}
	r.Sheets = append(r.Sheets, participationSheet("Toàn Hội thi",
		"Tỷ lệ tham gia toàn Hội thi (số người dự thi ít nhất một tuần / biên chế)"+scope,
		FilterRows(t.Overall, keep), names))
	for _, round := range t.Rounds {
		r.Sheets = append(r.Sheets, participationSheet(fmt.Sprintf("Tuần %d", round.Number),
			fmt.Sprintf("Tỷ lệ tham gia tuần thi thứ %d (%s)%s", round.Number, roundDates(round.OpensAt, round.ClosesAt, loc), scope),
			FilterRows(t.ByRound[round.Number], keep), names))
	}
	return r
}
