//go:build integration

package integration

import (
	"bytes"
	"math"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hpcontest/contest/internal/testenv"
)

type cappedRow struct {
	Code                string  `json:"code"`
	Participants        int     `json:"participants"`
	CountedParticipants int     `json:"counted_participants"`
	Headcount           int     `json:"headcount"`
	Rate                float64 `json:"rate"`
	RawRate             float64 `json:"raw_rate"`
	MeetsTarget         bool    `json:"meets_target"`
	OverHeadcount       bool    `json:"over_headcount"`
}

// TestParticipationNeverExceedsTheHeadcount: a department with 12 participants for a
// headcount of 5 (240 %), and a district whose commune has 10 participants for a headcount
// of 4. The API caps each rate at 100 % and flags it, keeping the raw count; the capped
// commune no longer lifts its district over the 70 % target; the participation workbook
// says "Vượt biên chế" with the uncapped figure.
func TestParticipationNeverExceedsTheHeadcount(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	code := s.Campaign.Code
	committee := s.Staff(t, "committee")
	ag := agencyIDsByCode(t, s)
	const dept, district, hvt, mk, sd = "so-tu-phap", "q-hong-bang", "q-hong-bang-p-hoang-van-thu", "q-hong-bang-p-minh-khai", "q-hong-bang-p-so-dau"
	csv := "code,headcount\n" + dept + ",5\n" + district + ",10\n" + hvt + ",4\n" + mk + ",3\n" + sd + ",3\n"
	if r := uploadHeadcounts(t, committee, "bien-che.csv", []byte(csv), "Số liệu Sở Nội vụ"); r.Status != http.StatusOK {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	round1 := roundIDByNumber(t, s, 1)
	sitters(t, s, round1, ag[dept], 12)
	sitters(t, s, round1, ag[district], 6)
	sitters(t, s, round1, ag[hvt], 10)

	var answer struct {
		Rows []cappedRow `json:"rows"`
	}
	committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/participation", nil).JSON(t, &answer)
	rows := map[string]cappedRow{}
	for _, r := range answer.Rows {
		rows[r.Code] = r
		if r.Rate > 1 {
			t.Errorf("%s: rate %.2f above 100 %%", r.Code, r.Rate)
		}
	}
	check := func(code string, participants, counted, headcount int, rate, raw float64, meets, over bool) {
		t.Helper()
		r := rows[code]
		if r.Participants != participants || r.CountedParticipants != counted || r.Headcount != headcount ||
			math.Abs(r.Rate-rate) > 1e-9 || math.Abs(r.RawRate-raw) > 1e-9 || r.MeetsTarget != meets || r.OverHeadcount != over {
			t.Fatalf("%s: %+v; want %d (%d counted) of %d, rate %.4f raw %.4f, meets %v, over %v",
				code, r, participants, counted, headcount, rate, raw, meets, over)
		}
	}
	check(dept, 12, 5, 5, 1, 2.4, true, true)
	check(hvt, 10, 4, 4, 1, 2.5, true, true)
	// (6 + 10 + 0 + 0) / 20 = 80 % would meet the target; counted, (6 + 4) / 20 = 50 % does not.
	check(district, 16, 10, 20, 0.5, 0.8, false, true)
	check(mk, 0, 0, 3, 0, 0, false, false)

	r := committee.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+code+"/reports/participation.xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("Toàn Hội thi")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet[1]) < 13 || sheet[1][12] != "Vượt biên chế" {
		t.Fatalf("participation headers %q", sheet[1])
	}
	want := map[string][2]string{dept: {"100.0%", "Có (240,0 %)"}, district: {"50.0%", "Có (80,0 %)"}, mk: {"0.0%", ""}}
	seen := 0
	for i, row := range sheet[2:] {
		w, ok := want[cell(row, 1)]
		if !ok {
			continue
		}
		seen++
		if cell(row, 7) != w[0] || cell(row, 12) != w[1] {
			t.Fatalf("workbook row %d %q: rate %q flag %q, want %q %q", i+3, row, cell(row, 7), cell(row, 12), w[0], w[1])
		}
	}
	if seen != len(want) {
		t.Fatalf("found %d of the %d agencies in the workbook", seen, len(want))
	}
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}
