//go:build integration

package exporter_test

// Integration tests against a real Prometheus and promtool (Debian package prometheus;
// scripts/ensure-prometheus.sh installs it where it can). Each test starts its own
// Prometheus on a free loopback port with its own temporary data directory, and stops it
// and removes the directory when it ends. Run: go test -tags integration ./exporter/

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/internal/promtest"
	"github.com/safetyrisk/safetyrisk/lake"
)

func lookBinary(t *testing.T, name string) string { return promtest.Binary(t, name) }

func freePort(t *testing.T) int { return promtest.FreePort(t) }

func startPrometheus(t *testing.T, config, dataDir string) string {
	return promtest.Start(t, config, dataDir)
}

// api calls Prometheus's HTTP API and returns data.result.
func api(t *testing.T, base, path string, params url.Values) []promtest.Result {
	t.Helper()
	res, err := promtest.API(base, path, params)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func sampleValue(t *testing.T, v any) float64 {
	t.Helper()
	f, err := promtest.Float(v)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// selector is the PromQL selector of a snapshot value.
func selector(v safetyrisk.IndicatorValue) string {
	in, _ := safetyrisk.IndicatorByID(v.Indicator)
	s := fmt.Sprintf(`%s{region=%q,sector=%q,window=%q`, in.Metric, v.Region, v.Sector, v.Window)
	if in.Dim != "" {
		s += fmt.Sprintf(`,%s=%q`, in.Dim, v.DimValue)
	}
	return s + "}"
}

// TestPrometheusScrapes: a real Prometheus scrapes serve; /api/v1/query returns the
// snapshot's values for named series; a newer snapshot changes a value and removes a
// series, and Prometheus sees both.
func TestPrometheusScrapes(t *testing.T) {
	lookBinary(t, "prometheus")
	lakeDir := fixtureLake(t)
	e, err := exporter.New(exporter.Config{Lake: lakeDir, Profile: testProfile(t), Poll: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveInBackground(t, e, exporter.ServeConfig{})
	base := startPrometheus(t, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: safetyrisk
    static_configs:
      - targets: [%q]
`, addr), t.TempDir())

	snap, err := lake.LatestSnapshot(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{"accidents": true, "deaths": true, "direct_loss": true, "late_report_ratio": true,
		"rectification_ratio": true, "risk_index": true, "hazards_found": true}
	want := map[string]float64{}
	for _, v := range snap.Values[:11] { // the servable part of the fixture
		if named[v.Indicator] {
			want[selector(v)] = v.Value
		}
	}
	if len(want) < 5 {
		t.Fatalf("only %d named series in the fixture", len(want))
	}
	waitFor(t, base, want, nil, 20*time.Second)
	t.Logf("Prometheus returned the snapshot's values for %d series", len(want))

	// A newer snapshot: deaths of the city this year 4 -> 6, the risk index of the second region gone.
	var values []safetyrisk.IndicatorValue
	gone := ""
	for _, v := range snap.Values[:11] {
		switch {
		case v.Indicator == "risk_index":
			gone = selector(v)
			continue
		case v.Indicator == "deaths" && v.Region == fixtureCity && v.Window == "ytd":
			v.Value = 6
		}
		values = append(values, v)
	}
	writeSnapshot(t, lakeDir, "20241202T020000.000000Z", values)
	deaths := selector(safetyrisk.IndicatorValue{Indicator: "deaths", Region: fixtureCity, Sector: "all", Window: "ytd"})
	waitFor(t, base, map[string]float64{deaths: 6, `safetyrisk_snapshot_info{run_id="20241202T020000.000000Z"}`: 1}, []string{gone}, 20*time.Second)
}

// waitFor polls /api/v1/query until every selector of want has its value and every
// selector of absent returns nothing, or fails after timeout.
func waitFor(t *testing.T, base string, want map[string]float64, absent []string, timeout time.Duration) {
	t.Helper()
	var last []string
	for deadline := time.Now().Add(timeout); ; time.Sleep(500 * time.Millisecond) {
		last = last[:0]
		for sel, w := range want {
			res := api(t, base, "/api/v1/query", url.Values{"query": {sel}})
			if len(res) != 1 {
				last = append(last, fmt.Sprintf("%s: %d results", sel, len(res)))
			} else if got := sampleValue(t, res[0].Value[1]); got != w {
				last = append(last, fmt.Sprintf("%s = %v, want %v", sel, got, w))
			}
		}
		for _, sel := range absent {
			if res := api(t, base, "/api/v1/query", url.Values{"query": {sel}}); len(res) != 0 {
				last = append(last, fmt.Sprintf("%s still present", sel))
			}
		}
		if len(last) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s:\n%s", timeout, strings.Join(last, "\n"))
		}
	}
}

// TestBackfillIntoPrometheus: backfill three month ends, build blocks with promtool,
// start Prometheus on them, and read the month-end values back with query_range.
func TestBackfillIntoPrometheus(t *testing.T) {
	promtool := lookBinary(t, "promtool")
	lookBinary(t, "prometheus")
	p := testProfile(t)
	months := exporter.MonthEnds(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC))

	// Month-end snapshots in a lake, as the indicators would have written them.
	lakeDir := t.TempDir()
	for i, m := range months {
		var values []safetyrisk.IndicatorValue
		for _, v := range fixtureValues(m)[:11] {
			v.Value *= float64(i + 1)
			values = append(values, v)
		}
		writeSnapshot(t, lakeDir, lake.NewRunID(m.Add(26*time.Hour)), values)
	}
	source := exporter.LakeSnapshots(lakeDir)

	dir := t.TempDir()
	omFile := filepath.Join(dir, "history.om")
	f, err := os.Create(omFile)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := exporter.Backfill(context.Background(), f, exporter.BackfillConfig{Profile: p, From: months[0], To: months[2], Source: source})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "data")
	out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", omFile, dataDir).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool tsdb create-blocks-from openmetrics: %v\n%s", err, out)
	}
	t.Logf("backfill: %+v; promtool: %s", stats, strings.TrimSpace(string(out)))

	base := startPrometheus(t, "global:\n  scrape_interval: 1m\n", dataDir)
	loc, _ := time.LoadLocation(p.Timezone)
	start, end := exporter.SampleTime(months[0], loc), exporter.SampleTime(months[2], loc)
	for _, c := range []struct {
		sel  string
		base float64
	}{
		{`safetyrisk_risk_index{region="` + fixtureRegion2 + `",sector="all",window="12m"}`, 42.5},
		{`safetyrisk_accidents{region="` + fixtureRegion1 + `",sector="all",window="12m",grade="large"}`, 2},
	} {
		res := api(t, base, "/api/v1/query_range", url.Values{"query": {c.sel},
			"start": {strconv.FormatInt(start.Unix(), 10)}, "end": {strconv.FormatInt(end.Unix(), 10)}, "step": {"86400"}})
		if len(res) != 1 {
			t.Fatalf("%s: %d series, want 1", c.sel, len(res))
		}
		if len(res[0].Values) != len(months) {
			t.Fatalf("%s: %d points %v, want one per month end", c.sel, len(res[0].Values), res[0].Values)
		}
		for i, pt := range res[0].Values {
			ts := int64(pt[0].(float64))
			if want := exporter.SampleTime(months[i], loc).Unix(); ts != want {
				t.Errorf("%s point %d at %d, want %d (%s)", c.sel, i, ts, want, months[i].Format(time.DateOnly))
			}
			if got, want := sampleValue(t, pt[1]), c.base*float64(i+1); got != want {
				t.Errorf("%s as of %s = %v, want %v", c.sel, months[i].Format(time.DateOnly), got, want)
			}
		}
	}
}
