package seed

import (
	"strings"
	"testing"
)

func TestEmbeddedSeedDataIsWellFormed(t *testing.T) {
	agencies, err := ParseAgencies(mustOpen("data/agencies.csv"))
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, a := range agencies {
		codes[a.Code] = a.Category
	}
	for _, a := range agencies {
		if a.ParentCode != "" && codes[a.ParentCode] != "district" {
			t.Errorf("%s: parent %q is not a district", a.Code, a.ParentCode)
		}
	}
	questions, err := ParseQuestions(mustOpen("data/questions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	perRound := map[int]int{}
	for _, q := range questions {
		perRound[q.Round]++
	}
	campaign := DefaultCampaign()
	for _, r := range campaign.Rounds {
		if perRound[r.Number] < campaign.QuestionsPerAttempt {
			t.Errorf("round %d has %d questions, fewer than the %d an attempt draws", r.Number, perRound[r.Number], campaign.QuestionsPerAttempt)
		}
	}
}

func TestParseQuestionsRejectsMalformedRows(t *testing.T) {
	const header = "code,round,source,text,option_a,option_b,option_c,option_d,correct\n"
	tests := []struct {
		name, body, wantErr string
	}{
		{"wrong header", "code,text\nQ1,x\n", "header"},
		{"missing column", header + "Q1,1,76/NQ-CP,Text,a,b,c,D\n", "wrong number of fields"},
		{"correct outside A-D", header + "Q1,1,76/NQ-CP,Text,a,b,c,d,E\n", "A, B, C or D"},
		{"duplicate options", header + "Q1,1,76/NQ-CP,Text,a,a,c,d,A\n", "must differ"},
		{"empty option", header + "Q1,1,76/NQ-CP,Text,a,,c,d,A\n", "option B is empty"},
		{"duplicate code", header + "Q1,1,s,T,a,b,c,d,A\nQ1,1,s,T2,a,b,c,d,A\n", "appears twice"},
		{"bad round", header + "Q1,x,s,T,a,b,c,d,A\n", "round"},
		{"invalid UTF-8", header + "Q1,1,s,T\xff,a,b,c,d,A\n", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuestions(strings.NewReader(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
	rows, err := ParseQuestions(strings.NewReader("\ufeff" + header + "Q1,,khac,\"Câu hỏi, có dấu phẩy\",a,b,c,d,c\n"))
	if err != nil || len(rows) != 1 || rows[0].Correct != 2 || rows[0].Round != 0 || rows[0].Text != "Câu hỏi, có dấu phẩy" {
		t.Fatalf("valid row: %+v, %v", rows, err)
	}
}
