//go:build faults

package faults

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// apiHost is where one API replica runs as if on a machine of its own: a network
// namespace joined to the test's by a veth pair, so that the API has its own address and
// reaches PostgreSQL, Redis and Temporal only across that link. The services listen on
// the loopback of the test's namespace, which another namespace cannot reach; the test
// forwards each one from the host side of the link (gateway), as the network between
// hosts would carry it. Without iproute2 or root the replica runs on a loopback address
// of its own instead (127.0.0.2, 127.0.0.3), reaching the services directly.
type apiHost struct {
	ns      string   // network namespace; "" on the loopback fallback
	addr    string   // the API's own address, where clients reach it
	gateway string   // the test's end of the link, where the API reaches the services
	prefix  []string // the command that runs a process inside ns
}

// netnsPrefix names this test process's namespaces, so that a later run can tell a
// namespace left behind by a run that died (its pid gone) from one of a run in progress.
const netnsPrefix = "contest-faults-"

// newAPIHost makes host i (0, 1, …) and removes it when the test ends.
func newAPIHost(t *testing.T, i int) *apiHost {
	t.Helper()
	h, err := newNetnsHost(t, i)
	if err == nil {
		return h
	}
	addr := fmt.Sprintf("127.0.0.%d", 2+i)
	t.Logf("api-%d: no network namespace (%v); falling back to the loopback address %s", i, err, addr)
	return &apiHost{addr: addr, gateway: "127.0.0.1"}
}

func newNetnsHost(t *testing.T, i int) (*apiHost, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("not root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, errors.New("no ip command (iproute2)")
	}
	removeStaleNetns(t)
	pid := os.Getpid()
	ns := fmt.Sprintf("%s%d-%d", netnsPrefix, pid, i)
	// Interface names are at most 15 bytes; the pid keeps concurrent runs apart.
	hostIf, nsIf := fmt.Sprintf("cf%dh%d", pid, i), fmt.Sprintf("cf%dn%d", pid, i)
	// A /30 per host in 10.231.0.0/16, placed by the pid so that two runs rarely meet.
	gateway, addr, err := freeSubnet(pid, i)
	if err != nil {
		return nil, err
	}
	steps := [][]string{
		{"netns", "add", ns},
		{"link", "add", hostIf, "type", "veth", "peer", "name", nsIf},
		{"link", "set", nsIf, "netns", ns},
		{"addr", "add", gateway + "/30", "dev", hostIf},
		{"link", "set", hostIf, "up"},
		{"-n", ns, "addr", "add", addr + "/30", "dev", nsIf},
		{"-n", ns, "link", "set", nsIf, "up"},
		{"-n", ns, "link", "set", "lo", "up"},
	}
	teardown := func() {
		// Deleting the namespace deletes its end of the pair, and with it the other end;
		// the explicit delete covers a failure between the two first steps.
		_ = exec.Command("ip", "netns", "del", ns).Run()
		_ = exec.Command("ip", "link", "del", hostIf).Run()
	}
	for _, args := range steps {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			teardown()
			return nil, fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
	}
	t.Cleanup(func() {
		teardown()
		if netnsExists(ns) {
			t.Errorf("network namespace %s still there after teardown", ns)
		}
	})
	t.Logf("api-%d: network namespace %s, address %s, services forwarded from %s", i, ns, addr, gateway)
	return &apiHost{ns: ns, addr: addr, gateway: gateway, prefix: []string{"ip", "netns", "exec", ns}}, nil
}

// freeSubnet picks the first 10.231.x.y/30 from the pid's place on that no interface
// uses, and returns its two addresses: the gateway (.y+1) and the API's (.y+2).
func freeSubnet(pid, i int) (gateway, addr string, err error) {
	out, err := exec.Command("ip", "-4", "-o", "addr", "show").Output()
	if err != nil {
		return "", "", fmt.Errorf("ip addr show: %w", err)
	}
	for k := range 256 {
		n := (pid*2 + i + k*2) % (256 * 64) // 64 /30s per third octet
		base := n % 64 * 4
		gateway = fmt.Sprintf("10.231.%d.%d", n/64, base+1)
		if !strings.Contains(string(out), " "+gateway+"/") {
			return gateway, fmt.Sprintf("10.231.%d.%d", n/64, base+2), nil
		}
	}
	return "", "", errors.New("no free /30 in 10.231.0.0/16")
}

func netnsExists(ns string) bool {
	out, _ := exec.Command("ip", "netns", "list").Output()
	for _, line := range strings.Split(string(out), "\n") {
		if name, _, _ := strings.Cut(strings.TrimSpace(line), " "); name == ns {
			return true
		}
	}
	return false
}

// removeStaleNetns deletes namespaces of earlier runs whose process is gone.
func removeStaleNetns(t *testing.T) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		rest, ok := strings.CutPrefix(name, netnsPrefix)
		if !ok {
			continue
		}
		pidStr, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		_ = exec.Command("ip", "netns", "del", name).Run()
		t.Logf("removed network namespace %s left by an earlier run (pid %d gone)", name, pid)
	}
}

// reach returns the address at which a process on h reaches the service at target
// (host:port on the test's loopback): a forwarder on the gateway in a namespace, target
// itself on the loopback fallback.
func (h *apiHost) reach(t *testing.T, target string) string {
	t.Helper()
	if h.ns == "" {
		return target
	}
	l, err := net.Listen("tcp", net.JoinHostPort(h.gateway, "0"))
	if err != nil {
		t.Fatalf("forwarder on %s: %v", h.gateway, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	track := func(c net.Conn, on bool) {
		mu.Lock()
		defer mu.Unlock()
		if on {
			conns[c] = true
		} else {
			delete(conns, c)
		}
	}
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := net.Dial("tcp", target)
				if err != nil {
					in.Close()
					return
				}
				track(in, true)
				track(out, true)
				pipe(in, out)
				track(in, false)
				track(out, false)
			}()
		}
	}()
	return l.Addr().String()
}

// pipe copies both ways until either side ends, then closes both, so that a killed API's
// connections end at the service too, as its host's TCP stack going away would end them.
func pipe(a, b net.Conn) {
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) { _, _ = io.Copy(dst, src); done <- struct{}{} }
	go cp(a, b)
	go cp(b, a)
	<-done
	a.Close()
	b.Close()
	<-done
}

// serviceEnv is the environment with which a process on h reaches the stack's services.
func (h *apiHost) serviceEnv(t *testing.T, databaseURL, redisAddr, temporalAddr string) []string {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil || u.Host == "" {
		t.Fatalf("DATABASE_URL %q is not a URL with a host", databaseURL)
	}
	u.Host = h.reach(t, u.Host)
	return []string{
		"DATABASE_URL=" + u.String(),
		"REDIS_ADDR=" + h.reach(t, redisAddr),
		"TEMPORAL_ADDRESS=" + h.reach(t, temporalAddr),
	}
}
