package transform

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/golden"
	"github.com/safetyrisk/safetyrisk/lake"
)

// TestGoldenDemo runs every curated query and every check over the demo lake and
// compares the result with testdata/demo.golden.
func TestGoldenDemo(t *testing.T) {
	lakeDir := demoLake(t)
	runTransform(t, lakeDir, "2024-03-01")
	var b strings.Builder
	db := testDB(t) // one for all the queries: a new one costs about 15 ms
	for _, tb := range safetyrisk.Tables() {
		rows := queryDB(t, db, "SELECT * FROM "+curated(lakeDir, tb)+" ORDER BY ALL")
		cols := queryDB(t, db, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+curated(lakeDir, tb)+")")
		fmt.Fprintf(&b, "== %s\n", tb.Name)
		var names []string
		for _, c := range cols {
			names = append(names, c[0])
		}
		fmt.Fprintln(&b, strings.Join(names, "|"))
		for _, r := range rows {
			fmt.Fprintln(&b, strings.Join(r, "|"))
		}
	}
	chk, err := lake.ReadChecks(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(&b, "== checks")
	for _, c := range chk.Results {
		fmt.Fprintf(&b, "%s|%s|%s|%s|%d|%s\n", c.Table, c.Check, c.Column, c.Status, c.Failures, c.Detail)
	}
	golden.Check(t, filepath.Join("testdata", "demo.golden"), []byte(b.String()))
}

// TestChecksBadBatch: a batch that breaks the raw contract (a key twice in one
// batch, a missing required value, unknown codes) fails exactly those checks.
func TestChecksBadBatch(t *testing.T) {
	lakeDir := t.TempDir()
	writeBatch(t, lakeDir, safetyrisk.Enterprises, batchID(t0, "e"), []row{enterprise("E1")})
	h := func(id, region, status string) row {
		return row{"hazard_id": id, "enterprise_id": "E1", "region": region, "sector": "coal_mine", "found_on": day("2024-02-20"), "level": "general", "status": status}
	}
	noLevel := h("H3", firstRegion, "open")
	delete(noLevel, "level")
	writeBatch(t, lakeDir, safetyrisk.Hazards, batchID(t0, "h"), []row{
		h("H1", firstRegion, "open"), h("H1", firstRegion, "rectified"), h("H2", "999999", "lost"), noLevel,
	})
	res := runTransform(t, lakeDir, "2024-03-01")
	if !res.Failed() {
		t.Error("Failed() false")
	}
	var fails []string
	for _, c := range res.Checks {
		if c.Status == StatusFail {
			fails = append(fails, fmt.Sprintf("%s %s %s %d %s", c.Table, c.Check, c.Column, c.Failures, c.Detail))
		}
	}
	want := []string{
		"hazards unique hazard_id 1 H1",
		"hazards accepted_values region 1 999999",
		"hazards not_null level 1 H3",
		"hazards accepted_values status 1 lost",
	}
	if strings.Join(fails, "\n") != strings.Join(want, "\n") {
		t.Errorf("failed checks\n got %q\nwant %q", fails, want)
	}
}

// TestFreshness: as of four months after the newest records, every table with a
// time column is stale (warn), and nothing fails.
func TestFreshness(t *testing.T) {
	lakeDir := demoLake(t)
	res := runTransform(t, lakeDir, "2024-07-01")
	stale := 0
	for _, c := range res.Checks {
		if c.Check == "freshness" {
			if c.Status != StatusWarn {
				t.Errorf("%s freshness %s: %s", c.Table, c.Status, c.Detail)
			}
			stale++
		}
	}
	if stale != 7 || res.Failed() {
		t.Errorf("%d freshness checks, failed %v", stale, res.Failed())
	}
	// As of 2024-07-01 the open hazard H3 (deadline 2024-03-10) is overdue too.
	got := query(t, "SELECT string_agg(hazard_id, ',' ORDER BY hazard_id) FROM "+curated(lakeDir, safetyrisk.Hazards)+" WHERE overdue")
	if got[0][0] != "H1,H3" {
		t.Errorf("overdue as of 2024-07-01: %s", got[0][0])
	}
}
