package exporter_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/internal/golden"
)

// monthSource is a Source over fixed snapshots: the fixture values scaled by the month,
// so each month end has its own values; one series exists only in the last month.
func monthSource(months []time.Time) exporter.Source {
	return func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
		for i, m := range months {
			if !m.Equal(asOf) {
				continue
			}
			var values []safetyrisk.IndicatorValue
			for _, v := range fixtureValues(asOf)[:11] {
				v.Value *= float64(i + 1)
				if v.Indicator == "risk_band" && i < len(months)-1 {
					continue
				}
				values = append(values, v)
			}
			return &safetyrisk.Snapshot{RunID: "past", AsOf: asOf, Values: values}, nil
		}
		return nil, fmt.Errorf("no snapshot as of %s", asOf.Format(time.DateOnly))
	}
}

func TestMonthEnds(t *testing.T) {
	got := exporter.MonthEnds(time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
	want := []string{"2023-12-31", "2024-01-31", "2024-02-29"}
	if len(got) != len(want) {
		t.Fatalf("MonthEnds = %v", got)
	}
	for i := range want {
		if got[i].Format(time.DateOnly) != want[i] {
			t.Errorf("MonthEnds[%d] = %s, want %s", i, got[i].Format(time.DateOnly), want[i])
		}
	}
}

// TestBackfillFormat: OpenMetrics as promtool wants it, compared with
// testdata/backfill.golden.
func TestBackfillFormat(t *testing.T) {
	p := testProfile(t)
	months := exporter.MonthEnds(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	stats, err := exporter.Backfill(context.Background(), &buf, exporter.BackfillConfig{
		Profile: p, From: months[0], To: months[2], Source: monthSource(months)})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	golden.Check(t, filepath.Join("testdata", "backfill.golden"), []byte(out))
	if stats.Months != 3 || stats.Series != 11 || stats.Samples != 31 {
		t.Errorf("stats = %+v, want 3 months, 11 series, 31 samples", stats)
	}
	if !strings.HasSuffix(out, "\n# EOF\n") {
		t.Error("output does not end with # EOF")
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	wantTS := map[float64]bool{}
	for _, m := range months {
		wantTS[float64(exporter.SampleTime(m, loc).Unix())] = true
	}
	seen := map[string]bool{}
	current := ""
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n# EOF\n"), "\n") {
		if strings.HasPrefix(line, "# TYPE ") {
			name := strings.Fields(line)[2]
			if seen[name] {
				t.Errorf("family %s is not contiguous", name)
			}
			seen[name], current = true, name
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.HasPrefix(line, current+"{") {
			t.Errorf("sample outside its family %s: %s", current, line)
		}
		f := strings.Fields(line[strings.LastIndex(line, "}")+1:])
		if len(f) != 2 {
			t.Errorf("sample without a timestamp: %s", line)
			continue
		}
		if ts, err := strconv.ParseFloat(f[1], 64); err != nil || !wantTS[ts] {
			t.Errorf("sample without a month-end timestamp in seconds: %s", line)
		}
	}
	// Only in November, stamped 2024-11-30 23:59:59 in Shanghai.
	if !strings.Contains(out, `safetyrisk_risk_band{region="`+fixtureRegion2+`",region_name="康巴什区",sector="all",sector_name="全部行业",window="12m"} 6.0 1.732982399e+09`+"\n") {
		t.Errorf("risk band of November not found as expected")
	}
}

func TestBackfillErrors(t *testing.T) {
	p := testProfile(t)
	from, to := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	failing := func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
		return nil, errors.New("indicators not available yet")
	}
	for _, c := range []struct {
		name string
		cfg  exporter.BackfillConfig
		want string
	}{
		{"source fails", exporter.BackfillConfig{Profile: p, From: from, To: to, Source: failing}, "as of 2024-09-30: indicators not available yet"},
		{"from after to", exporter.BackfillConfig{Profile: p, From: to, To: from, Source: failing}, "is after"},
		{"no source", exporter.BackfillConfig{Profile: p, From: from, To: to}, "source is required"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := exporter.Backfill(context.Background(), &buf, c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Backfill = %v, want an error with %q", err, c.want)
			}
		})
	}
}

// TestBackfillGuards: months that would damage Prometheus or mean nothing are refused
// before any is computed (issue 10, point 4): a month not over yet (its samples would
// make Prometheus drop real blocks), a year-9999 month even with AllowFuture, a span
// over the limit, months before the data. The limits themselves pass.
func TestBackfillGuards(t *testing.T) {
	p := testProfile(t)
	loc, err := time.LoadLocation(p.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	// 2026-11-30 12:00 in Shanghai: November ends in 12 hours.
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, loc)
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	calls := 0
	src := func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
		calls++
		return &safetyrisk.Snapshot{AsOf: asOf, Values: fixtureValues(asOf)[:2]}, nil
	}
	for _, c := range []struct {
		name     string
		from, to time.Time
		first    int
		future   bool
		max      int
		want     string // "" for accepted
	}{
		{"last month", month(2026, 10), month(2026, 10), 0, false, 0, ""},
		{"this month, not over", month(2026, 10), month(2026, 11), 0, false, 0, "not over yet"},
		{"this month, allowed", month(2026, 10), month(2026, 11), 0, true, 0, ""},
		{"next year, allowed", month(2027, 11), month(2027, 11), 0, true, 0, ""},
		{"year 9999", month(9999, 1), month(9999, 12), 0, false, 0, "more than a year after now"},
		{"year 9999, allowed", month(9999, 1), month(9999, 12), 0, true, 0, "more than a year after now"},
		{"ten years", month(2016, 11), month(2026, 10), 0, false, 0, ""},
		{"ten years and a month", month(2016, 10), month(2026, 10), 0, false, 0, "121 months, more than 120"},
		{"a century", month(1926, 1), month(2025, 12), 0, false, 0, "more than 120"},
		{"a century, limit raised", month(1926, 1), month(2025, 12), 0, false, 1200, ""},
		{"from the first year", month(2022, 1), month(2022, 3), 2022, false, 0, ""},
		{"before the first year", month(2021, 12), month(2022, 3), 2022, false, 0, "before 2022, the first year of data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := exporter.BackfillConfig{Profile: p, From: c.from, To: c.to, Source: src, FirstYear: c.first, Now: now, AllowFuture: c.future, MaxMonths: c.max}
			err := cfg.Validate()
			if c.want == "" && err != nil {
				t.Fatalf("Validate = %v, want accepted", err)
			}
			if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("Validate = %v, want an error with %q", err, c.want)
			}
			before := calls
			_, berr := exporter.Backfill(context.Background(), io.Discard, cfg)
			if (berr == nil) != (err == nil) {
				t.Errorf("Backfill = %v after Validate = %v", berr, err)
			}
			if err != nil && calls != before {
				t.Errorf("a refused backfill computed %d months", calls-before)
			}
		})
	}
}

func TestLakeSnapshots(t *testing.T) {
	lake := t.TempDir()
	sep, oct := time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 10, 31, 0, 0, 0, 0, time.UTC)
	writeSnapshot(t, lake, "20241001T010000.000000Z", fixtureValues(sep)[:3])
	writeSnapshot(t, lake, "20241101T010000.000000Z", fixtureValues(oct)[:2])
	writeSnapshot(t, lake, "20241102T010000.000000Z", fixtureValues(oct)[:4]) // a rerun: wins
	src := exporter.LakeSnapshots(lake)
	for _, c := range []struct {
		asOf time.Time
		n    int
	}{{sep, 3}, {oct, 4}} {
		s, err := src(context.Background(), c.asOf)
		if err != nil || len(s.Values) != c.n {
			t.Errorf("as of %s: %v values, %v; want %d", c.asOf.Format(time.DateOnly), s, err, c.n)
		}
	}
	if _, err := src(context.Background(), time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "2024-08-31") {
		t.Errorf("a month without a snapshot: %v", err)
	}
}
