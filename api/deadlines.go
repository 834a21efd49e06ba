package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Server-wide timeouts: the HTTP server is built with these (see cmd/contest). They are
// short enough that slow or idle clients cannot hold connections (and their buffers) for
// long, and long enough for every JSON endpoint. The two routes that move large bodies (a
// video upload, an export download) lift their own deadlines with extendDeadlines.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = time.Minute
	WriteTimeout      = 2 * time.Minute
	IdleTimeout       = 2 * time.Minute

	// longTransfer is the deadline a large upload or download gets from its start.
	longTransfer = 30 * time.Minute
)

// extendDeadlines moves this connection's read and write deadlines d from now, for a
// request whose body or answer may take longer than the server-wide timeouts.
func extendDeadlines(c *gin.Context, d time.Duration) {
	rc := http.NewResponseController(c.Writer)
	at := time.Now().Add(d)
	if err := rc.SetReadDeadline(at); err != nil {
		slog.DebugContext(c.Request.Context(), "cannot extend read deadline", "error", err)
	}
	if err := rc.SetWriteDeadline(at); err != nil {
		slog.DebugContext(c.Request.Context(), "cannot extend write deadline", "error", err)
	}
}
