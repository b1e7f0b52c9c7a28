package queries

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
)

// buildLake writes a curated lake under dir from the CSV files of csvDir (one per table,
// any subset of the curated columns, the others NULL), with the curated schema's types:
// year-partitioned tables with DuckDB COPY ... PARTITION_BY (year), the others as one file.
func buildLake(t testing.TB, csvDir, dir string) {
	t.Helper()
	if err := buildLakeErr(csvDir, dir); err != nil {
		t.Fatal(err)
	}
}

// buildLakeErr is buildLake outside a test (testLake's lake is built once, for all).
func buildLakeErr(csvDir, dir string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("SET TimeZone = 'Asia/Shanghai'"); err != nil {
		return err
	}
	for _, tb := range safetyrisk.Tables() {
		csv := filepath.Join(csvDir, tb.Name+".csv")
		f, err := os.Open(csv)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		header, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		have := map[string]bool{}
		for _, h := range strings.Split(strings.TrimSpace(header), ",") {
			have[h] = true
		}
		var sel []string
		for _, c := range CuratedColumns(tb) {
			if have[c[0]] {
				sel = append(sel, fmt.Sprintf("CAST(%s AS %s) AS %s", c[0], c[1], c[0]))
			} else {
				sel = append(sel, fmt.Sprintf("CAST(NULL AS %s) AS %s", c[1], c[0]))
			}
		}
		src := fmt.Sprintf("read_csv(%s, header = true, all_varchar = true)", sqlString(csv))
		out := filepath.Join(dir, "curated", tb.Name)
		if err := os.MkdirAll(filepath.Join(dir, "curated"), 0o755); err != nil {
			return err
		}
		var q string
		if tb.TimeCol != "" {
			q = fmt.Sprintf("COPY (SELECT %s, year(CAST(%s AS %s)) AS year FROM %s) TO %s (FORMAT parquet, PARTITION_BY (year))",
				strings.Join(sel, ", "), tb.TimeCol, tb.Column(tb.TimeCol).Kind.SQLType(), src, sqlString(out))
		} else {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			q = fmt.Sprintf("COPY (SELECT %s FROM %s) TO %s (FORMAT parquet)", strings.Join(sel, ", "), src,
				sqlString(filepath.Join(out, "part-00000.parquet")))
		}
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("build lake %s: %w", tb.Name, err)
		}
	}
	return nil
}

// TestComputeUnreadableLake: a lake that is missing, or whose curated state cannot be
// read, is an error, never a snapshot of zeros (issue 12).
func TestComputeUnreadableLake(t *testing.T) {
	odd := t.TempDir()
	if err := os.WriteFile(filepath.Join(odd, "curated"), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"missing": filepath.Join(t.TempDir(), "missing"), "curated is a file": odd} {
		t.Run(name, func(t *testing.T) {
			snap, err := Compute(context.Background(), Config{Lake: dir, AsOf: testAsOf, Profile: testProfile(t), RiskConfig: testRiskConfig(t)})
			if err == nil {
				t.Fatalf("computed %d values from an unreadable lake", len(snap.Values))
			}
		})
	}
}
