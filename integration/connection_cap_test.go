//go:build integration

package integration

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

// With MAX_CONNECTIONS=N, N slow clients (each answered once, then sending half a request
// and nothing more) hold every slot: further clients get no answer while they hold them,
// and are served as soon as one slot frees.
func TestConnectionCapHoldsBackSlowClients(t *testing.T) {
	const capacity, extra = 3, 2
	s := testenv.New(t, testenv.Options{NoWorker: true, MaxConnections: capacity})
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}
	get := "GET /healthz HTTP/1.1\r\nHost: " + u.Host + "\r\n\r\n"
	answered := func(c net.Conn, r *bufio.Reader, within time.Duration) (bool, error) {
		_ = c.SetReadDeadline(time.Now().Add(within))
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			return false, err
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	}

	var slow []net.Conn
	for range capacity {
		c, r := dial()
		if _, err := c.Write([]byte(get)); err != nil {
			t.Fatal(err)
		}
		if ok, err := answered(c, r, 10*time.Second); !ok {
			t.Fatalf("slot client not served: %v", err)
		}
		// Half of the next request: the server waits for the rest, holding the slot.
		if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: ")); err != nil {
			t.Fatal(err)
		}
		slow = append(slow, c)
	}

	type waiting struct {
		c net.Conn
		r *bufio.Reader
	}
	var queued []waiting
	for range extra {
		c, r := dial() // the kernel completes the handshake; the server does not accept it
		if _, err := c.Write([]byte(get)); err != nil {
			t.Fatal(err)
		}
		queued = append(queued, waiting{c, r})
	}
	// Nothing may come back while every slot is held. The window only bounds how long
	// we look: a slow machine cannot make an answer appear, only the missing cap can.
	for i, q := range queued {
		ok, err := answered(q.c, q.r, 300*time.Millisecond)
		if ok || !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("client %d beyond the cap was answered (%v, %v) while %d slow clients held every slot", i, ok, err, capacity)
		}
	}

	// One slow client leaves: a waiting client is served, then the other once a second
	// slot frees; a normal request works again.
	slow[0].Close()
	if ok, err := answered(queued[0].c, queued[0].r, 10*time.Second); !ok {
		t.Fatalf("waiting client not served after a slot freed: %v", err)
	}
	queued[0].c.Close()
	if ok, err := answered(queued[1].c, queued[1].r, 10*time.Second); !ok {
		t.Fatalf("second waiting client not served: %v", err)
	}
	queued[1].c.Close()
	s.NewClient(t).Expect(http.StatusOK, "GET", "/healthz", nil)
}
