//go:build integration

package grafana

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/internal/promtest"
)

// demoStack runs the real safetyrisk binary the way `make demo` does, on a small
// generated data set as of 2024-12-31, backfills two years of month-end history into
// Prometheus blocks, serves the metrics and starts a real Prometheus scraping them. It
// returns Prometheus's URL and, as Unix seconds, the last backfilled month end: the
// instant at which "offset 1y" panels and history are queried when the live value is
// empty. Everything stops when the test ends. Prometheus starts scraping as soon as
// serve answers, while the history is made, and is restarted on its blocks.
func demoStack(t *testing.T) (base, at string) {
	t.Helper()
	promtest.Binary(t, "promtool")
	promtest.Binary(t, "prometheus")
	dir := t.TempDir()
	bin := filepath.Join(dir, "safetyrisk")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/safetyrisk").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src, lake, om, blocks := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake"), filepath.Join(dir, "history.om"), filepath.Join(dir, "blocks")
	env := append(os.Environ(), "SAFETYRISK_PII_KEY=grafana-integration-test-key")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("safetyrisk %v: %v\n%s", args, err, out)
		}
	}
	run("generate", "--out", src, "--scale", "0.2", "--seed", "11", "--from", "2022-01-01", "--to", "2024-12-31")
	run("run", "--lake", lake, "--inbox", src, "--as-of", "2024-12-31")

	target := fmt.Sprintf("127.0.0.1:%d", promtest.FreePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, bin, "serve", "--lake", lake, "--listen", target)
	serve.Env = env
	promtest.DieWithTest(serve)
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = serve.Wait()
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + target + "/metrics"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("safetyrisk serve did not answer within 20s")
		}
	}
	prom := promtest.Run(t, fmt.Sprintf(`global: {scrape_interval: 1s}
scrape_configs:
  - job_name: safetyrisk
    static_configs: [{targets: [%q]}]
`, target), filepath.Join(dir, "tsdb"))

	run("backfill", "--lake", lake, "--from", "2023-01", "--to", "2024-12", "--out", om)
	promtest.CreateBlocks(t, om, blocks)
	prom.AddBlocks(blocks)
	// Wait for the first scrape (taken before the restart, as a rule).
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		res, err := promtest.API(prom.URL, "/api/v1/query", map[string][]string{"query": {"safetyrisk_up"}})
		if err == nil && len(res) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scrape of safetyrisk within 20s: %v", err)
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	last := exporter.SampleTime(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), loc)
	return prom.URL, strconv.FormatInt(last.Unix(), 10)
}
