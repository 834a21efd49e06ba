package api

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
)

// readImportUpload reads the multipart `file` of an import (at most maxBytes, else
// tooLarge; missing, formErr) and its dry_run flag. It answers the error itself and
// reports whether to go on.
func readImportUpload(c *gin.Context, maxBytes int64, formErr, tooLarge *Error) (data []byte, dryRun, ok bool) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBytes+64<<10)
	fh, err := c.FormFile("file")
	if err != nil {
		fail(c, formErr)
		return nil, false, false
	}
	if fh.Size > maxBytes {
		fail(c, tooLarge)
		return nil, false, false
	}
	dryRun, ok = dryRunFlag(c)
	if !ok {
		fail(c, newError(http.StatusBadRequest, "invalid_field", "dry_run chỉ nhận true hoặc false."))
		return nil, false, false
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, err)
		return nil, false, false
	}
	defer f.Close()
	if data, err = io.ReadAll(f); err != nil {
		fail(c, err)
		return nil, false, false
	}
	return data, dryRun, true
}
