package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// addRawColumn rewrites a raw batch file with one more column, as an ingest that knows
// the column writes it (the fixture writes the table definition's columns only).
func addRawColumn(t *testing.T, lake string, table *safetyrisk.Table, batch, column, expr string) {
	t.Helper()
	f := filepath.Join(lake, "raw", table.Name, "batch="+batch, "part-00000.parquet")
	tmp := f + ".tmp"
	db := testDB(t)
	q := "COPY (SELECT *, " + expr + " AS " + ident(column) + " FROM read_parquet(" + sqlString(f) + ")) TO " + sqlString(tmp) + " (FORMAT parquet)"
	if _, err := db.Exec(q); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, f); err != nil {
		t.Fatal(err)
	}
}

func accident(id, occurred, reported string, deaths int64, loss float64) row {
	r := row{"accident_id": id, "occurred_at": instant(occurred), "region": firstRegion, "sector": "coal_mine",
		"enterprise_id": "E1", "accident_type": "collapse", "deaths": deaths, "direct_loss": loss}
	if reported != "" {
		r["reported_at"] = instant(reported)
	}
	return r
}

func checkOf(res *Result, table, check, column string) (CheckResult, bool) {
	for _, c := range res.Checks {
		if c.Table == table && c.Check == check && c.Column == column {
			return c, true
		}
	}
	return CheckResult{}, false
}

// TestIssue11_DateOnlyOccurrenceNotLate (issue 11, item 3): an occurrence given as a date
// without a time (ingest writes occurred_time_known false) is not midnight: its report
// delay and late_report are NULL (left out of late_report_ratio), and a data check counts
// it. A batch without the column (an older lake) reads as a known time.
func TestIssue11_DateOnlyOccurrenceNotLate(t *testing.T) {
	lake := t.TempDir()
	writeBatch(t, lake, safetyrisk.Enterprises, batchID(t0, "e"), []row{enterprise("E1")})
	b1 := batchID(t0, "a1")
	writeBatch(t, lake, safetyrisk.Accidents, b1, []row{
		// 2024-06-05 as a date: 00:00 +08; reported 08:30 +08 would read "510 minutes late"
		accident("A1", "2024-06-04T16:00:00Z", "2024-06-05T00:30:00Z", 0, 5000),
		// a known time, reported two hours later: late
		accident("A2", "2024-06-05T02:00:00Z", "2024-06-05T04:00:00Z", 0, 5000),
	})
	addRawColumn(t, lake, safetyrisk.Accidents, b1, "occurred_time_known", "accident_id <> 'A1'")
	writeBatch(t, lake, safetyrisk.Accidents, batchID(t0.Add(time.Hour), "a2"), []row{
		accident("A3", "2024-06-06T02:00:00Z", "2024-06-06T02:20:00Z", 0, 5000), // older schema: no column
	})
	res := runTransform(t, lake, "2024-07-01")
	got := query(t, "SELECT accident_id, occurred_time_known, report_delay_minutes, late_report FROM "+curated(lake, safetyrisk.Accidents)+" ORDER BY accident_id")
	want := [][]string{{"A1", "false", "NULL", "NULL"}, {"A2", "true", "120", "true"}, {"A3", "true", "20", "false"}}
	if strings.Join(flatten(got), "|") != strings.Join(flatten(want), "|") {
		t.Errorf("curated accidents %v, want %v", got, want)
	}
	c, ok := checkOf(res, "accidents", "flag", "occurred_time_known")
	if !ok || c.Status != StatusWarn || c.Failures != 1 || !strings.HasPrefix(c.Detail, "A1 -> ") {
		t.Errorf("time-unknown check %+v (found %v), want a warning counting A1", c, ok)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, ","))
	}
	return out
}

