package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"github.com/hpcontest/contest/internal/rules"
)

// maxBodyBytes bounds every JSON body; the largest legitimate one is a registration.
const maxBodyBytes = 16 << 10

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	must(v.RegisterValidation("vnmobile", func(fl validator.FieldLevel) bool {
		return rules.IsVietnameseMobile(rules.NormalizePhone(fl.Field().String()))
	}))
	must(v.RegisterValidation("isodate", func(fl validator.FieldLevel) bool {
		_, err := time.Parse(time.DateOnly, fl.Field().String())
		return err == nil
	}))
	must(v.RegisterValidation("personname", func(fl validator.FieldLevel) bool { return isPersonName(fl.Field().String()) }))
	must(v.RegisterValidation("plaintext", func(fl validator.FieldLevel) bool { return isPlainText(fl.Field().String()) }))
	must(v.RegisterValidation("optionkey", func(fl validator.FieldLevel) bool {
		switch fl.Field().String() {
		case "A", "B", "C", "D":
			return true
		}
		return false
	}))
	return v
}

// isPersonName accepts letters in any script (Vietnamese names carry diacritics), spaces
// and the few marks names use; markup and SQL fragments have no business in a name.
func isPersonName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != ' ' && r != '.' && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// isPlainText refuses control characters and the angle brackets of markup.
func isPlainText(s string) bool {
	for _, r := range s {
		if r == '<' || r == '>' || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			return false
		}
	}
	return true
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// fieldLabels gives the Vietnamese name of each request field for error messages.
var fieldLabels = map[string]string{
	"full_name":             "Họ và tên",
	"date_of_birth":         "Ngày sinh",
	"phone":                 "Số điện thoại",
	"email":                 "Email",
	"agency_id":             "Cơ quan, đơn vị",
	"position":              "Chức vụ",
	"password":              "Mật khẩu",
	"choice":                "Phương án trả lời",
	"count":                 "Số người dự đoán",
	"tester":                "Đánh dấu tài khoản thử nghiệm",
	"question_set_revision": "Phiên bản bộ câu hỏi",
}

// bindJSON decodes a body strictly (exact field names, no repeated or unknown fields, one
// value, bounded size) and validates it. Any problem is a 400 with a message naming the field.
func bindJSON(c *gin.Context, dst any) error {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return decodeError(err)
	}
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD and store it.
	if !utf8.Valid(body) {
		return newError(http.StatusBadRequest, "invalid_encoding", "Dữ liệu gửi lên phải được mã hoá UTF-8.")
	}
	if e := checkStrictKeys(body, reflect.TypeOf(dst)); e != nil {
		return e
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newError(http.StatusBadRequest, "invalid_json", "Dữ liệu gửi lên phải là đúng một đối tượng JSON.")
	}
	if err := validate.Struct(dst); err != nil {
		return validationError(err)
	}
	return nil
}

func decodeError(err error) *Error {
	var (
		typeErr *json.UnmarshalTypeError
		sizeErr *http.MaxBytesError
	)
	switch {
	case errors.As(err, &sizeErr):
		return newError(http.StatusRequestEntityTooLarge, "body_too_large", "Dữ liệu gửi lên quá lớn.")
	case errors.As(err, &typeErr):
		return newError(http.StatusBadRequest, "invalid_field",
			fmt.Sprintf("Trường %s có kiểu dữ liệu không đúng.", label(typeErr.Field)))
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return newError(http.StatusBadRequest, "unknown_field", fmt.Sprintf("Trường %q không được hỗ trợ.", field))
	case errors.Is(err, io.EOF):
		return newError(http.StatusBadRequest, "invalid_json", "Thiếu dữ liệu gửi lên.")
	default:
		return newError(http.StatusBadRequest, "invalid_json", "Dữ liệu gửi lên không phải JSON hợp lệ.")
	}
}

func validationError(err error) *Error {
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return newError(http.StatusBadRequest, "invalid_request", "Dữ liệu gửi lên không hợp lệ.")
	}
	fe := errs[0]
	return newError(http.StatusBadRequest, "invalid_field",
		fmt.Sprintf("%s không hợp lệ%s.", label(fe.Field()), ruleHint(fe)))
}

func ruleHint(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return " (bắt buộc nhập)"
	case "vnmobile":
		return " (cần số di động Việt Nam, ví dụ 0912345678)"
	case "isodate":
		return " (định dạng YYYY-MM-DD)"
	case "optionkey":
		return " (chỉ được chọn A, B, C hoặc D)"
	case "min":
		return fmt.Sprintf(" (tối thiểu %s)", fe.Param())
	case "max":
		return fmt.Sprintf(" (tối đa %s)", fe.Param())
	case "personname":
		return " (chỉ gồm chữ cái, dấu cách và các dấu . - ')"
	case "plaintext":
		return " (không được chứa ký tự < > hoặc ký tự điều khiển)"
	case "email":
		return " (địa chỉ email không đúng)"
	}
	return ""
}

func label(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	if field == "" {
		return "dữ liệu"
	}
	return field
}
