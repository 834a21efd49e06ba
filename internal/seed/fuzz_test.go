package seed

import (
	"strings"
	"testing"
)

// FuzzParseQuestions feeds arbitrary bytes to the question CSV parser: it may refuse them,
// but must not panic, and what it accepts must be well formed.
func FuzzParseQuestions(f *testing.F) {
	f.Add("code,round,source,text,option_a,option_b,option_c,option_d,correct\nQ1,1,76/NQ-CP,Câu hỏi?,a,b,c,d,A\n")
	f.Add("\ufeffcode,round,source,text,option_a,option_b,option_c,option_d,correct\nQ1,,khac,\"a, b\",1,2,3,4,d\n")
	f.Add("code,round\n\"unterminated")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseQuestions(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, q := range rows {
			if q.Code == "" || q.Text == "" || q.Correct < 0 || q.Correct > 3 || q.Round < 0 {
				t.Fatalf("accepted a malformed row %+v", q)
			}
		}
	})
}

// FuzzParseAgencies does the same for the agency CSV.
func FuzzParseAgencies(f *testing.F) {
	f.Add("code,parent_code,name,category,headcount\nso-noi-vu,,Sở Nội vụ,city_department,110\n")
	f.Add("code,parent_code,name,category,headcount\nx,y,z,commune,-1\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ParseAgencies(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, a := range rows {
			if a.Code == "" || a.Headcount < 0 || !categories[a.Category] {
				t.Fatalf("accepted a malformed agency %+v", a)
			}
		}
	})
}
