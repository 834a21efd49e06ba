package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/hpcontest/contest/internal/rules"
)

// scorePoints reads a score sheet's points: each a JSON number, or a string as the juror
// typed it ("0,5" is half a point; rules.ParseScore). An ambiguous string ("1.500": 1.5 or
// 1500?) is refused with a message saying how to write it, and nothing is stored.
func scorePoints(raw map[string]json.RawMessage, criteria []rules.Criterion) (map[string]float64, error) {
	names := map[string]string{}
	for _, c := range criteria {
		names[c.Code] = c.Name
	}
	codes := make([]string, 0, len(raw))
	for code := range raw {
		codes = append(codes, code)
	}
	sort.Strings(codes) // the first bad criterion in a stable order
	out := make(map[string]float64, len(raw))
	for _, code := range codes {
		name := names[code]
		if name == "" {
			name = code
		}
		v := bytes.TrimSpace(raw[code])
		if len(v) > 0 && v[0] == '"' {
			var typed string
			if err := json.Unmarshal(v, &typed); err != nil {
				return nil, errScoreNotNumber(name)
			}
			p, err := rules.ParseScore(typed)
			if errors.Is(err, rules.ErrScoreAmbiguous) {
				return nil, newError(http.StatusUnprocessableEntity, "score_ambiguous",
					fmt.Sprintf("Điểm «%s» của tiêu chí «%s» không rõ nghĩa. Phần thập phân viết sau dấu phẩy, không dùng dấu phân cách hàng nghìn (ví dụ 0,5 hoặc 12,75).", typed, name))
			}
			if err != nil {
				return nil, errScoreNotNumber(name)
			}
			out[code] = p
			continue
		}
		var p float64
		if err := json.Unmarshal(v, &p); err != nil {
			return nil, errScoreNotNumber(name)
		}
		out[code] = p
	}
	return out, nil
}

func errScoreNotNumber(name string) *Error {
	return newError(http.StatusBadRequest, "invalid_field",
		fmt.Sprintf("Điểm của tiêu chí «%s» phải là một số (ví dụ 8 hoặc 0,5).", name))
}
