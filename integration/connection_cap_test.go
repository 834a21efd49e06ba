//go:build integration

package integration

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/hpcontest/contest/internal/testenv"
)

// With MAX_CONNECTIONS=N, N slow clients (each sending half a request and nothing more)
// hold every slot: further clients get no answer while they hold them, and are served as
// soon as one slot frees. A connection in the middle of a request is never closed to make
// room, however slow.
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

	// The kernel accepts in order: these take the slots, and none of them is ever idle.
	var slow []net.Conn
	for range capacity {
		c, _ := dial()
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

// Kept-alive connections do not hold new clients back: near the cap every response ends
// its connection ("Connection: close"), so clients that keep their connection open between
// requests, as phones do, take turns instead of the later ones waiting for an idle timeout.
func TestConnectionCapLetsKeptAliveClientsTakeTurns(t *testing.T) {
	const capacity = 3
	s := testenv.New(t, testenv.Options{NoWorker: true, MaxConnections: capacity})
	// Each client keeps its own connection alive between requests, as a phone does.
	clients := make([]*http.Client, capacity+2)
	for i := range clients {
		clients[i] = &http.Client{Transport: &http.Transport{}, Timeout: 20 * time.Second}
		t.Cleanup(clients[i].CloseIdleConnections)
	}
	get := func(round, i int) {
		t.Helper()
		resp, err := clients[i].Get(s.URL + "/healthz")
		if err != nil {
			t.Fatalf("round %d, client %d of %d with a cap of %d: %v", round, i+1, len(clients), capacity, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body) // read to the end, so the connection stays open
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("round %d, client %d: status %d", round, i+1, resp.StatusCode)
		}
	}
	// More clients than the cap, twice over, each reusing its connection when it may.
	for round := 1; round <= 2; round++ {
		for i := range clients {
			get(round, i)
		}
	}
}
