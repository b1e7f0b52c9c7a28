package exporter_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/internal/golden"
	"github.com/safetyrisk/safetyrisk/lake"
)

// TestScrapeGolden: the scrape of the fixture lake, compared with testdata/scrape.golden
// and linted by promtool check metrics, which must print nothing.
func TestScrapeGolden(t *testing.T) {
	lakeDir := fixtureLake(t)
	e := newExporter(t, lakeDir, testProfile(t))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, e.Handler())
	golden.Check(t, filepath.Join("testdata", "scrape.golden"), []byte(body))

	mfs := families(t, body)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"safetyrisk_accidents", map[string]string{"region": fixtureRegion1, "region_name": "东胜区", "sector": "all", "sector_name": "全部行业", "window": "12m", "grade": "large"}, 2},
		{"safetyrisk_deaths", map[string]string{"region": fixtureCity, "region_name": testProfile(t).City.Name, "window": "ytd"}, 4}, // the duplicate 99 is dropped
		{"safetyrisk_late_report_ratio", map[string]string{"sector": "coal_mine", "sector_name": "煤矿", "window": "12m"}, 0.25},
		{"safetyrisk_snapshot_skipped_values", map[string]string{"reason": "duplicate"}, 1},
		{"safetyrisk_snapshot_skipped_values", map[string]string{"reason": "dim_value"}, 2},
		{"safetyrisk_snapshot_series", nil, 11},
		{"safetyrisk_up", nil, 1},
		{"safetyrisk_snapshot_age_seconds", nil, 3600},
		{"safetyrisk_pipeline_last_run_success", nil, 1},
		{"safetyrisk_pipeline_stage_duration_seconds", map[string]string{"stage": "transform"}, 35},
		{"safetyrisk_pipeline_rows_read", map[string]string{"table": "accidents"}, 130},
		{"safetyrisk_pipeline_rows_quarantined", map[string]string{"table": "accidents"}, 3},
		{"safetyrisk_data_quality_checks", map[string]string{"status": "fail"}, 1},
		{"safetyrisk_data_quality_check_failures", map[string]string{"table": "hazards", "check": "rectified_before_found"}, 5},
	} {
		got, ok := value(mfs, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if _, ok := mfs["safetyrisk_veto"]; ok {
		t.Error("a family without values in the snapshot is on /metrics")
	}
	if strings.Contains(body, "no_such_table") {
		t.Error("a manifest table outside the table list reached a label")
	}

	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus): lint of the golden scrape skipped")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestFailedRunKeepsServing: a failed run and a corrupt newer snapshot leave the
// previous values served, with the failure in the health metrics; a series removed by a
// newer good snapshot leaves /metrics.
func TestFailedRunKeepsServing(t *testing.T) {
	ctx := context.Background()
	lakeDir := fixtureLake(t)
	e := newExporter(t, lakeDir, testProfile(t))
	if err := e.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	riskIndex := map[string]string{"region": fixtureRegion2, "window": "12m"}
	if v, ok := value(families(t, scrape(t, e.Handler())), "safetyrisk_risk_index", riskIndex); !ok || v != 42.5 {
		t.Fatalf("risk index before the failure = %v, %v", v, ok)
	}

	// The run fails: it records so, and leaves a newer snapshot that cannot be read.
	if err := lake.WriteRunStatus(lakeDir, lake.RunStatus{
		Start: time.Date(2024, 12, 2, 2, 0, 0, 0, time.UTC), End: time.Date(2024, 12, 2, 2, 0, 5, 0, time.UTC),
		Success: false, Error: "ingest: inbox/accidents.csv: truncated",
	}); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(lake.SnapshotDir(lakeDir), "snapshot=20241202T020000.000000Z")
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "indicators.parquet"), []byte("PAR1 torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Refresh(ctx); err == nil {
		t.Fatal("Refresh of a corrupt snapshot returned no error")
	}
	mfs := families(t, scrape(t, e.Handler()))
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"safetyrisk_risk_index", riskIndex, 42.5}, // still the previous snapshot's
		{"safetyrisk_up", nil, 0},
		{"safetyrisk_exporter_snapshot_load_errors_total", nil, 1},
		{"safetyrisk_pipeline_last_run_success", nil, 0},
		{"safetyrisk_pipeline_last_run_start_timestamp_seconds", nil, float64(time.Date(2024, 12, 2, 2, 0, 0, 0, time.UTC).Unix())},
		{"safetyrisk_pipeline_last_success_timestamp_seconds", nil, float64(time.Date(2024, 12, 1, 2, 1, 30, 0, time.UTC).Unix())},
		{"safetyrisk_snapshot_info", map[string]string{"run_id": "20241201T020000.000000Z"}, 1},
	} {
		if got, ok := value(mfs, c.name, c.labels); !ok || got != c.want {
			t.Errorf("after the failure: %s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}

	// The next run succeeds without the risk index of the second region and with a new death count.
	if err := os.RemoveAll(bad); err != nil {
		t.Fatal(err)
	}
	var values []safetyrisk.IndicatorValue
	for _, v := range fixtureValues(asOf) {
		if v.Indicator == "risk_index" {
			continue
		}
		if v.Indicator == "deaths" && v.Region == fixtureCity && v.Window == "ytd" && v.Value == 4 {
			v.Value = 5
		}
		values = append(values, v)
	}
	writeSnapshot(t, lakeDir, "20241203T020000.000000Z", values)
	if err := e.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	body := scrape(t, e.Handler())
	mfs = families(t, body)
	if strings.Contains(body, "safetyrisk_risk_index{") {
		t.Error("a series removed from the data is still on /metrics")
	}
	if v, ok := value(mfs, "safetyrisk_deaths", map[string]string{"region": fixtureCity, "window": "ytd"}); !ok || v != 5 {
		t.Errorf("deaths after the new snapshot = %v, %v; want 5", v, ok)
	}
	if v, _ := value(mfs, "safetyrisk_up", nil); v != 1 {
		t.Errorf("safetyrisk_up = %v after a good snapshot, want 1", v)
	}
	if v, _ := value(mfs, "safetyrisk_exporter_snapshot_loads_total", nil); v != 2 {
		t.Errorf("snapshot loads = %v, want 2", v)
	}
}

// TestNoSnapshot: an empty lake serves the health metrics with safetyrisk_up 0.
func TestNoSnapshot(t *testing.T) {
	e := newExporter(t, t.TempDir(), testProfile(t))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	mfs := families(t, scrape(t, e.Handler()))
	if v, ok := value(mfs, "safetyrisk_up", nil); !ok || v != 0 {
		t.Errorf("safetyrisk_up = %v, %v; want 0", v, ok)
	}
	if _, ok := mfs["safetyrisk_snapshot_info"]; ok {
		t.Error("snapshot info without a snapshot")
	}
}

// TestBadHealthFiles: broken health files are counted per file, and the snapshot is
// still served.
func TestBadHealthFiles(t *testing.T) {
	lakeDir := t.TempDir()
	if err := os.CopyFS(lakeDir, os.DirFS("testdata/lake-bad")); err != nil {
		t.Fatal(err)
	}
	writeSnapshot(t, lakeDir, "20241201T020000.000000Z", fixtureValues(asOf))
	e := newExporter(t, lakeDir, testProfile(t))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	mfs := families(t, scrape(t, e.Handler()))
	for _, file := range []string{"run_status", "manifest", "checks"} {
		if v, ok := value(mfs, "safetyrisk_exporter_read_errors_total", map[string]string{"file": file}); !ok || v < 1 {
			t.Errorf("read errors of %s = %v, %v; want >= 1", file, v, ok)
		}
	}
	if v, _ := value(mfs, "safetyrisk_up", nil); v != 1 {
		t.Errorf("safetyrisk_up = %v with broken health files, want 1 (the snapshot is fine)", v)
	}
	for _, name := range []string{"safetyrisk_pipeline_last_run_success", "safetyrisk_pipeline_rows_read", "safetyrisk_data_quality_checks"} {
		if _, ok := mfs[name]; ok {
			t.Errorf("%s served from a broken file", name)
		}
	}
}

func TestRunStatusRoundTrip(t *testing.T) {
	lakeDir := t.TempDir()
	if _, err := lake.ReadRunStatus(lakeDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadRunStatus of an empty lake: %v, want ErrNotExist", err)
	}
	if err := lake.WriteRunStatus(lakeDir, lake.RunStatus{}); err == nil {
		t.Error("a status without a start was written")
	}
	ok := lake.RunStatus{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 1, 1, 0, 1, 0, 0, time.UTC), Success: true,
		Stages: []lake.StageTiming{{Name: "ingest", Seconds: 1.5}}}
	failed := lake.RunStatus{Start: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 1, 2, 0, 0, 1, 0, time.UTC), Error: "boom"}
	for _, st := range []lake.RunStatus{ok, failed} {
		if err := lake.WriteRunStatus(lakeDir, st); err != nil {
			t.Fatal(err)
		}
	}
	last, err := lake.ReadRunStatus(lakeDir)
	if err != nil || !last.Start.Equal(failed.Start) || last.Success || last.Error != "boom" {
		t.Errorf("last run = %+v, %v; want the failed one", last, err)
	}
	succ, err := lake.ReadLastSuccess(lakeDir)
	if err != nil || !succ.End.Equal(ok.End) || len(succ.Stages) != 1 || succ.Stages[0].Seconds != 1.5 {
		t.Errorf("last success = %+v, %v; want the first run", succ, err)
	}
	entries, _ := os.ReadDir(lake.StatusDir(lakeDir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestReadChecks(t *testing.T) {
	lakeDir := t.TempDir()
	if _, err := lake.ReadChecks(lakeDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent checks: %v, want ErrNotExist", err)
	}
	writeChecks(t, lakeDir, fixtureChecks())
	checks, err := lake.ReadChecks(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks.Results) != 5 {
		t.Fatalf("%d checks, want 5", len(checks.Results))
	}
	want := lake.Check{Table: "hazards", Check: "rectified_before_found", Column: "rectified_on", Status: "fail", Failures: 5, Detail: "detail of rectified_before_found"}
	if checks.Results[2] != want {
		t.Errorf("checks[2] = %+v, want %+v", checks.Results[2], want)
	}
	if c := checks.Results[4]; c.Column != "" || c.Failures != 0 || c.Status != "pass" {
		t.Errorf("null cells read as %+v", c)
	}
	// A file without the status column is refused with its name.
	type noStatus struct {
		Table string `parquet:"table"`
		Check string `parquet:"check"`
	}
	writeParquet(t, lake.ChecksPath(lakeDir), []noStatus{{"a", "b"}})
	if _, err := lake.ReadChecks(lakeDir); err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("checks without status: %v", err)
	}
}

func TestSeriesBound(t *testing.T) {
	// Both counts are checked below against what a real exporter serves, not against a
	// figure typed here: a new catalogue entry changes them and no test by hand.
	p := testProfile(t)
	lakeDir := t.TempDir()
	// Every combination the allow-lists admit, plus values outside them.
	all := fullSnapshot(p, asOf, true)
	n := len(all)
	all = append(all, fixtureValues(asOf)[11:]...)
	writeSnapshot(t, lakeDir, "20241201T020000.000000Z", all)
	e := newExporter(t, lakeDir, p)
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, series, _ := e.SnapshotInfo()
	if series != n || series != exporter.MaxSeries(p) {
		t.Errorf("served %d series of %d admissible values; MaxSeries = %d", series, n, exporter.MaxSeries(p))
	}
	// The contract's shape gives ExpectedSeries.
	writeSnapshot(t, lakeDir, "20241202T020000.000000Z", fullSnapshot(p, asOf, false))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, _, series, _ = e.SnapshotInfo(); series != exporter.ExpectedSeries(p) {
		t.Errorf("contract-shaped snapshot: %d series, ExpectedSeries = %d", series, exporter.ExpectedSeries(p))
	}
}

// fullSnapshot returns one value per series of profile p: the contract's shape (each
// region x all, city x each sector, city x all; dim codes), or with cross every
// region-or-city x sector-or-all and a dim total too.
func fullSnapshot(p *safetyrisk.Profile, asOf time.Time, cross bool) []safetyrisk.IndicatorValue {
	type rs struct{ r, s string }
	var combos []rs
	if cross {
		regions := []string{p.City.Code}
		for _, r := range p.Regions {
			regions = append(regions, r.Code)
		}
		sectors := []string{safetyrisk.AllSectors}
		for _, s := range p.Sectors {
			sectors = append(sectors, s.Code)
		}
		for _, r := range regions {
			for _, s := range sectors {
				combos = append(combos, rs{r, s})
			}
		}
	} else {
		for _, r := range p.Regions {
			combos = append(combos, rs{r.Code, safetyrisk.AllSectors})
		}
		for _, s := range p.Sectors {
			combos = append(combos, rs{p.City.Code, s.Code})
		}
		combos = append(combos, rs{p.City.Code, safetyrisk.AllSectors})
	}
	var out []safetyrisk.IndicatorValue
	i := 0
	for _, in := range safetyrisk.Catalogue() {
		dims := []string{""}
		if in.Dim != "" {
			dims = in.DimEnum.Codes()
			if cross {
				dims = append(dims, "")
			}
		}
		for _, c := range combos {
			for _, w := range in.WindowList() {
				for _, d := range dims {
					i++
					out = append(out, safetyrisk.IndicatorValue{Indicator: in.ID, Region: c.r, Sector: c.s, Window: w, DimValue: d, AsOf: asOf, Value: float64(i%1000) / 8})
				}
			}
		}
	}
	return out
}

func writeParquet[T any](t testing.TB, path string, rows []T) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
}

// TestHealthMetricsDeclared: every self-metric the exporter serves (in the scrape that
// TestScrapeGolden pins) is declared in HealthMetrics, with its help text, and every
// declared one is served: the dashboards and rules take their names from that list.
func TestHealthMetricsDeclared(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "scrape.golden"))
	if err != nil {
		t.Fatal(err)
	}
	indicator := map[string]bool{}
	for _, in := range safetyrisk.Catalogue() {
		indicator[in.Metric] = true
	}
	declared := map[string]string{}
	for _, h := range exporter.HealthMetrics() {
		declared[h.Name] = h.Help
	}
	served := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(l, "# HELP ")
		if !ok {
			continue
		}
		name, help, _ := strings.Cut(rest, " ")
		if !strings.HasPrefix(name, "safetyrisk_") || indicator[name] {
			continue
		}
		served[name] = true
		if d, ok := declared[name]; !ok || d != help {
			t.Errorf("%s is served (help %q) but declared as %q (declared %v)", name, help, d, ok)
		}
	}
	for name := range declared {
		if !served[name] {
			t.Errorf("%s is declared but not served", name)
		}
	}
}
