// Package labels holds the Vietnamese names of the campaign's stages, round states and
// prizes, shared by the API's answers, the reports and the notifications, so that each
// thing has one name wherever it is shown. (The web pages carry theirs in vi.js.)
package labels

// Stage names each campaign stage.
var Stage = map[string]string{
	"not_started":      "Chưa khởi động",
	"question_bank":    "Xây dựng và phê duyệt bộ câu hỏi",
	"trial_run":        "Vận hành thử phần mềm",
	"rounds":           "Thi trắc nghiệm hàng tuần",
	"video_submission": "Nhận video clip dự thi",
	"jury_scoring":     "Chấm video clip",
	"joint_meeting":    "Họp Ban Tổ chức và Ban Giám khảo",
	"results_decision": "Quyết định phê duyệt kết quả Hội thi",
	"ceremony":         "Lễ tổng kết và trao giải",
	"completed":        "Đã kết thúc",
}

// WaitingFor names what a stage waits for.
var WaitingFor = map[string]string{
	"":                       "",
	"question_set_approvals": "Ban Tổ chức phê duyệt bộ câu hỏi của từng tuần",
	"go_live":                "Ban Tổ chức phê duyệt đưa phần mềm vào vận hành chính thức",
	"video_deadline":         "Hết hạn nhận video clip",
	"close_jury":             "Ban Tổ chức kết thúc việc chấm video clip",
	"joint_meeting":          "Ban Tổ chức ghi nhận cuộc họp với Ban Giám khảo",
	"final_results":          "Ban Tổ chức phê duyệt quyết định kết quả Hội thi",
	"ceremony_held":          "Ban Tổ chức xác nhận đã tổ chức lễ tổng kết",
}

// RoundState names each state of a weekly round.
var RoundState = map[string]string{
	"scheduled": "Chưa mở",
	"open":      "Đang thi",
	"closed":    "Đã đóng, đang chờ xếp hạng",
	"ranked":    "Đã xếp hạng, chờ Ban Tổ chức phê duyệt",
	"approved":  "Đã phê duyệt, đang công bố",
	"published": "Đã công bố kết quả",
}

// Prize names each prize level.
var Prize = map[string]string{"first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba"}

// Of returns key's name in m, or key itself when m has none.
func Of(m map[string]string, key string) string {
	if l, ok := m[key]; ok {
		return l
	}
	return key
}
