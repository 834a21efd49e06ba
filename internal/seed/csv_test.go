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

func TestParseQuestionsRefusesWithEveryProblemInVietnamese(t *testing.T) {
	_, err := ParseQuestions(strings.NewReader(questionCSVHeader + "Q1,1,s,T,a,b,c,d,E\nQ2,x,s,T,a,a,c,d,A\n"))
	want := "Dòng 2, cột correct: đáp án đúng “E” phải là A, B, C hoặc D. " +
		"Dòng 3, cột round: “x” không phải số tuần (để trống nếu câu hỏi chưa thuộc tuần nào). " +
		"Dòng 3, cột option_b: phương án B trùng với phương án A."
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	rows, err := ParseQuestions(strings.NewReader("\ufeff" + questionCSVHeader + "Q1,,khac,\"Câu hỏi, có dấu phẩy\",a,b,c,d,c\n"))
	if err != nil || len(rows) != 1 || rows[0].Correct != 2 || rows[0].Round != 0 || rows[0].Text != "Câu hỏi, có dấu phẩy" {
		t.Fatalf("valid row: %+v, %v", rows, err)
	}
}
