//go:build integration

package integration

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// `contest serve` answers /metrics on METRICS_ADDR only: the public listener (HTTP_ADDR,
// what the ingress forwards) answers 404, so nobody outside reads the contest's traffic.
func TestServeKeepsMetricsOffThePublicListener(t *testing.T) {
	dbURL := emptyDatabaseURL(t)
	env := []string{"DATABASE_URL=" + dbURL, "TEMPORAL_TASK_QUEUE=ma-" + fmt.Sprint(time.Now().UnixNano())}
	startContest(t, env, "migrate").waitExit(t, 30*time.Second)

	public, private := freeAddr(t), freeAddr(t)
	startContest(t, append(env, "HTTP_ADDR="+public, "METRICS_ADDR="+private), "serve")
	waitStatus(t, "http://"+public+"/readyz", http.StatusOK, 30*time.Second)
	waitStatus(t, "http://"+private+"/readyz", http.StatusOK, 10*time.Second)

	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("http://" + public + "/metrics"); status != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
		t.Errorf("public listener GET /metrics: %d %.200s, want 404 without metrics", status, body)
	}
	status, body := get("http://" + private + "/metrics")
	if status != http.StatusOK {
		t.Fatalf("METRICS_ADDR GET /metrics: %d", status)
	}
	for _, want := range []string{"http_request_duration_seconds_count{", "go_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("API metrics lack %s", want)
		}
	}
}
