package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/hpcontest/contest/internal/rules"
)

// FuzzBindJSON feeds arbitrary bodies to the strict JSON binding of every request type:
// anything is either bound to a valid value or refused with a 4xx, never a panic or a 5xx.
func FuzzBindJSON(f *testing.F) {
	f.Add(`{"full_name":"Nguyễn Văn A","date_of_birth":"1985-04-12","phone":"0912345678","agency_id":1,"position":"x","password":"12345678"}`)
	f.Add(`{"choice":"A"}`)
	f.Add(`{"count":12}`)
	f.Add(`{"kind":"go_live","outcome":"approved"}`)
	f.Add(strings.Repeat("[", 10000))
	f.Add("{\"choice\":\"\xff\"}")
	gin.SetMode(gin.ReleaseMode)
	f.Fuzz(func(t *testing.T, body string) {
		for _, dst := range []func() any{
			func() any { return &registerRequest{} }, func() any { return &loginRequest{} },
			func() any { return &answerRequest{} }, func() any { return &predictionRequest{} },
			func() any { return &decisionRequest{} }, func() any { return &scoreRequest{} },
		} {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			err := bindJSON(c, dst())
			if err == nil {
				continue
			}
			apiErr, ok := err.(*Error)
			if !ok || apiErr.Status < 400 || apiErr.Status >= 500 || !utf8.ValidString(apiErr.Message) {
				t.Fatalf("body %q: %v", body, err)
			}
		}
	})
}

// FuzzNormalizePhone: whatever the input, a number that passes validation is ten digits.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0912345678", "+84 912 345 678", "84912345678", "", "+84", "０９１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p := rules.NormalizePhone(raw)
		if rules.IsVietnameseMobile(p) && (len(p) != 10 || p[0] != '0') {
			t.Fatalf("%q normalized to %q and accepted", raw, p)
		}
	})
}
