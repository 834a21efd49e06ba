package api

// Vietnamese names of the campaign stages and of what a stage waits for, as the
// committee's pages and error messages show them.
var stageLabels = map[string]string{
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

var waitingLabels = map[string]string{
	"":                       "",
	"question_set_approvals": "Ban Tổ chức phê duyệt bộ câu hỏi của từng tuần",
	"go_live":                "Ban Tổ chức phê duyệt đưa phần mềm vào vận hành chính thức",
	"video_deadline":         "Hết hạn nhận video clip",
	"close_jury":             "Ban Tổ chức kết thúc việc chấm video clip",
	"joint_meeting":          "Ban Tổ chức ghi nhận cuộc họp với Ban Giám khảo",
	"final_results":          "Ban Tổ chức phê duyệt quyết định kết quả Hội thi",
	"ceremony_held":          "Ban Tổ chức xác nhận đã tổ chức lễ tổng kết",
}

var roundStateLabels = map[string]string{
	"scheduled": "Chưa mở",
	"open":      "Đang thi",
	"closed":    "Đã đóng, đang chờ xếp hạng",
	"ranked":    "Đã xếp hạng, chờ Ban Tổ chức phê duyệt",
	"approved":  "Đã phê duyệt, đang công bố",
	"published": "Đã công bố kết quả",
}

func label2(m map[string]string, key string) string {
	if l, ok := m[key]; ok {
		return l
	}
	return key
}
