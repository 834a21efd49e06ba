package contest

import "fmt"

// The Vietnamese names of stages, round states and prizes, shared by the API's answers,
// the reports and the notifications, so that each thing has one name wherever it is
// shown. (The web pages carry theirs in web/static/i18n/vi.js.)

// StageLabels names each campaign stage.
var StageLabels = map[string]string{
	StageNotStarted:      "Chưa khởi động",
	StageQuestionBank:    "Xây dựng và phê duyệt bộ câu hỏi",
	StageTrialRun:        "Vận hành thử phần mềm",
	StageRounds:          "Thi trắc nghiệm hằng tuần",
	StageVideoSubmission: "Nhận video clip dự thi",
	StageJuryScoring:     "Chấm video clip",
	StageJointMeeting:    "Họp Ban Tổ chức và Ban Giám khảo",
	StageResultsDecision: "Quyết định phê duyệt kết quả Hội thi",
	StageCeremony:        "Lễ tổng kết và trao giải",
	StageCompleted:       "Đã kết thúc",
}

// WaitingLabels names what a stage waits for.
var WaitingLabels = map[string]string{
	"":                          "",
	WaitingQuestionSetApprovals: "Ban Tổ chức phê duyệt bộ câu hỏi của từng tuần",
	DecisionGoLive:              "Ban Tổ chức phê duyệt đưa phần mềm vào vận hành chính thức",
	WaitingVideoDeadline:        "Hết hạn nhận video clip",
	DecisionCloseJury:           "Ban Tổ chức kết thúc việc chấm video clip",
	DecisionJointMeeting:        "Ban Tổ chức ghi nhận cuộc họp với Ban Giám khảo",
	DecisionFinalResults:        "Ban Tổ chức phê duyệt quyết định kết quả Hội thi",
	DecisionCeremonyHeld:        "Ban Tổ chức xác nhận đã tổ chức lễ tổng kết",
}

// waitingOnRoundLabels names a decision about one round, with %d for its number.
var waitingOnRoundLabels = map[string]string{
	DecisionQuestionSet:      "Ban Tổ chức phê duyệt bộ câu hỏi tuần %d",
	DecisionQuestionSetReady: "Tổ Thư ký gửi lại bộ câu hỏi tuần %d",
	DecisionWeeklyResults:    "Ban Tổ chức phê duyệt kết quả tuần %d",
}

// ReminderLabels names, in a reminder to the committee, what a stage (or the weekly
// results) waits for it to do.
var ReminderLabels = map[string]string{
	StageQuestionBank: "phê duyệt bộ câu hỏi", StageTrialRun: "phê duyệt vận hành chính thức",
	DecisionWeeklyResults: "phê duyệt kết quả tuần", StageJuryScoring: "kết thúc chấm video",
	StageJointMeeting: "họp Ban Tổ chức và Ban Giám khảo", StageResultsDecision: "quyết định phê duyệt kết quả",
	StageCeremony: "tổ chức lễ tổng kết",
}

// RoundStateLabels names each state of a weekly round.
var RoundStateLabels = map[string]string{
	RoundScheduled: "Chưa mở",
	RoundOpen:      "Đang thi",
	RoundClosed:    "Đã đóng, đang chờ xếp hạng",
	RoundRanked:    "Đã xếp hạng, chờ Ban Tổ chức phê duyệt",
	RoundApproved:  "Đã phê duyệt, đang công bố",
	RoundPublished: "Đã công bố kết quả",
}

// PrizeLabels names each prize level.
var PrizeLabels = map[string]string{"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba"}

// Label returns key's name in m, or key itself when m has none.
func Label(m map[string]string, key string) string {
	if l, ok := m[key]; ok {
		return l
	}
	return key
}

// WaitingLabel names one thing a campaign waits for: a decision kind (about round, when
// round is not 0) or a stage's waiting_for.
func WaitingLabel(kind string, round int) string {
	if f, ok := waitingOnRoundLabels[kind]; ok && round > 0 {
		return fmt.Sprintf(f, round)
	}
	return Label(WaitingLabels, kind)
}
