package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// publicMaxAge is how long browsers and proxies may keep a public results answer without
// asking again: a published round never changes, and a newly published one shows within it.
const publicMaxAge = "public, max-age=60"

// publicJSON answers a public, cacheable JSON body with an ETag computed from it, and 304
// to a client that already holds that body: on the Monday a week's winners come out,
// every refresh of the results page costs a hash, not the list.
func publicJSON(c *gin.Context, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		fail(c, err)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Writer.Header()
	h.Set("Cache-Control", publicMaxAge)
	h.Set("ETag", etag)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// etagMatches reads If-None-Match as a list of (possibly weak) tags, or "*".
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}