// TestIssue11_ImplausibleLossFlagged (issue 11, item 8): a fatal accident with a direct
// loss under 1,000 yuan (a 万元 figure typed as yuan) is flagged and counted by a check;
// 1,000 itself and a non-fatal small loss are not.
func TestIssue11_ImplausibleLossFlagged(t *testing.T) {
	lake := t.TempDir()
	writeBatch(t, lake, safetyrisk.Enterprises, batchID(t0, "e"), []row{enterprise("E1")})
	writeBatch(t, lake, safetyrisk.Accidents, batchID(t0, "a"), []row{
		accident("A1", "2024-02-10T02:00:00Z", "2024-02-10T02:30:00Z", 1, 1200*0.5), // 600: flagged
		accident("A2", "2024-02-11T02:00:00Z", "2024-02-11T02:30:00Z", 1, 999.99),   // flagged
		accident("A3", "2024-02-12T02:00:00Z", "2024-02-12T02:30:00Z", 2, 1000),     // boundary: not flagged
		accident("A4", "2024-02-13T02:00:00Z", "2024-02-13T02:30:00Z", 0, 500),      // no death: not flagged
	})
	res := runTransform(t, lake, "2024-03-01")
	got := query(t, "SELECT string_agg(accident_id, ',' ORDER BY accident_id) FROM "+curated(lake, safetyrisk.Accidents)+" WHERE implausible_loss")
	if got[0][0] != "A1,A2" {
		t.Errorf("implausible_loss: %s, want A1,A2", got[0][0])
	}
	c, ok := checkOf(res, "accidents", "flag", "implausible_loss")
	if !ok || c.Status != StatusWarn || c.Failures != 2 {
		t.Errorf("implausible-loss check %+v (found %v), want a warning counting 2", c, ok)
	}
}

// TestIssue11_FreshnessByBatchArrival (issue 11, item 12): freshness is the age of the
// newest batch ingested for a table, not of its newest event. Accidents whose newest
// event is four months old but whose batch arrived 35 days before the as-of day are fresh;
// a batch 36 days old is stale.
func TestIssue11_FreshnessByBatchArrival(t *testing.T) {
	for _, tc := range []struct {
		ingested string
		want     Status
	}{{"2024-05-27T09:00:00Z", StatusPass}, {"2024-05-26T09:00:00Z", StatusWarn}} {
		lake := t.TempDir()
		at := instant(tc.ingested)
		writeBatch(t, lake, safetyrisk.Enterprises, batchID(at, "e"), []row{enterprise("E1")})
		writeBatch(t, lake, safetyrisk.Accidents, batchID(at, "a"), []row{
			accident("A1", "2024-03-01T02:00:00Z", "2024-03-01T02:30:00Z", 0, 5000),
		})
		res := runTransform(t, lake, "2024-07-01")
		c, ok := checkOf(res, "accidents", "freshness", "_batch_id")
		if !ok || c.Status != tc.want {
			t.Errorf("batch ingested %s: freshness %+v (found %v), want %s", tc.ingested, c, ok, tc.want)
		}
	}
}

// TestIssue11_RegionMissingYearStatsChecked (issue 11, item 7): a region without
// statistics for the as-of year gets no rate, and a data check names it.
func TestIssue11_RegionMissingYearStatsChecked(t *testing.T) {
	lake := t.TempDir()
	var rows []row
	regions := safetyrisk.Ordos().Regions
	last := regions[len(regions)-1].Code
	for _, r := range regions {
		rows = append(rows, row{"region": r.Code, "year": int64(2023), "gdp": 100.0})
		if r.Code != last { // 2023 is the latest it has
			rows = append(rows, row{"region": r.Code, "year": int64(2024), "gdp": 100.0})
		}
	}
	writeBatch(t, lake, safetyrisk.RegionStats, batchID(t0, "s"), rows)
	res := runTransform(t, lake, "2024-12-31")
	c, ok := checkOf(res, "region_stats", "stats_year", "year")
	if !ok || c.Status != StatusWarn || c.Failures != 1 || !strings.Contains(c.Detail, last) {
		t.Errorf("stats_year check %+v (found %v), want a warning naming %s", c, ok, last)
	}
	res = runTransform(t, lake, "2023-12-31")
	if c, _ := checkOf(res, "region_stats", "stats_year", "year"); c.Status != StatusPass {
		t.Errorf("2023: %+v, want pass", c)
	}
}
