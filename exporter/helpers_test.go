package exporter_test

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/lake"
)

// testProfile is a fixed two-region, two-sector profile, so the golden scrape is short.
func testProfile(t testing.TB) *safetyrisk.Profile {
	t.Helper()
	p, err := safetyrisk.LoadProfile("testdata/profile.json")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	fixedNow = time.Date(2024, 12, 1, 3, 0, 0, 0, time.UTC)
	asOf     = time.Date(2024, 11, 30, 0, 0, 0, 0, time.UTC)
)

// fixtureCity, fixtureRegion1 and fixtureRegion2 are the codes of testdata/profile.json
// that the fixture values use: its city and its two regions.
var fixtureCity, fixtureRegion1, fixtureRegion2 = fixtureCodes()

func fixtureCodes() (city, r1, r2 string) {
	p, err := safetyrisk.LoadProfile("testdata/profile.json")
	if err != nil || len(p.Regions) < 2 {
		panic(fmt.Sprintf("exporter test profile: %v", err))
	}
	return p.City.Code, p.Regions[0].Code, p.Regions[1].Code
}

// fixtureValues is a small snapshot: a few indicators of each shape (with and without a
// Dim label, region totals and sector breakdowns), and values that must not be served.
func fixtureValues(asOf time.Time) []safetyrisk.IndicatorValue {
	v := func(ind, region, sector, window, dim string, value float64) safetyrisk.IndicatorValue {
		return safetyrisk.IndicatorValue{Indicator: ind, Region: region, Sector: sector, Window: window, DimValue: dim, AsOf: asOf, Value: value}
	}
	return []safetyrisk.IndicatorValue{
		v("accidents", fixtureRegion1, "all", "12m", "general", 5),
		v("accidents", fixtureRegion1, "all", "12m", "large", 2),
		v("accidents", fixtureCity, "coal_mine", "ytd", "general", 3),
		v("deaths", fixtureCity, "all", "ytd", "", 4),
		v("deaths", fixtureRegion2, "all", "month", "", 0),
		v("direct_loss", fixtureRegion1, "all", "month", "", 1.25e6),
		v("late_report_ratio", fixtureCity, "coal_mine", "12m", "", 0.25),
		v("hazards_found", fixtureCity, "all", "quarter", "major", 7),
		v("rectification_ratio", fixtureCity, "road_transport", "quarter", "general", 0.875),
		v("risk_index", fixtureRegion2, "all", "12m", "", 42.5),
		v("risk_band", fixtureRegion2, "all", "12m", "", 2),
		// Not served: an unknown indicator, region, sector, window and dim value, a dim
		// value on an indicator without a Dim, and a duplicate.
		v("no_such_indicator", fixtureCity, "all", "12m", "", 1),
		v("deaths", "999999", "all", "12m", "", 1),
		v("deaths", fixtureCity, "fishing", "12m", "", 1),
		v("deaths", fixtureCity, "all", "decade", "", 1),
		v("accidents", fixtureCity, "all", "12m", "catastrophic", 1),
		v("deaths", fixtureCity, "all", "month", "large", 1),
		v("deaths", fixtureCity, "all", "ytd", "", 99),
	}
}

// writeSnapshot writes a snapshot of values under runID in lake.
func writeSnapshot(t testing.TB, lakeDir, runID string, values []safetyrisk.IndicatorValue) {
	t.Helper()
	if err := lake.WriteSnapshot(lakeDir, &safetyrisk.Snapshot{RunID: runID, Values: values}); err != nil {
		t.Fatal(err)
	}
}

// checkRow is the checks file as transform's DuckDB COPY writes it: nullable columns.
type checkRow struct {
	Table    *string `parquet:"table,optional"`
	Check    *string `parquet:"check,optional"`
	Column   *string `parquet:"column,optional"`
	Status   *string `parquet:"status,optional"`
	Failures *int64  `parquet:"failures,optional"`
	Detail   *string `parquet:"detail,optional"`
}

func writeChecks(t testing.TB, lakeDir string, rows []checkRow) {
	t.Helper()
	dir := filepath.Join(lakeDir, "checks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := parquet.WriteFile(filepath.Join(dir, "latest.parquet"), rows); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func fixtureChecks() []checkRow {
	c := func(table, check, column, status string, failures int64) checkRow {
		return checkRow{ptr(table), ptr(check), ptr(column), ptr(status), ptr(failures), ptr("detail of " + check)}
	}
	return []checkRow{
		c("accidents", "grade_mismatch", "stated_grade", "warn", 2),
		c("accidents", "orphan", "enterprise_id", "pass", 0),
		c("hazards", "rectified_before_found", "rectified_on", "fail", 5),
		c("hazards", "orphan_inspection", "inspection_id", "pass", 0),
		{Table: ptr("staff"), Check: ptr("duplicate_id"), Status: ptr("pass")}, // nulls: column, failures, detail
	}
}

// fixtureLake writes a complete test lake: a snapshot, a run status, the manifest and
// the checks.
func fixtureLake(t testing.TB) string {
	t.Helper()
	lakeDir := t.TempDir()
	writeSnapshot(t, lakeDir, "20241201T020000.000000Z", fixtureValues(asOf))
	st := lake.RunStatus{
		Start: time.Date(2024, 12, 1, 2, 0, 0, 0, time.UTC), End: time.Date(2024, 12, 1, 2, 1, 30, 0, time.UTC), Success: true,
		Stages: []lake.StageTiming{{Name: "ingest", Seconds: 40.5}, {Name: "transform", Seconds: 35}, {Name: "indicators", Seconds: 14.5}},
	}
	if err := lake.WriteRunStatus(lakeDir, st); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/lake-good/manifest/batches.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(lakeDir, "manifest"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lake.ManifestPath(lakeDir), b, 0o644); err != nil {
		t.Fatal(err)
	}
	writeChecks(t, lakeDir, fixtureChecks())
	return lakeDir
}

func newExporter(t testing.TB, lakeDir string, p *safetyrisk.Profile) *exporter.Exporter {
	t.Helper()
	e, err := exporter.New(exporter.Config{Lake: lakeDir, Profile: p, Build: exporter.BuildInfo{Version: "test", GoVersion: "go-test"},
		Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// scrape GETs /metrics from h in the text format and returns the body.
func scrape(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s: %s", resp.Status, b)
	}
	return string(b)
}

// families parses a text scrape.
func families(t testing.TB, body string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse scrape: %v", err)
	}
	return mfs
}

// value returns the value of the series of family name whose labels include want, and
// whether exactly one matched.
func value(mfs map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	mf, ok := mfs[name]
	if !ok {
		return math.NaN(), false
	}
	found, v := 0, math.NaN()
	for _, m := range mf.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, w := range want {
			if labels[k] != w {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		found++
		switch {
		case m.Gauge != nil:
			v = m.Gauge.GetValue()
		case m.Counter != nil:
			v = m.Counter.GetValue()
		case m.Untyped != nil:
			v = m.Untyped.GetValue()
		}
	}
	return v, found == 1
}
