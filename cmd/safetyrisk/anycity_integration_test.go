//go:build integration

package main

// Any city from one profile, and a demo that is today (issue 12, points 2 and 3): the
// whole pipeline on another city's profile, and `make demo`'s script on the built-in one,
// each served to a real Prometheus with its history backfilled, and every dashboard's
// every query run as Grafana runs it at now.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/grafana"
	"github.com/safetyrisk/safetyrisk/internal/promtest"
)

// dashboardMonths is the backfill range the dashboards need when Grafana opens them at
// now. Their instant queries read the live scrape, except 去年同期, which reads history
// a year back over 35 days (offset 1y, grafana's historyLookback); their range queries
// over five years need a point anywhere. The fifteen month ends up to the last finished
// month, in the profile's time zone, hold both with a month to spare. (The demo
// backfills from January three years ago, 46 months on 2026-11-30; TestMakeDemo runs it
// so.)
func dashboardMonths(t *testing.T, p *safetyrisk.Profile, now time.Time) (from, to string) {
	t.Helper()
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	n := now.In(loc)
	last := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	return last.AddDate(0, -14, 0).Format("2006-01"), last.Format("2006-01")
}

// waitHTTP waits until url answers, or fails the test after a while.
func waitHTTP(t *testing.T, url string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer within %s", url, within)
		}
	}
}

// startPrometheus starts a real Prometheus on an empty TSDB, scraping target every second
// (with rule files if given). It is started as soon as target serves, so that its first
// scrape is taken while the history is still being made.
func startPrometheus(t *testing.T, target string, rules ...string) *promtest.Server {
	t.Helper()
	cfg := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: safetyrisk\n    static_configs: [{targets: [%q]}]\n", target)
	if len(rules) > 0 {
		cfg += "rule_files:\n"
		for _, r := range rules {
			cfg += fmt.Sprintf("  - %q\n", r)
		}
	}
	return promtest.Run(t, cfg, filepath.Join(t.TempDir(), "tsdb"))
}

// loadHistory builds TSDB blocks from the OpenMetrics history and restarts prom on them;
// what it has scraped so far is kept.
func loadHistory(t *testing.T, prom *promtest.Server, history string) {
	t.Helper()
	blocks := filepath.Join(t.TempDir(), "blocks")
	promtest.CreateBlocks(t, history, blocks)
	prom.AddBlocks(blocks)
}

// waitScrapedMinute waits for the first scrape of safetyrisk and then for the full minute
// after it: Grafana aligns a range query's end down to its step (a minute on the pipeline
// dashboard), and a series that exists only from the first scrape has a point there only
// once that minute has passed.
func waitScrapedMinute(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		// A range selector gives the samples themselves, with the times they were scraped at.
		res, err := promtest.API(base, "/api/v1/query", url.Values{"query": {"safetyrisk_up[1h]"}})
		if err == nil && len(res) > 0 && len(res[0].Values) > 0 {
			first, ok := res[0].Values[0][0].(float64)
			if !ok {
				t.Fatalf("sample time %v", res[0].Values[0][0])
			}
			at := time.Unix(int64(first), 0)
			next := at.Truncate(time.Minute).Add(time.Minute + 2*time.Second)
			t.Logf("first scrape at %s; waiting for %s (%s)", at.UTC().Format(time.TimeOnly), next.UTC().Format(time.TimeOnly), time.Until(next).Round(time.Second))
			time.Sleep(time.Until(next))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no scrape of safetyrisk within 30s: %v", err)
		}
	}
}

var regionLabel = regexp.MustCompile(`[{,]region="([^"]*)"`)

// seriesPerRegion counts the /metrics series by their region label.
func seriesPerRegion(t *testing.T, metricsURL string) map[string]int {
	t.Helper()
	resp, err := http.Get(metricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if m := regionLabel.FindStringSubmatch(line); m != nil {
			n[m[1]]++
		}
	}
	return n
}

