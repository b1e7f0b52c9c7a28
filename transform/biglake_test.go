//go:build biglake

package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// TestBigLakeTransform writes a large raw lake and times a transform of it (make bench
// runs it: go test -tags biglake -run BigLake ./transform). TRANSFORM_BIG_HAZARDS sets
// the hazards (default 1,000,000); with TRANSFORM_BIG_LAKE=DIR the raw lake is written
// there and kept, for /usr/bin/time -v safetyrisk transform --lake DIR. Hazards come in
// two batches: the second re-sends 1% of the keys, corrected.
func TestBigLakeTransform(t *testing.T) {
	dir := os.Getenv("TRANSFORM_BIG_LAKE")
	if dir == "" {
		dir = t.TempDir()
	}
	n := os.Getenv("TRANSFORM_BIG_HAZARDS")
	if n == "" {
		n = "1000000"
	}
	db := testDB(t)
	if _, err := db.Exec("SET preserve_insertion_order = false"); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range safetyrisk.Ordos().Regions {
		codes = append(codes, sqlString(r.Code))
	}
	regions := "[" + strings.Join(codes, ",") + "]"
	sectors := "['coal_mine','non_coal_mine','hazardous_chemicals','fireworks','oil_gas','construction']"
	write := func(table *safetyrisk.Table, batch, sel string) {
		batchDir := lake.RawBatchDir(dir, table.Name, batch)
		if err := os.MkdirAll(batchDir, 0o755); err != nil {
			t.Fatal(err)
		}
		q := "COPY (" + sel + ") TO " + sqlString(filepath.Join(batchDir, lake.PartFile)) + " (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 131072)"
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", table.Name, err)
		}
	}
	r := strings.NewReplacer("$R", regions, "$S", sectors, "$N", n)
	write(safetyrisk.Enterprises, "20250101T000000.000000Z-00000001", r.Replace(`
		SELECT printf('QY%06d', i) AS enterprise_id, 'enterprise ' || i AS name, NULL::VARCHAR AS credit_code,
		  $R[1 + i % 9] AS region, $S[1 + i % 6] AS sector, ['red','orange','yellow','blue'][1 + i % 4] AS risk_level,
		  (i % 500)::BIGINT AS employees, (i % 7)::BIGINT AS dispatch_workers, (i % 3)::BIGINT AS flexible_workers,
		  i % 10 = 0 AS major_hazard_source, i % 2 = 0 AS liability_insurance, 'operating' AS status, (i + 2)::BIGINT AS _source_row
		FROM range(50000) t(i)`))
	write(safetyrisk.Inspections, "20250101T000000.000000Z-00000002", r.Replace(`
		SELECT printf('JC%09d', i) AS inspection_id, printf('QY%06d', i % 50000) AS enterprise_id, $R[1 + i % 9] AS region,
		  $S[1 + i % 6] AS sector, DATE '2022-01-01' + CAST(i % 1095 AS INTEGER) AS inspected_on, '应急管理局' AS department,
		  ['routine','double_random','special'][1 + i % 3] AS kind, i % 5 = 0 AS led_by_head, (2 + i % 3)::BIGINT AS inspectors,
		  (i % 4)::BIGINT AS hazards_found, (i + 2)::BIGINT AS _source_row
		FROM range($N // 3) t(i)`))
	hazards := `
		SELECT printf('YH%010d', i) AS hazard_id, printf('JC%09d', i // 3) AS inspection_id, printf('QY%06d', i % 50000) AS enterprise_id,
		  $R[1 + i % 9] AS region, $S[1 + i % 6] AS sector, DATE '2022-01-01' + CAST((i // 3) % 1095 AS INTEGER) AS found_on,
		  CASE WHEN i % 50 = 0 THEN 'major' ELSE 'general' END AS level, '设备设施' AS category, '隐患描述 ' || i AS description,
		  DATE '2022-01-01' + CAST((i // 3) % 1095 + 30 AS INTEGER) AS deadline,
		  CASE WHEN i % 10 < 8 THEN DATE '2022-01-01' + CAST((i // 3) % 1095 + i % 40 AS INTEGER) END AS rectified_on,
		  CASE WHEN i % 10 < 8 THEN 'rectified' WHEN i % 10 = 8 THEN 'rectifying' ELSE 'open' END AS status,
		  i % 50 = 0 AS five_implementations, i % 200 = 0 AS listed_supervision, i % 3 > 0 AS in_ledger,
		  'inspection' AS source, (i + 2)::BIGINT AS _source_row
		FROM range(%s) t(i)`
	write(safetyrisk.Hazards, "20250101T000000.000000Z-00000003", r.Replace(strings.Replace(hazards, "%s", "$N", 1)))
	write(safetyrisk.Hazards, "20250102T000000.000000Z-00000004", r.Replace(strings.Replace(hazards, "%s", "0, $N, 100", 1)))
	start := time.Now()
	res, err := Run(context.Background(), Config{Lake: dir, AsOf: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	rows := int64(0)
	for _, tr := range res.Tables {
		rows += tr.Rows
	}
	t.Logf("transform of %s hazards: %d curated rows in %s", n, rows, time.Since(start).Round(time.Millisecond))
}
