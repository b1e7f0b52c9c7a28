package exporter_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
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
	golden(t, "backfill.golden", out)
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
	if !strings.Contains(out, `safetyrisk_risk_band{region="150603",region_name="康巴什区",sector="all",sector_name="全部行业",window="12m"} 6.0 1.732982399e+09`+"\n") {
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