func TestBaotouEndToEnd(t *testing.T) {
	// In parallel with TestMakeDemo, which spends up to a minute waiting for a full
	// minute of scrapes.
	t.Parallel()
	promtest.Binary(t, "promtool")
	promtest.Binary(t, "prometheus")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	profile := filepath.Join("..", "..", "profiles", "baotou.json")
	p, err := safetyrisk.LoadProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, lake, om := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake"), filepath.Join(dir, "history.om")
	// A key file, not $SAFETYRISK_PII_KEY: a parallel test may not set the environment.
	key := filepath.Join(dir, "pii.key")
	if err := os.WriteFile(key, []byte("baotou-test-key-0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}

	// The defaults: data up to yesterday, as of today.
	t.Log(strings.TrimSpace(runCLI(t, ctx, []int{exitOK}, "generate", "--profile", profile, "--out", src, "--scale", "0.2", "--seed", "5")))
	runCLI(t, ctx, []int{exitOK}, "run", "--profile", profile, "--lake", lake, "--inbox", src, "--pii-key-file", key)

	// serve, and Prometheus scraping it while the history is made.
	target := fmt.Sprintf("127.0.0.1:%d", promtest.FreePort(t))
	served := make(chan int, 1)
	go func() {
		var out, errb bytes.Buffer
		served <- NewMain(nil, &out, &errb).Run(ctx, []string{"serve", "--profile", profile, "--lake", lake, "--listen", target, "--poll", "1s"})
	}()
	waitHTTP(t, "http://"+target+"/metrics", 20*time.Second)

	// /metrics: the nine regions of 包头市 and the city, nothing of another city.
	per := seriesPerRegion(t, "http://"+target+"/metrics")
	want := map[string]bool{p.City.Code: true}
	for _, r := range p.Regions {
		want[r.Code] = true
	}
	var codes []string
	for c := range per {
		codes = append(codes, c)
		if !want[c] {
			t.Errorf("/metrics has region %q (%d series), not of %s", c, per[c], p.City.Name)
		}
	}
	for c := range want {
		if per[c] == 0 {
			t.Errorf("/metrics has no series of %s %s", c, p.RegionName(c))
		}
	}
	sort.Strings(codes)
	for _, c := range codes {
		t.Logf("/metrics region=%s %s: %d series", c, p.RegionName(c), per[c])
	}

	prom := startPrometheus(t, target)
	from, to := dashboardMonths(t, p, time.Now())
	runCLI(t, ctx, []int{exitOK}, "backfill", "--profile", profile, "--lake", lake, "--from", from, "--to", to, "--out", om)
	loadHistory(t, prom, om)
	waitScrapedMinute(t, prom.URL)

	ds, err := grafana.Dashboards(p)
	if err != nil {
		t.Fatal(err)
	}
	boards := map[string][]byte{}
	for _, d := range ds {
		b, err := grafana.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(safetyrisk.Ordos().City.Code)) {
			t.Errorf("Baotou dashboard %s holds the built-in city's code", d.File)
		}
		boards[d.File] = b
	}
	checkBoards(t, prom.URL, boards, time.Now())
	cancel()
	if code := <-served; code != exitOK {
		t.Errorf("serve exited %d after cancel", code)
	}
}

// TestMakeDemo runs scripts/demo.sh, which `make demo` runs, at a small scale
// (SAFETYRISK_TEST_DEMO_SCALE=1 for the full demo), then a
// real Prometheus on its history and its scrape, and runs every query of the committed
// dashboards (the built-in profile's, which Grafana loads) at now.
func TestMakeDemo(t *testing.T) {
	t.Parallel() // with TestBaotouEndToEnd, while it waits for demo.sh and for a minute of scrapes
	promtest.Binary(t, "promtool")
	promtest.Binary(t, "prometheus")
	dir := t.TempDir()
	bin := filepath.Join(dir, "safetyrisk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	demo := filepath.Join(dir, "demo")
	listen := fmt.Sprintf("127.0.0.1:%d", promtest.FreePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, filepath.Join("..", "..", "scripts", "demo.sh"), bin, demo, "20220927", listen)
	scale := "0.2" // small enough to keep the test short, large enough that every region has every story's data
	if s := os.Getenv("SAFETYRISK_TEST_DEMO_SCALE"); s != "" {
		scale = s // 1 for the demo as `make demo` makes it
	}
	cmd.Env = append(os.Environ(), "SCALE="+scale, "PROFILE=", "ASOF=")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	// Its own process group, so that stopping it stops the step it is in as well.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	// And killed with the test binary, where no cleanup runs (a timeout, an interrupt):
	// demo.sh ends by exec'ing serve, which would otherwise serve on, in a group of its own.
	promtest.DieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cancel()
		<-exited
		if t.Failed() {
			t.Logf("demo.sh output:\n%s", log.String())
		}
	})
	// demo.sh ends by serving the metrics; until then it generates, runs and backfills.
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		if resp, err := http.Get("http://" + listen + "/metrics"); err == nil {
			resp.Body.Close()
			break
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("demo.sh exited before serving: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("demo.sh did not serve within 10 minutes")
		}
	}
	per := seriesPerRegion(t, "http://"+listen+"/metrics")
	p := safetyrisk.Ordos()
	for _, c := range append([]string{p.City.Code}, regionCodes(p)...) {
		if per[c] == 0 {
			t.Errorf("/metrics has no series of %s %s", c, p.RegionName(c))
		}
		t.Logf("/metrics region=%s %s: %d series", c, p.RegionName(c), per[c])
	}
	if len(per) != len(p.Regions)+1 {
		t.Errorf("/metrics has %d region codes, want %d", len(per), len(p.Regions)+1)
	}
	rules, _ := filepath.Glob(filepath.Join(demo, "prometheus", "rules", "*.rules.yml"))
	if len(rules) == 0 {
		t.Fatal("demo.sh wrote no rules")
	}
	prom := startPrometheus(t, listen, rules...)
	loadHistory(t, prom, filepath.Join(demo, "history.om"))
	waitScrapedMinute(t, prom.URL)

	files, _ := filepath.Glob(filepath.Join("..", "..", "grafana", "dashboards", "*.json"))
	boards := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// what the demo wrote for its profile is what is committed
		if d, err := os.ReadFile(filepath.Join(demo, "dashboards", filepath.Base(f))); err != nil || !bytes.Equal(b, d) {
			t.Errorf("%s: the demo's copy differs from the committed one (%v)", filepath.Base(f), err)
		}
		boards[filepath.Base(f)] = b
	}
	checkBoards(t, prom.URL, boards, time.Now())
}

func regionCodes(p *safetyrisk.Profile) []string {
	var out []string
	for _, r := range p.Regions {
		out = append(out, r.Code)
	}
	return out
}
