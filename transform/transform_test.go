package transform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// demoLake writes a small raw lake with one batch per table and planted orphans:
// inspection I9 -> enterprise E404, hazard H3 -> inspection I404, hazard H4 ->
// enterprise E405, case C2 -> accident A404, assessment RA2 -> enterprise E406.
func demoLake(t *testing.T) string {
	t.Helper()
	lakeDir := t.TempDir()
	db := testDB(t) // one DuckDB for the ten batches
	writeBatchDB(t, db, lakeDir, safetyrisk.Enterprises, batchID(t0, "enterprises"), []row{enterprise("E1"), enterprise("E2"), enterprise("E3")})
	writeBatchDB(t, db, lakeDir, safetyrisk.Inspections, batchID(t0, "inspections"), []row{
		{"inspection_id": "I1", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "inspected_on": day("2024-02-20"), "department": "应急管理局", "kind": "routine"},
		{"inspection_id": "I2", "enterprise_id": "E2", "region": otherRegion, "sector": "coal_mine", "inspected_on": day("2023-12-20"), "department": "应急管理局", "kind": "double_random"},
		{"inspection_id": "I9", "enterprise_id": "E404", "region": otherRegion, "sector": "coal_mine", "inspected_on": day("2024-02-21"), "department": "应急管理局", "kind": "special"},
	})
	hz := func(id, insp, ent, found, deadline, rectified, status string) row {
		r := row{"hazard_id": id, "enterprise_id": ent, "region": firstRegion, "sector": "coal_mine", "found_on": day(found), "level": "major", "status": status}
		if insp != "" {
			r["inspection_id"] = insp
		}
		if deadline != "" {
			r["deadline"] = day(deadline)
		}
		if rectified != "" {
			r["rectified_on"] = day(rectified)
		}
		return r
	}
	writeBatchDB(t, db, lakeDir, safetyrisk.Hazards, batchID(t0, "hazards"), []row{
		hz("H1", "I1", "E1", "2024-02-20", "2024-02-25", "", "open"),                // overdue
		hz("H2", "I2", "E2", "2023-12-20", "2024-01-10", "2024-01-12", "rectified"), // late
		hz("H3", "I404", "E1", "2024-02-21", "2024-03-10", "", "rectifying"),        // orphan inspection
		hz("H4", "", "E405", "2024-02-22", "2024-02-28", "2024-02-27", "verified"),  // orphan enterprise
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.Accidents, batchID(t0, "accidents"), []row{
		{"accident_id": "A1", "occurred_at": instant("2024-02-10T02:00:00Z"), "reported_at": instant("2024-02-10T02:30:00Z"), "region": firstRegion, "sector": "coal_mine", "enterprise_id": "E1", "accident_type": "collapse", "deaths": int64(3), "direct_loss": 2e6},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.Enforcement, batchID(t0, "enforcement"), []row{
		{"case_id": "C1", "accident_id": "A1", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "decided_on": day("2024-02-25"), "actions": "fine,warning", "fine": 1.5e6},
		{"case_id": "C2", "accident_id": "A404", "enterprise_id": "E2", "region": firstRegion, "sector": "coal_mine", "decided_on": day("2024-02-26"), "actions": "fine", "fine": 5e4},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.Reports, batchID(t0, "reports"), []row{
		{"report_id": "R1", "received_on": day("2024-02-15"), "channel": "hotline_12350", "region": firstRegion, "enterprise_id": "E3", "subject": "major_hazard",
			"reporter_name": strings.Repeat("ab", 32)},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.RiskAssessments, batchID(t0, "risk"), []row{
		{"assessment_id": "RA1", "enterprise_id": "E1", "assessed_on": day("2024-02-01"), "risk_level": "red"},
		{"assessment_id": "RA2", "enterprise_id": "E406", "assessed_on": day("2024-02-02"), "risk_level": "blue"},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.Governance, batchID(t0, "gov"), []row{
		{"event_id": "G1", "region": firstRegion, "department": "市安委会", "held_on": day("2024-02-05"), "kind": "safety_committee_meeting"},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.Staff, batchID(t0, "staff"), []row{
		{"staff_id": "S1", "region": firstRegion, "department": "应急管理局", "qualified_education": true},
	})
	writeBatchDB(t, db, lakeDir, safetyrisk.RegionStats, batchID(t0, "stats"), []row{
		{"region": firstRegion, "year": int64(2023), "gdp": 1000.5},
	})
	return lakeDir
}

// snapshot returns every curated table's rows ordered by key, as strings.
func snapshot(t *testing.T, lakeDir string) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	db := testDB(t)
	for _, tb := range safetyrisk.Tables() {
		out[tb.Name] = queryDB(t, db, "SELECT * FROM "+curated(lakeDir, tb)+" ORDER BY ALL")
	}
	return out
}

func TestTransformDemo(t *testing.T) {
	lakeDir := demoLake(t)
	res := runTransform(t, lakeDir, "2024-03-01")

	// Layout: the symlink, year partitions, one file each, no temporary leftovers.
	target, err := os.Readlink(lake.CuratedDir(lakeDir))
	if err != nil || target != filepath.Base(lake.CuratedRunDir(lakeDir, res.RunID)) {
		t.Fatalf("curated -> %q (%v), want %s", target, err, lake.CuratedRunDir(lakeDir, res.RunID))
	}
	for _, p := range []string{"hazards/year=2023/part-00000.parquet", "hazards/year=2024/part-00000.parquet", "accidents/year=2024/part-00000.parquet", "enterprises/part-00000.parquet", "region_stats/part-00000.parquet"} {
		if _, err := os.Stat(filepath.Join(lake.CuratedDir(lakeDir), p)); err != nil {
			t.Errorf("curated file: %v", err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(lakeDir, ".tmp*")); len(m) > 0 {
		t.Errorf("temporary leftovers: %v", m)
	}

	// Column order: definition order, derived, _batch_id, _source_row.
	cols := query(t, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+curated(lakeDir, safetyrisk.Hazards)+")")
	var names []string
	for _, c := range cols {
		names = append(names, c[0])
	}
	want := append(safetyrisk.Hazards.ColumnNames(), "overdue", "days_to_rectify", "rectified_on_time", "orphan", "orphan_inspection", "_batch_id", "_source_row")
	if !slices.Equal(names, want) {
		t.Errorf("hazard columns\n got %v\nwant %v", names, want)
	}

	// Derived hazard fields as of 2024-03-01.
	got := query(t, "SELECT hazard_id, overdue, days_to_rectify, rectified_on_time, orphan, orphan_inspection FROM "+curated(lakeDir, safetyrisk.Hazards)+" ORDER BY hazard_id")
	wantRows := [][]string{
		{"H1", "true", "NULL", "NULL", "false", "false"},
		{"H2", "false", "23", "false", "false", "false"},
		{"H3", "false", "NULL", "NULL", "false", "true"},
		{"H4", "false", "5", "true", "true", "false"},
	}
	if !reflect.DeepEqual(got, wantRows) {
		t.Errorf("hazards\n got %v\nwant %v", got, wantRows)
	}
	got = query(t, "SELECT case_id, accident_grade, fine_out_of_range, orphan_accident FROM "+curated(lakeDir, safetyrisk.Enforcement)+" ORDER BY case_id")
	wantRows = [][]string{{"C1", "large", "false", "false"}, {"C2", "NULL", "NULL", "true"}}
	if !reflect.DeepEqual(got, wantRows) {
		t.Errorf("enforcement\n got %v\nwant %v", got, wantRows)
	}

	// (5) the checks report the planted orphans, and nothing else warns or fails.
	chk, err := lake.ReadChecks(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if chk.RunID != res.RunID || chk.AsOf != "2024-03-01" {
		t.Errorf("checks of run %s as of %s", chk.RunID, chk.AsOf)
	}
	var bad []string
	for _, c := range chk.Results {
		if c.Status != StatusPass {
			bad = append(bad, strings.Join([]string{c.Table, c.Check, c.Column, string(c.Status), c.Detail}, " "))
		}
	}
	sort.Strings(bad)
	var codes []string
	for _, r := range safetyrisk.Ordos().Regions {
		codes = append(codes, r.Code)
	}
	wantBad := []string{
		"enforcement relationships orphan_accident warn C2 -> A404",
		"hazards relationships orphan warn H4 -> E405",
		"hazards relationships orphan_inspection warn H3 -> I404",
		"inspections relationships orphan warn I9 -> E404",
		// the fixture has no statistics: no rates this year, and the check says so
		"region_stats stats_year year warn no 2024 statistics, so no rates: " + strings.Join(codes, ", "),
		"risk_assessments relationships orphan warn RA2 -> E406",
	}
	if !slices.Equal(bad, wantBad) {
		t.Errorf("checks not passing\n got %q\nwant %q", bad, wantBad)
	}
	if res.Failed() {
		t.Error("Failed() with only warnings")
	}
}

// TestTransformIdempotentAndCorrection: (2) the same raw state gives the same curated
// data; a corrected record in a new batch changes exactly that record.
func TestTransformIdempotentAndCorrection(t *testing.T) {
	lakeDir := demoLake(t)
	r1 := runTransform(t, lakeDir, "2024-03-01")
	first := snapshot(t, lakeDir)
	r2 := runTransform(t, lakeDir, "2024-03-01")
	second := snapshot(t, lakeDir)
	if !reflect.DeepEqual(first, second) {
		t.Fatal("two transforms of the same raw state differ")
	}
	if r2.Previous != r1.RunID {
		t.Errorf("previous %q, want %q", r2.Previous, r1.RunID)
	}

	// A corrected hazards file: H1 rectified; H2 repeated unchanged.
	id := batchID(t0.Add(24*3600e9), "hazards-corrected")
	writeBatch(t, lakeDir, safetyrisk.Hazards, id, []row{
		{"hazard_id": "H1", "inspection_id": "I1", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "found_on": day("2024-02-20"), "level": "major", "deadline": day("2024-02-25"), "rectified_on": day("2024-02-24"), "status": "rectified"},
		{"hazard_id": "H2", "inspection_id": "I2", "enterprise_id": "E2", "region": firstRegion, "sector": "coal_mine", "found_on": day("2023-12-20"), "level": "major", "deadline": day("2024-01-10"), "rectified_on": day("2024-01-12"), "status": "rectified"},
	})
	r3 := runTransform(t, lakeDir, "2024-03-01")
	third := snapshot(t, lakeDir)
	for _, tb := range safetyrisk.Tables() {
		if tb != safetyrisk.Hazards && !reflect.DeepEqual(second[tb.Name], third[tb.Name]) {
			t.Errorf("%s changed", tb.Name)
		}
	}
	changed := diff(second["hazards"], third["hazards"])
	if len(changed) != 4 { // H1 and H2 old and new versions (H2's batch id moved)
		t.Fatalf("hazard rows changed: %v", changed)
	}
	got := query(t, "SELECT hazard_id, status, overdue, rectified_on_time, _batch_id FROM "+curated(lakeDir, safetyrisk.Hazards)+" ORDER BY hazard_id")
	if got[0][1] != "rectified" || got[0][2] != "false" || got[0][3] != "true" || got[0][4] != id {
		t.Errorf("H1 after correction: %v", got[0])
	}
	// H2 repeated unchanged: the same values, only its batch moved.
	strip := func(r []string) []string { return r[:len(r)-2] }
	if !slices.Equal(strip(second["hazards"][1]), strip(third["hazards"][1])) {
		t.Errorf("H2 values changed: %v -> %v", second["hazards"][1], third["hazards"][1])
	}
	if !slices.Equal(second["hazards"][2], third["hazards"][2]) || !slices.Equal(second["hazards"][3], third["hazards"][3]) {
		t.Error("H3 or H4 changed")
	}
	// Only the new state and the previous one are kept.
	dirs, _ := filepath.Glob(lake.CuratedRunDir(lakeDir, "*"))
	if len(dirs) != 2 || !slices.Contains(dirs, lake.CuratedRunDir(lakeDir, r3.RunID)) || !slices.Contains(dirs, lake.CuratedRunDir(lakeDir, r2.RunID)) {
		t.Errorf("curated dirs kept: %v", dirs)
	}
	// The row-count check compares with the previous state.
	chk, err := lake.ReadChecks(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range chk.Results {
		if c.Table == "hazards" && c.Check == "row_count" && c.Detail != "4 -> 4 rows (+0)" {
			t.Errorf("row_count: %+v", c)
		}
	}
}

// diff returns the rows in exactly one of a and b.
func diff(a, b [][]string) []string {
	count := map[string]int{}
	for _, r := range a {
		count[strings.Join(r, "|")]++
	}
	for _, r := range b {
		count[strings.Join(r, "|")]--
	}
	var out []string
	for k, n := range count {
		if n != 0 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func TestEmptyLake(t *testing.T) {
	lakeDir := t.TempDir()
	res := runTransform(t, lakeDir, "2024-03-01")
	for _, tr := range res.Tables {
		if tr.Rows != 0 || tr.RawFiles != 0 {
			t.Errorf("%+v", tr)
		}
	}
	// Every table reads, with its full schema.
	for _, tb := range safetyrisk.Tables() {
		got := query(t, "SELECT count(*) FROM (DESCRIBE SELECT * FROM "+curated(lakeDir, tb)+")")
		if got[0][0] == "0" {
			t.Errorf("%s: no columns", tb.Name)
		}
	}
}

func TestTransformLocked(t *testing.T) {
	lakeDir := t.TempDir()
	unlock, err := lockLake(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Config{Lake: lakeDir})
	unlock()
	if !errors.Is(err, lake.ErrLocked) || !strings.Contains(err.Error(), "another transform is running") {
		t.Fatalf("second transform: %v", err)
	}
	if _, err := Run(context.Background(), Config{Lake: lakeDir}); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{}, {Lake: "/nonexistent/lake"}, {Lake: t.TempDir(), Threads: -1}} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: valid", c)
		}
	}
	c := Config{Lake: t.TempDir(), Now: func() time.Time { return time.Date(2024, 3, 1, 17, 0, 0, 0, time.UTC) }}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	// 17:00 UTC is already the next day in Asia/Shanghai.
	if got := c.AsOf.Format(time.DateOnly); got != "2024-03-02" {
		t.Errorf("default as-of %s, want 2024-03-02", got)
	}
}

// TestOlderRawSchema: a raw file without some columns (an older schema) reads them as
// NULL, beside a file that has them.
func TestOlderRawSchema(t *testing.T) {
	lakeDir := t.TempDir()
	old := *safetyrisk.Hazards
	old.Columns = nil
	for _, c := range safetyrisk.Hazards.Columns {
		if c.Name != "category" && c.Name != "in_ledger" {
			old.Columns = append(old.Columns, c)
		}
	}
	h := row{"hazard_id": "H1", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "found_on": day("2024-02-20"), "level": "major", "status": "open"}
	writeBatch(t, lakeDir, &old, batchID(t0, "old"), []row{h})
	h2 := row{"hazard_id": "H2", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "found_on": day("2024-02-21"), "level": "major", "status": "open", "category": "电气", "in_ledger": true}
	writeBatch(t, lakeDir, safetyrisk.Hazards, batchID(t0.Add(time.Hour), "new"), []row{h2})
	runTransform(t, lakeDir, "2024-03-01")
	got := query(t, "SELECT hazard_id, category, in_ledger FROM "+curated(lakeDir, safetyrisk.Hazards)+" ORDER BY 1")
	want := [][]string{{"H1", "NULL", "NULL"}, {"H2", "电气", "true"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Only the old file: the columns are absent from every raw file.
	lake2 := t.TempDir()
	writeBatch(t, lake2, &old, batchID(t0, "old"), []row{h})
	runTransform(t, lake2, "2024-03-01")
	got = query(t, "SELECT hazard_id, category, in_ledger FROM "+curated(lake2, safetyrisk.Hazards))
	if !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("old schema only: %v", got)
	}
}

// Without a memory limit of its own, a run bounds DuckDB below 1 GB: DuckDB allocates
// beyond memory_limit, and the process must stay within 1 GB (issue 15).
func TestConfigDefaultMemoryLimit(t *testing.T) {
	c := Config{Lake: t.TempDir()}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.MemoryLimit != DefaultMemoryLimit || DefaultMemoryLimit != "600MB" {
		t.Errorf("MemoryLimit = %q (DefaultMemoryLimit %q), want 600MB", c.MemoryLimit, DefaultMemoryLimit)
	}
}
