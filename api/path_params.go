package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

var errInvalidPath = newError(http.StatusBadRequest, "invalid_path", "Đường dẫn chứa mã không hợp lệ.")

// pathID reads a positive BIGINT key (attempts, rounds, clips…) from the path.
func pathID(c *gin.Context, name string) (int64, bool) {
	return pathPositive(c, name, 64)
}

// pathNumber reads a positive INT column value (a round's number) from the path: a
// number beyond PostgreSQL's INT range would otherwise fail inside the driver as a 500.
func pathNumber(c *gin.Context, name string) (int, bool) {
	n, ok := pathPositive(c, name, 32)
	return int(n), ok
}

func pathPositive(c *gin.Context, name string, bits int) (int64, bool) {
	n, err := strconv.ParseInt(c.Param(name), 10, bits)
	if err != nil || n <= 0 {
		fail(c, errInvalidPath)
		return 0, false
	}
	return n, true
}
