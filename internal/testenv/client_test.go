package testenv

import "testing"

// failRecorder stands in for a test so the inspector's verdict can be checked.
type failRecorder struct {
	testing.TB
	failed bool
}

func (r *failRecorder) Helper()               {}
func (r *failRecorder) Errorf(string, ...any) { r.failed = true }

func TestInspectForAnswerLeak(t *testing.T) {
	for _, c := range []struct {
		name, method, path, body string
		leak                     bool
	}{
		{"start without the key", "POST", "/api/v1/rounds/3/attempts", `{"attempt_id":1,"questions":[{"no":1,"options":[{"key":"A"}]}]}`, false},
		{"start with the key", "POST", "/api/v1/rounds/3/attempts", `{"attempt_id":1,"questions":[{"no":1,"correct_key":"B"}]}`, true},
		{"submit with a review", "POST", "/api/v1/attempts/1/submit", `{"status":"submitted","review":[]}`, true},
		{"open attempt with a review", "GET", "/api/v1/attempts/1", `{"status":"in_progress","review":[{"correct_key":"B"}]}`, true},
		{"closed attempt with a review", "GET", "/api/v1/attempts/1", `{"status":"submitted","review":[{"correct_key":"B"}]}`, false},
		{"a count is not a key", "POST", "/api/v1/attempts/1/submit", `{"status":"submitted","correct_count":7}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &failRecorder{TB: t}
			inspectForAnswerLeak(r, c.method, c.path, []byte(c.body))
			if r.failed != c.leak {
				t.Fatalf("leak reported %v, want %v", r.failed, c.leak)
			}
		})
	}
}
