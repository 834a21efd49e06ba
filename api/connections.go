package api

import (
	"net"

	"golang.org/x/net/netutil"
)

// LimitListener caps the open connections the HTTP server holds at max (MAX_CONNECTIONS).
// The read timeouts (deadlines.go) bound how long one slow client keeps a connection; the
// cap bounds how many it can keep at once: beyond it a new connection waits in the kernel's
// accept queue until one closes, instead of costing this process a goroutine, buffers and a
// file descriptor each. max <= 0 returns l unchanged.
func LimitListener(l net.Listener, max int) net.Listener {
	if max <= 0 {
		return l
	}
	return netutil.LimitListener(l, max)
}
