//go:build integration

package integration

import (
	"bytes"
	"math"
	"net/http"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/reports"
	"github.com/hpcontest/contest/internal/rules"
	"github.com/hpcontest/contest/internal/testenv"
)

type itemAnalysisAnswer struct {
	RoundNumber int    `json:"round_number"`
	State       string `json:"state"`
	Attempts    int    `json:"attempts"`
	GroupSize   int    `json:"group_size"`
	Items       []struct {
		Code           string   `json:"code"`
		CorrectOption  int      `json:"correct_option"`
		Attempts       int      `json:"attempts"`
		Correct        int      `json:"correct"`
		Unanswered     int      `json:"unanswered"`
		Difficulty     *float64 `json:"difficulty"`
		UpperCorrect   int      `json:"upper_correct"`
		LowerCorrect   int      `json:"lower_correct"`
		Discrimination *float64 `json:"discrimination"`
		PointBiserial  *float64 `json:"point_biserial"`
		Options        []struct {
			Chosen int  `json:"chosen"`
			Upper  int  `json:"upper"`
			Lower  int  `json:"lower"`
			IsKey  bool `json:"is_key"`
		} `json:"options"`
		Flags []string `json:"flags"`
	} `json:"items"`
}

// TestItemAnalysisOfRankedRound: the item analysis exists only once the round is ranked
// (409 before, in Vietnamese), for the secretariat, committee and admin only; on a
// crafted round its difficulty, discrimination, point-biserial, option counts (by the
// bank's option, through each participant's shuffle) and flags are the hand-computed
// ones; the workbook is print-ready.
func TestItemAnalysisOfRankedRound(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	code := s.Campaign.Code
	round3 := s.CraftItemRound(t, false)
	secretariat := s.Staff(t, "secretariat")
	path := "/api/v1/campaigns/" + code + "/rounds/3/item-analysis"

	r := secretariat.Do("GET", path, nil)
	if r.Status != http.StatusConflict || r.ErrorCode() != "round_not_ranked" {
		t.Fatalf("before the ranking: %d %s", r.Status, r.Body)
	}
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	r.JSON(t, &e)
	if e.Error.Message != "Tuần thi thứ 3 chưa được xếp hạng nên chưa có phân tích câu hỏi. Phân tích câu hỏi có ngay sau khi tuần thi được xếp hạng." {
		t.Fatalf("message %q", e.Error.Message)
	}
	if r := secretariat.Do("GET", path+".xlsx", nil); r.Status != http.StatusConflict {
		t.Fatalf("workbook before the ranking: %d", r.Status)
	}

	s.RankItemRound(t, round3)

	var a itemAnalysisAnswer
	secretariat.Expect(http.StatusOK, "GET", path, nil).JSON(t, &a)
	if a.RoundNumber != 3 || a.State != "ranked" || a.Attempts != 10 || a.GroupSize != 3 || len(a.Items) != 3 {
		t.Fatalf("analysis %+v", a)
	}
	approx := func(what string, got *float64, want float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > 1e-4 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	chosen := func(i int) []int {
		var out []int
		for _, o := range a.Items[i].Options {
			out = append(out, o.Chosen)
		}
		return out
	}
	q1, q2, q3 := a.Items[0], a.Items[1], a.Items[2]
	if q1.Code != "IA-1" || q1.Attempts != 10 || q1.Correct != 5 || q1.Unanswered != 1 || q1.UpperCorrect != 3 || q1.LowerCorrect != 0 ||
		!slices.Equal(chosen(0), []int{5, 2, 2, 0}) || !q1.Options[0].IsKey || len(q1.Flags) != 0 {
		t.Errorf("IA-1 %+v", q1)
	}
	approx("IA-1 p", q1.Difficulty, 0.5)
	approx("IA-1 D", q1.Discrimination, 1)
	approx("IA-1 point-biserial", q1.PointBiserial, 2.5/math.Sqrt(8.25))
	// The upper group all chose D where the key is B.
	if q2.Code != "IA-2" || q2.Correct != 7 || !slices.Equal(chosen(1), []int{0, 7, 0, 3}) || q2.Options[3].Upper != 3 || q2.Options[1].Lower != 3 ||
		!slices.Equal(q2.Flags, []string{rules.FlagNegativeDiscrimination, rules.FlagDistractorBeatsKey}) {
		t.Errorf("IA-2 %+v", q2)
	}
	approx("IA-2 p", q2.Difficulty, 0.7)
	approx("IA-2 D", q2.Discrimination, -1)
	if q3.Code != "IA-3" || q3.Attempts != 0 || q3.Difficulty != nil || q3.Discrimination != nil || len(q3.Flags) != 0 {
		t.Errorf("IA-3 (never drawn) %+v", q3)
	}

	// The committee reads it too (and the admin: see the route); a participant and the jury do not.
	for _, role := range []string{"committee"} {
		s.Staff(t, role).Expect(http.StatusOK, "GET", path, nil)
	}
	for _, c := range []*testenv.Client{s.Participant(t), s.Staff(t, "jury")} {
		if r := c.Do("GET", path, nil); r.Status != http.StatusForbidden {
			t.Errorf("forbidden role: %d %s", r.Status, r.Body)
		}
	}
	for _, c := range []struct {
		path, code string
		status     int
	}{
		{"/api/v1/campaigns/" + code + "/rounds/99/item-analysis", "round_not_found", 404},
		{"/api/v1/campaigns/khong-co/rounds/3/item-analysis", "campaign_not_found", 404},
		{"/api/v1/campaigns/" + code + "/rounds/ba/item-analysis", "invalid_path", 400},
	} {
		if r := secretariat.Do("GET", c.path, nil); r.Status != c.status || r.ErrorCode() != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.path, r.Status, r.Body, c.status, c.code)
		}
	}

	// The workbook: the same figures, print-ready.
	r = secretariat.Expect(http.StatusOK, "GET", path+".xlsx", nil)
	if problems, err := reports.PrintProblems(r.Body, s.Campaign.Name); err != nil || len(problems) != 0 {
		t.Fatalf("item analysis workbook: %q (%v)", problems, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Tuần 3")
	if err != nil || len(rows) != 5 {
		t.Fatalf("workbook rows %q (%v)", rows, err)
	}
	if row := rows[3]; row[0] != "IA-2" || row[2] != "B" || row[4] != "70.0%" || row[5] != "-1.00" || row[10] != "30.0%" ||
		row[16] != "Độ phân biệt âm; Nhóm cao chọn phương án sai nhiều hơn đáp án" {
		t.Errorf("IA-2 row %q", row)
	}
}

// TestEveryWorkbookIsPrintReady: every kind of report registered, downloaded as a
// workbook, prints landscape one page wide with its header as print titles, an
// autofilter, bordered empty cells and the campaign in the page header.
func TestEveryWorkbookIsPrintReady(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	rankWeek2(t, s)
	setRound(t, s, roundIDByNumber(t, s, 2), "state = 'ranked'")
	committee := s.Staff(t, "committee")
	for _, kind := range reports.Kinds() {
		r := committee.Do("GET", "/api/v1/campaigns/"+s.Campaign.Code+"/reports/"+kind+".xlsx", nil)
		if r.Status != http.StatusOK {
			t.Errorf("%s: %d %s", kind, r.Status, r.Body)
			continue
		}
		problems, err := reports.PrintProblems(r.Body, s.Campaign.Name)
		if err != nil || len(problems) != 0 {
			t.Errorf("%s workbook: %q (%v)", kind, problems, err)
		}
	}
	// The participation workbook ends each sheet with its totals.
	r := committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+s.Campaign.Code+"/reports/participation.xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Tuần 2")
	if err != nil {
		t.Fatal(err)
	}
	if last := rows[len(rows)-1]; len(last) < 7 || last[2] != "Tổng cộng" || last[5] != "1,204" {
		t.Errorf("participation totals row %q", last)
	}
}
