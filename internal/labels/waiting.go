package labels

import "fmt"

// waitingOnRound names a decision about one round, with %d for its number.
var waitingOnRound = map[string]string{
	"question_set":       "Ban Tổ chức phê duyệt bộ câu hỏi tuần %d",
	"question_set_ready": "Tổ Thư ký gửi lại bộ câu hỏi tuần %d",
	"weekly_results":     "Ban Tổ chức phê duyệt kết quả tuần %d",
}

// Waiting names one thing a campaign waits for: a decision kind (about round, when round
// is not 0) or a stage's waiting_for.
func Waiting(kind string, round int) string {
	if f, ok := waitingOnRound[kind]; ok && round > 0 {
		return fmt.Sprintf(f, round)
	}
	return Of(WaitingFor, kind)
}
