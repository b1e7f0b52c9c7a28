package transform

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// row is one raw record by canonical column name; absent columns are NULL.
type row map[string]any

// testDB opens an in-memory DuckDB for a test.
func testDB(t testing.TB) *sql.DB {
	t.Helper()
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return db
}

// batchID follows docs/architecture.md: <UTC yyyymmddTHHMMSS.ffffffZ>-<8 hex of sha256>.
func batchID(at time.Time, source string) string {
	sum := sha256.Sum256([]byte(source))
	return at.UTC().Format("20060102T150405.000000Z") + "-" + hex.EncodeToString(sum[:4])
}

// writeBatch writes rows as a raw batch of table exactly as ingest's contract says
// (one column per table column with its lake type, plus _source_row, zstd, under
// raw/<table>/batch=<id>/part-00000.parquet) and appends it to manifest/batches.json.
func writeBatch(t testing.TB, lakeDir string, table *safetyrisk.Table, id string, rows []row) {
	t.Helper()
	writeBatchDB(t, testDB(t), lakeDir, table, id, rows)
}

// writeBatchDB is writeBatch on an open DuckDB, for a fixture that writes several
// batches (a new one costs about 15 ms); it replaces the DuckDB's table raw.
func writeBatchDB(t testing.TB, db *sql.DB, lakeDir string, table *safetyrisk.Table, id string, rows []row) {
	t.Helper()
	var defs, names, marks []string
	for _, c := range table.Columns {
		defs = append(defs, ident(c.Name)+" "+c.Kind.SQLType())
		names = append(names, c.Name)
		marks = append(marks, "?")
	}
	defs = append(defs, "_source_row BIGINT")
	marks = append(marks, "?")
	if _, err := db.Exec("CREATE OR REPLACE TABLE raw (" + strings.Join(defs, ", ") + ")"); err != nil {
		t.Fatal(err)
	}
	ins := "INSERT INTO raw VALUES (" + strings.Join(marks, ", ") + ")"
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := tx.Prepare(ins)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for k := range r {
			if table.Index(k) < 0 {
				t.Fatalf("fixture: %s has no column %s", table.Name, k)
			}
		}
		args := make([]any, 0, len(names)+1)
		for _, n := range names {
			args = append(args, r[n])
		}
		args = append(args, int64(i+2)) // row 1 is the header
		if _, err := stmt.Exec(args...); err != nil {
			t.Fatalf("fixture row %d: %v", i, err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(lakeDir, "raw", table.Name, "batch="+id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("COPY raw TO " + sqlString(filepath.Join(dir, "part-00000.parquet")) + " (FORMAT parquet, COMPRESSION zstd)"); err != nil {
		t.Fatal(err)
	}
	appendManifest(t, lakeDir, map[string]any{
		"batch_id": id, "table": table.Name, "source_path": "inbox/" + table.Name + ".csv",
		"source_sha256": strings.Repeat("0", 56) + id[len(id)-8:], "rows_read": len(rows), "rows_accepted": len(rows),
		"rows_quarantined": 0, "ingested_at": time.Now().UTC().Format(time.RFC3339), "top_reasons": []any{},
	})
}

func appendManifest(t testing.TB, lakeDir string, entry map[string]any) {
	t.Helper()
	path := filepath.Join(lakeDir, "manifest", "batches.json")
	var all []map[string]any
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &all); err != nil {
			t.Fatal(err)
		}
	}
	all = append(all, entry)
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// runTransform runs a transform of lake as of asOf and fails the test on error.
func runTransform(t testing.TB, lakeDir string, asOf string) *Result {
	t.Helper()
	d, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{Lake: lakeDir, AsOf: d, MemoryLimit: "256MB", Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// query returns the rows of a query over the current curated state as strings.
func query(t testing.TB, q string, args ...any) [][]string {
	t.Helper()
	return queryDB(t, testDB(t), q, args...)
}

// queryDB is query on an open DuckDB (a new one costs about 15 ms).
func queryDB(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				rec[i] = "NULL"
			case time.Time:
				rec[i] = x.UTC().Format(time.RFC3339)
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// curated is a read_parquet over a table of the lake's current curated state.
func curated(lakeDir string, t *safetyrisk.Table) string {
	return fmt.Sprintf("read_parquet(%s, hive_partitioning = false)", sqlString(curatedGlob(lake.CuratedDir(lakeDir), t)))
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func instant(s string) time.Time {
	d, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return d
}

var t0 = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

// firstRegion and otherRegion are regions of the built-in profile, the one the transform
// runs with by default, that the fixture rows are in.
var firstRegion, otherRegion = safetyrisk.Ordos().Regions[0].Code, safetyrisk.Ordos().Regions[3].Code

func enterprise(id string) row {
	return row{"enterprise_id": id, "name": "企业" + id, "region": firstRegion, "sector": "coal_mine", "status": "operating"}
}
