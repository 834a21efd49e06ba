// Package httpenc holds the content-coding negotiation the API's compression middleware
// and the embedded pages share: whether a client accepts gzip, and Vary.
package httpenc

import (
	"net/http"
	"strconv"
	"strings"
)

// AcceptsGzip reads an Accept-Encoding header: gzip (or x-gzip, or *) with a q-value above
// zero. An absent header accepts only the identity form here: HTTP allows any coding then,
// but a client that says nothing may not decode one.
func AcceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		if k, v, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "="); ok && strings.EqualFold(k, "q") {
			if q, err := strconv.ParseFloat(v, 64); err != nil || q <= 0 {
				continue
			}
		}
		return true
	}
	return false
}

// AddVary adds a field name to Vary once.
func AddVary(h http.Header, name string) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if t := strings.TrimSpace(f); strings.EqualFold(t, name) || t == "*" {
				return
			}
		}
	}
	h.Add("Vary", name)
}
