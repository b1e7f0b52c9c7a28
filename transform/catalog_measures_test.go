package transform

import (
	"context"
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
)

// TestMeasuresViews: the register is in the catalog, one row per measure with the
// register's statuses, and measure_values joins each measure's indicators to the snapshot.
func TestMeasuresViews(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE indicators AS SELECT * FROM (VALUES
		('risk_published_ratio', '150602', 'all', 'ytd', '', DATE '2024-12-31', 0.5),
		('selfcheck_compliance', '150602', 'all', 'ytd', '', DATE '2024-12-31', 0.25),
		('deaths', '150602', 'all', 'ytd', '', DATE '2024-12-31', 3.0))
		AS t(indicator, region, sector, "window", dim_value, as_of, value)`); err != nil {
		t.Fatal(err)
	}
	q, err := loadQueries()
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := execMeasures(ctx, tx, q, true); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	ms, _ := safetyrisk.Measures()
	want := safetyrisk.MeasureCounts(ms)
	rows, err := db.Query("SELECT status, count(*) FROM measures GROUP BY status")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		if n != want[s] {
			t.Errorf("status %s: %d rows, want %d", s, n, want[s])
		}
		total += n
	}
	if total != 66 {
		t.Errorf("%d measures, want 66", total)
	}
	var title string
	var target float64
	if err := db.QueryRow("SELECT title, target_value FROM measures WHERE number = 51").Scan(&title, &target); err != nil || title != ms[50].Short || target != 0.75 {
		t.Errorf("M51: %q %v %v", title, target, err)
	}
	// M22: selfcheck_compliance (its first indicator) and risk_published_ratio; deaths is M17's
	var n, first int
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE first_indicator) FROM measure_values WHERE measure = 'M22'`).Scan(&n, &first); err != nil || n != 2 || first != 1 {
		t.Errorf("measure_values M22: %d rows, %d first, %v; want 2, 1", n, first, err)
	}
	var comment sql.NullString
	if err := db.QueryRow("SELECT comment FROM duckdb_views() WHERE view_name = 'measures'").Scan(&comment); err != nil || !comment.Valid {
		t.Errorf("measures has no comment: %v", err)
	}
}
