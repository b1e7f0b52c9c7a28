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
	for _, q := range []string{
		`CREATE TABLE enterprises AS SELECT 'E1' AS enterprise_id, '东胜建工' AS name`,
		`CREATE TABLE hazards AS SELECT * FROM (VALUES
			('H1', 'E1', '150602', 'construction', DATE '2024-09-01', DATE '2024-10-01', CAST(NULL AS DATE), 'open', 'major', true, true),
			('H2', 'E1', '150602', 'construction', DATE '2024-11-01', CAST(NULL AS DATE), CAST(NULL AS DATE), 'rectifying', 'major', false, true),
			('H3', 'E1', '150602', 'construction', DATE '2024-09-01', DATE '2024-10-01', DATE '2024-11-01', 'rectified', 'major', false, true),
			('H4', 'E1', '150602', 'construction', DATE '2024-09-01', DATE '2024-10-01', CAST(NULL AS DATE), 'open', 'general', false, true))
			AS t(hazard_id, enterprise_id, region, sector, found_on, deadline, rectified_on, status, level, listed_supervision, five_implementations)`,
		`CREATE TABLE enforcement AS SELECT 'C1' AS case_id, 'E1' AS enterprise_id, DATE '2024-12-01' AS decided_on, 'fine,suspension' AS actions`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
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
	// the register of open major hazards as of the snapshot's as-of date (2024-12-31): H1
	// (overdue 91 days, stopped on 12-01 after its deadline), H2 (no deadline: 五落实 missing);
	// H3 rectified, H4 general.
	var ids string
	var overdue int
	var stopped, missing bool
	if err := db.QueryRow(`SELECT string_agg(hazard_id, ',' ORDER BY hazard_id), max(days_overdue),
		bool_or(suspended_since_deadline) FILTER (WHERE hazard_id = 'H1'), bool_or(five_missing) FILTER (WHERE hazard_id = 'H2')
		FROM major_hazard_register`).Scan(&ids, &overdue, &stopped, &missing); err != nil {
		t.Fatal(err)
	}
	if ids != "H1,H2" || overdue != 91 || !stopped || !missing {
		t.Errorf("major_hazard_register: %s, overdue %d, stopped %v, five missing %v", ids, overdue, stopped, missing)
	}
	var comment sql.NullString
	if err := db.QueryRow("SELECT comment FROM duckdb_views() WHERE view_name = 'measures'").Scan(&comment); err != nil || !comment.Valid {
		t.Errorf("measures has no comment: %v", err)
	}
}
