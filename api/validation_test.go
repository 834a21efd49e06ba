package api

import "testing"

func TestRegisterRequestValidation(t *testing.T) {
	valid := func() registerRequest {
		return registerRequest{FullName: "Nguyễn Văn A", DateOfBirth: "1985-04-12", Phone: "0912345678",
			AgencyID: 3, Position: "Chuyên viên", Password: "mat-khau-moi"}
	}
	bad := "not-an-email"
	tests := []struct {
		name   string
		mutate func(*registerRequest)
		field  string
	}{
		{"valid", func(*registerRequest) {}, ""},
		{"missing name", func(r *registerRequest) { r.FullName = "" }, "full_name"},
		{"bad date", func(r *registerRequest) { r.DateOfBirth = "12/04/1985" }, "date_of_birth"},
		{"landline", func(r *registerRequest) { r.Phone = "02253123456" }, "phone"},
		{"bad email", func(r *registerRequest) { r.Email = &bad }, "email"},
		{"no agency", func(r *registerRequest) { r.AgencyID = 0 }, "agency_id"},
		{"no password", func(r *registerRequest) { r.Password = "" }, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid()
			tt.mutate(&r)
			err := validate.Struct(r)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			apiErr := validationError(err)
			if apiErr.Code != "invalid_field" || apiErr.Message == "" {
				t.Fatalf("got %+v", apiErr)
			}
			if want := label(tt.field); len(apiErr.Message) < len(want) || apiErr.Message[:len(want)] != want {
				t.Fatalf("message %q does not name the field %q", apiErr.Message, want)
			}
		})
	}
}

// Length and strength are the password policy's (it says which rule failed), at the field.
func TestPasswordPolicyAnswersAtTheField(t *testing.T) {
	for _, tc := range []struct{ password, want string }{
		{"1234567", "Mật khẩu phải có ít nhất 8 ký tự."},
		{"matkhau123", "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác."},
		{"a0912345678", "Mật khẩu không được chứa số điện thoại của bạn."},
		{"nguyen van a", "Mật khẩu không được là họ tên của bạn."},
	} {
		err := passwordPolicy("password", tc.password, "+84912345678", "Nguyễn Văn A")
		if err == nil || err.Status != 400 || err.Code != "weak_password" || err.Field != "password" || err.Message != tc.want {
			t.Errorf("%q: got %+v", tc.password, err)
		}
	}
	if err := passwordPolicy("password", "mat-khau-moi", "0912345678", "Nguyễn Văn A"); err != nil {
		t.Errorf("a good password refused: %+v", err)
	}
}
