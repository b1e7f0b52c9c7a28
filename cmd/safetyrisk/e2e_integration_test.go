//go:build integration

package main

// The whole pipeline as a user runs it, against a real Prometheus: generate -> run
// (ingest, transform, indicators) -> serve, scraped by Prometheus; backfill -> promtool
// blocks -> Prometheus history. What Prometheus answers must be what `safetyrisk
// indicators --format json` prints for the same lake (issue 6, points 2 and 3).

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/internal/promtest"
)

func promSelector(k seriesKey) string {
	in, ok := safetyrisk.IndicatorByID(k.indicator)
	if !ok {
		panic("unknown indicator " + k.indicator)
	}
	s := fmt.Sprintf(`%s{region=%q,sector=%q,window=%q`, in.Metric, k.region, k.sector, k.window)
	if in.Dim != "" {
		s += fmt.Sprintf(`,%s=%q`, in.Dim, k.dim)
	}
	return s + "}"
}

func TestEndToEndPrometheus(t *testing.T) {
	promtest.Binary(t, "promtool")
	promtest.Binary(t, "prometheus")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	// generate --scale 0.05 --seed 7 for 2022 to 2024, then run as of 2024-12-31
	_, lake := lakeSeed7(t)

	// History: three month ends, as OpenMetrics, into TSDB blocks.
	om, data := filepath.Join(dir, "history.om"), filepath.Join(dir, "prometheus-data")
	runCLI(t, ctx, []int{exitOK}, "backfill", "--lake", lake, "--from", "2024-09", "--to", "2024-11", "--out", om)
	promtest.CreateBlocks(t, om, data)

	// serve, then a real Prometheus scraping it every second.
	port := promtest.FreePort(t)
	target := fmt.Sprintf("127.0.0.1:%d", port)
	served := make(chan int, 1)
	go func() {
		var out, errb bytes.Buffer
		served <- NewMain(nil, &out, &errb).Run(ctx, []string{"serve", "--lake", lake, "--listen", target, "--poll", "1s"})
	}()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get("http://" + target + "/metrics"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("serve did not answer within 20s")
		}
	}
	base := promtest.Start(t, fmt.Sprintf(`global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: safetyrisk
    static_configs: [{targets: [%q]}]
`, target), data)

	// What indicators prints, now and at the backfilled month ends, while Prometheus
	// takes its first scrape (about 5 s after it starts).
	now := indicatorsJSON(t, ctx, lake, "2024-12-31")
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	monthEnds := []string{"2024-09-30", "2024-10-31", "2024-11-30"}
	var stamps []time.Time
	var atMonthEnds []map[seriesKey]float64
	for _, d := range monthEnds {
		asOf, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, exporter.SampleTime(asOf, loc))
		atMonthEnds = append(atMonthEnds, indicatorsJSON(t, ctx, lake, d))
	}

	// Point 2: at least five named series have the values indicators printed.
	p := safetyrisk.Ordos()
	city := p.City.Code
	named := []seriesKey{
		{"accidents", city, "all", "ytd", "general"},
		{"deaths", city, "all", "12m", ""},
		{"hazards_found", city, "all", "ytd", "major"},
		{"inspections", p.Regions[6].Code, "all", "ytd", "routine"},
		{"late_report_ratio", city, "all", "12m", ""},
		{"risk_index", p.Regions[3].Code, "all", "ytd", ""},
		{"assessment_grade", p.Regions[3].Code, "all", "ytd", ""},
	}
	for _, k := range named {
		want, ok := now[k]
		if !ok {
			t.Fatalf("indicators printed no value for %+v", k)
		}
		var got float64
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(500 * time.Millisecond) {
			res, err := promtest.API(base, "/api/v1/query", url.Values{"query": {promSelector(k)}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) == 1 {
				if got, err = promtest.Float(res[0].Value[1]); err != nil {
					t.Fatal(err)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d series after 20s, want 1", promSelector(k), len(res))
			}
		}
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v in Prometheus, indicators printed %v", promSelector(k), got, want)
		} else {
			t.Logf("%s = %v (as printed by indicators)", promSelector(k), got)
		}
	}

	// Point 3: query_range over the backfilled months gives, at each month end, what
	// `indicators --as-of` gives for that month end.
	want := map[seriesKey][]float64{}
	probe := []seriesKey{
		{"hazards_found", city, "all", "ytd", "general"},
		{"inspections", city, "all", "12m", "routine"},
		{"risk_index", city, "all", "12m", ""},
	}
	for i, d := range monthEnds {
		for _, k := range probe {
			v, ok := atMonthEnds[i][k]
			if !ok {
				t.Fatalf("indicators --as-of %s printed no %+v", d, k)
			}
			want[k] = append(want[k], v)
		}
	}
	for _, k := range probe {
		res, err := promtest.API(base, "/api/v1/query_range", url.Values{
			"query": {promSelector(k)},
			"start": {strconv.FormatInt(stamps[0].Unix(), 10)},
			"end":   {strconv.FormatInt(stamps[len(stamps)-1].Unix(), 10)},
			"step":  {"3600"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 {
			t.Fatalf("%s: %d series in query_range, want 1", promSelector(k), len(res))
		}
		got := map[int64]float64{}
		for _, p := range res[0].Values {
			v, err := promtest.Float(p[1])
			if err != nil {
				t.Fatal(err)
			}
			got[int64(p[0].(float64))] = v
		}
		for i, ts := range stamps {
			g, ok := got[ts.Unix()]
			if !ok {
				keys := make([]int64, 0, len(got))
				for k := range got {
					keys = append(keys, k)
				}
				sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
				t.Fatalf("%s: no sample at %s (%d); have %d points", promSelector(k), monthEnds[i], ts.Unix(), len(keys))
			}
			if math.Abs(g-want[k][i]) > 1e-9*math.Max(1, math.Abs(want[k][i])) {
				t.Errorf("%s at %s = %v in Prometheus, indicators --as-of printed %v", promSelector(k), monthEnds[i], g, want[k][i])
			}
		}
		t.Logf("%s month ends %v = %v", promSelector(k), monthEnds, want[k])
	}
	cancel()
	if code := <-served; code != exitOK {
		t.Errorf("serve exited %d after cancel", code)
	}
}
