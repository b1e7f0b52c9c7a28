package transform

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// readerEnv makes the test binary a child process that holds the catalog open.
const readerEnv = "TRANSFORM_TEST_CATALOG_READER"

// countHazards opens the catalog read-only, as an analyst's DuckDB CLI or DBeaver
// would, and counts the hazards through its view.
func countHazards(db *sql.DB) (int64, error) {
	var n int64
	err := db.QueryRow("SELECT count(*) FROM hazards").Scan(&n)
	return n, err
}

// openReadOnly opens the catalog read-only as docs/console.md tells an analyst whose
// client does not run in the lake folder: the views' paths are relative to the lake,
// so file_search_path points there.
func openReadOnly(path string) (*sql.DB, error) {
	c, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", func(e driver.ExecerContext) error {
		_, err := e.ExecContext(context.Background(), "SET file_search_path = '"+strings.ReplaceAll(filepath.Dir(path), "'", "''")+"'", nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

// catalogReader is the child: it opens the catalog read-only, answers, says
// "ready", holds the catalog open until its stdin closes, then answers again.
func catalogReader(path string) int {
	db, err := openReadOnly(path)
	if err != nil {
		fmt.Println("open:", err)
		return 1
	}
	defer db.Close()
	n, err := countHazards(db)
	if err != nil {
		fmt.Println("query:", err)
		return 1
	}
	fmt.Printf("ready %d\n", n)
	io.Copy(io.Discard, os.Stdin)
	n, err = countHazards(db)
	if err != nil {
		fmt.Println("query after rebuild:", err)
		return 1
	}
	fmt.Printf("done %d\n", n)
	return 0
}

// TestCatalogOpenInAnotherProcess: (4) an analyst holds catalog.duckdb open read-only
// in another process while transform rebuilds it; both succeed.
func TestCatalogOpenInAnotherProcess(t *testing.T) {
	if p := os.Getenv(readerEnv); p != "" {
		os.Exit(catalogReader(p))
	}
	lakeDir := demoLake(t)
	runTransform(t, lakeDir, "2024-03-01")

	cmd := exec.Command(os.Args[0], "-test.run=^TestCatalogOpenInAnotherProcess$")
	cmd.Env = append(os.Environ(), readerEnv+"="+lake.CatalogPath(lakeDir))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "ready 4" {
		t.Fatalf("reader: %q", out.Text())
	}

	// The reader holds the catalog; transform rebuilds it (twice) regardless.
	writeBatch(t, lakeDir, safetyrisk.Hazards, batchID(t0.Add(time.Hour), "more"), []row{
		{"hazard_id": "H5", "enterprise_id": "E1", "region": firstRegion, "sector": "coal_mine", "found_on": day("2024-02-27"), "level": "general", "status": "open"},
	})
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for range 2 {
			if _, err := Run(ctx, Config{Lake: lakeDir, AsOf: day("2024-03-01"), Threads: 2}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("transform while the catalog is open elsewhere: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("transform blocked by the reader")
	}
	db, err := openReadOnly(lake.CatalogPath(lakeDir))
	if err != nil {
		t.Fatal(err)
	}
	n, err := countHazards(db)
	db.Close()
	if err != nil || n != 5 {
		t.Fatalf("new catalog: %d hazards, %v", n, err)
	}
	stdin.Close()
	var rest []string
	for out.Scan() {
		rest = append(rest, out.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("reader: %v (%q)", err, rest)
	}
	// The reader's views read lake/curated, which now points at the new state.
	if len(rest) == 0 || rest[len(rest)-1] != "done 5" {
		t.Errorf("reader after the rebuild: %q", strings.Join(rest, "\n"))
	}
}

// TestCatalogIndicators: the indicator views appear once a snapshot exists and point
// at the newest one; every curated view has its comments.
func TestCatalogIndicators(t *testing.T) {
	lakeDir := demoLake(t)
	runTransform(t, lakeDir, "2024-03-01")
	for i, v := range []float64{1, 2} {
		s := &safetyrisk.Snapshot{RunID: fmt.Sprintf("20240301T00000%dZ", i), Values: []safetyrisk.IndicatorValue{
			{Indicator: "hazards_overdue", Region: firstRegion, Sector: "all", Window: "month", AsOf: day("2024-03-01"), Value: v},
		}, Assessments: []safetyrisk.Assessment{{Region: firstRegion, Sector: "all", Year: 2024, Score: 90, Grade: "优秀"}}}
		if err := lake.WriteSnapshot(lakeDir, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := BuildCatalog(context.Background(), lakeDir); err != nil {
		t.Fatal(err)
	}
	db, err := openReadOnly(lake.CatalogPath(lakeDir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v float64
	var hist, grades int64
	if err := db.QueryRow("SELECT value FROM indicators").Scan(&v); err != nil || v != 2 {
		t.Errorf("indicators: %v %v", v, err)
	}
	if err := db.QueryRow("SELECT count(DISTINCT snapshot) FROM indicator_history").Scan(&hist); err != nil || hist != 2 {
		t.Errorf("indicator_history: %d snapshots, %v", hist, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM assessment WHERE grade = '优秀'").Scan(&grades); err != nil || grades != 1 {
		t.Errorf("assessment: %d, %v", grades, err)
	}
	var missing int64
	if err := db.QueryRow("SELECT count(*) FROM duckdb_columns() WHERE comment IS NULL AND table_name IN (SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name NOT IN ('indicators', 'assessment', 'indicator_history', 'data_checks'))").Scan(&missing); err != nil || missing != 0 {
		t.Errorf("%d curated columns without a comment (%v)", missing, err)
	}
	// Relocatable (issue 10): no view holds the lake's absolute path.
	var absolute int64
	if err := db.QueryRow("SELECT count(*) FROM duckdb_views() WHERE NOT internal AND (contains(sql, ?) OR contains(sql, 'read_parquet(''/'))", lakeDir).Scan(&absolute); err != nil || absolute != 0 {
		t.Errorf("%d views hold an absolute path (%v)", absolute, err)
	}
	var comment string
	if err := db.QueryRow("SELECT comment FROM duckdb_views() WHERE view_name = 'hazards'").Scan(&comment); err != nil || comment != "隐患 | hidden hazards and their rectification" {
		t.Errorf("hazards comment %q, %v", comment, err)
	}
}

// TestCuratedSchema: the files transform writes have exactly the columns of the table
// definition's curated schema (Table.CuratedColumns), in order, with its types: the one
// declaration the catalog's comments and the queries' empty views are taken from.
func TestCuratedSchema(t *testing.T) {
	lakeDir := demoLake(t)
	runTransform(t, lakeDir, "2024-03-01")
	for _, tb := range safetyrisk.Tables() {
		rows := query(t, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "+curated(lakeDir, tb)+")")
		var got, want []string
		for _, r := range rows {
			got = append(got, r[0]+" "+r[1])
		}
		for _, c := range tb.CuratedColumns() {
			typ := c.Kind.SQLType()
			if c.Kind == safetyrisk.KindTime {
				typ = "TIMESTAMP WITH TIME ZONE"
			}
			want = append(want, c.Name+" "+typ)
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s curated columns:\n got %s\nwant %s", tb.Name, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
}
