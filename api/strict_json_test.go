package api

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestBindJSONIsStrictAboutKeys(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	tests := []struct {
		name string
		body string
		code string // "" when the body binds
	}{
		{"exact key", `{"choice":"A"}`, ""},
		{"key in another case", `{"Choice":"A"}`, "unknown_field"},
		{"key upper case", `{"CHOICE":"A"}`, "unknown_field"},
		{"repeated key", `{"choice":"A","choice":"B"}`, "duplicate_field"},
		{"repeated key in two cases", `{"choice":"A","Choice":"B"}`, "unknown_field"},
		{"unknown key", `{"choice":"A","extra":1}`, "unknown_field"},
		{"not json", `{"choice":`, "invalid_json"},
		{"two values", `{"choice":"A"}{"choice":"B"}`, "invalid_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			var req answerRequest
			err := bindJSON(c, &req)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			apiErr, ok := err.(*Error)
			if !ok || apiErr.Code != tt.code || apiErr.Status != http.StatusBadRequest {
				t.Fatalf("got %#v, want a 400 %s", err, tt.code)
			}
		})
	}
}

func TestStrictKeysFollowNestedAndEmbeddedFields(t *testing.T) {
	type inner struct {
		Name string `json:"name"`
	}
	type base struct {
		ID int `json:"id"`
	}
	type outer struct {
		base
		Items []inner          `json:"items"`
		Extra map[string]inner `json:"extra"`
		Ptr   *inner           `json:"ptr"`
	}
	tests := []struct {
		body string
		code string
	}{
		{`{"id":1,"items":[{"name":"a"}],"extra":{"x":{"name":"b"}},"ptr":{"name":"c"}}`, ""},
		{`{"ID":1}`, "unknown_field"},
		{`{"items":[{"Name":"a"}]}`, "unknown_field"},
		{`{"items":[{"name":"a","name":"b"}]}`, "duplicate_field"},
		{`{"extra":{"x":{"name":"a"},"x":{"name":"b"}}}`, "duplicate_field"},
		{`{"ptr":{"NAME":"c"}}`, "unknown_field"},
	}
	for _, tt := range tests {
		var dst outer
		e := checkStrictKeys([]byte(tt.body), reflect.TypeOf(&dst))
		got := ""
		if e != nil {
			got = e.Code
		}
		if got != tt.code {
			t.Errorf("%s: got %q, want %q", tt.body, got, tt.code)
		}
	}
}
