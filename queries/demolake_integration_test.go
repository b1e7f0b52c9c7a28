//go:build integration

package queries

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/ingest"
	"github.com/safetyrisk/safetyrisk/sampledata"
	"github.com/safetyrisk/safetyrisk/transform"
)

// TestIssue11_DemoLakeOverdueMajorsIndependentCount (issue 11, "what it must show" 2): on
// the demo lake (generate --seed 20220927 --scale 1, run --as-of 2024-12-31),
// hazards_overdue for major hazards equals a count written independently over the curated
// records: deadline < as_of AND NOT rectified by as_of, whatever found_on is.
func TestIssue11_DemoLakeOverdueMajorsIndependentCount(t *testing.T) {
	ctx := context.Background()
	src, lake := t.TempDir(), t.TempDir()
	asOf := time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
	if _, err := sampledata.Generate(ctx, sampledata.Config{Out: src, Seed: 20220927, Scale: 1, Format: sampledata.FormatCSV,
		Dirty: 0.01, From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), To: asOf}, nil); err != nil {
		t.Fatal(err)
	}
	in, err := ingest.New(ingest.Config{Lake: lake, PIIKey: []byte("issue-11-demo-lake-test-key")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Paths(ctx, []string{src}); err != nil {
		t.Fatal(err)
	}
	if _, err := transform.Run(ctx, transform.Config{Lake: lake, AsOf: asOf, Threads: 2}); err != nil {
		t.Fatal(err)
	}
	snap, err := Compute(ctx, Config{Lake: lake, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, v := range snap.Values {
		if v.Indicator == "hazards_overdue" && v.DimValue == "major" && v.Sector == safetyrisk.AllSectors {
			got[v.Region] = v.Value
			if v.Window != safetyrisk.WindowAsOf {
				t.Errorf("hazards_overdue %s: window %q, want %q", v.Region, v.Window, safetyrisk.WindowAsOf)
			}
		}
	}

	// The independent count, over the curated Parquet files themselves.
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	glob := filepath.Join(lake, "curated", "hazards", "*", "*.parquet")
	city := safetyrisk.Ordos().City.Code // the generator's and the queries' default profile
	rows, err := db.QueryContext(ctx, `
		SELECT coalesce(region, ?) AS region, count(*) AS n, count(*) FILTER (WHERE found_on < DATE '2024-01-01') AS old
		FROM read_parquet(?, hive_partitioning = false)
		WHERE level = 'major' AND deadline < DATE '2024-12-31'
		  AND NOT coalesce(rectified_on <= DATE '2024-12-31', false)
		  AND NOT (rectified_on IS NULL AND status IN ('rectified', 'verified'))
		GROUP BY ROLLUP (region)`, city, glob)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string]float64{}
	var old int64
	for rows.Next() {
		var region string
		var n, o int64
		if err := rows.Scan(&region, &n, &o); err != nil {
			t.Fatal(err)
		}
		want[region] = float64(n)
		if region == city {
			old = o
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want[city] == 0 {
		t.Fatal("the demo lake has no overdue major hazard: the comparison would prove nothing")
	}
	for region, n := range want {
		if got[region] != n {
			t.Errorf("hazards_overdue{region=%s, level=major} = %v, independent count %v", region, got[region], n)
		}
	}
	for region, n := range got {
		if _, ok := want[region]; !ok && n != 0 {
			t.Errorf("hazards_overdue{region=%s, level=major} = %v, independent count 0", region, n)
		}
	}
	t.Logf("overdue major hazards at 2024-12-31: city %v, of which %d found before 2024 (outside a 12-month window)", want[city], old)
}
