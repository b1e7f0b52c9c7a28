package transform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSandbox: (3) writing, attaching, installing, changing settings, creating and
// reading outside the lake are refused; queries over the lake work.
func TestSandbox(t *testing.T) {
	lake := demoLake(t)
	runTransform(t, lake, "2024-03-01")
	ctx := context.Background()
	sb, err := OpenSandbox(ctx, SandboxConfig{Lake: lake, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()

	out := filepath.Join(lake, "stolen.csv")
	refused := []struct {
		name, query string
		refusal     bool // refused by the statement-type check (else by DuckDB's confinement)
	}{
		{"read outside the lake", "SELECT * FROM read_csv('/etc/passwd')", false},
		{"read outside the lake, text", "SELECT * FROM read_text('/etc/hostname')", false},
		{"read outside the lake by ..", "SELECT * FROM read_text('" + lake + "/../../../../etc/hostname')", false},
		{"a write hidden in query()", "SELECT * FROM query('COPY (SELECT 1) TO ''" + out + "''')", false},
		{"an attach hidden in query()", "SELECT * FROM query('ATTACH ''" + filepath.Join(lake, "x.duckdb") + "'' AS x')", false},
		{"copy to a file in the lake", "COPY (SELECT * FROM hazards) TO '" + out + "'", true},
		{"copy table", "COPY hazards TO '" + out + "' (FORMAT csv)", true},
		{"attach a new database in the lake", "ATTACH '" + filepath.Join(lake, "x.duckdb") + "' AS x", true},
		{"install", "INSTALL httpfs", true},
		{"load", "LOAD httpfs", true},
		{"set external access", "SET enable_external_access = true", true},
		{"set memory", "SET memory_limit = '100GB'", true},
		{"reset", "RESET lock_configuration", true},
		{"create table", "CREATE TABLE t AS SELECT 1", true},
		{"create view", "CREATE VIEW v AS SELECT 1", true},
		{"create temp table", "CREATE TEMP TABLE t (a INT)", true},
		{"drop view", "DROP VIEW hazards", true},
		{"insert", "INSERT INTO hazards SELECT * FROM hazards", true},
		{"export", "EXPORT DATABASE '" + filepath.Join(lake, "exp") + "'", true},
		{"pragma", "PRAGMA enable_profiling", true},
		{"two statements, the first a write", "COPY (SELECT 1) TO '" + out + "'; SELECT 1", true},
		{"explain analyze", "EXPLAIN ANALYZE COPY (SELECT 1) TO '" + out + "'", true},
		{"checkpoint", "CHECKPOINT", true},
		{"two selects", "SELECT 1; SELECT 2", true},
		{"a select hiding a copy", "SELECT 1 /* ; */; COPY (SELECT 1) TO '" + out + "'", true},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sb.Query(ctx, tt.query)
			if err == nil {
				t.Fatalf("%s: ran", tt.query)
			}
			var re *RefusedError
			if tt.refusal && !errors.As(err, &re) {
				t.Errorf("%s: %v, want a refusal", tt.query, err)
			}
			t.Logf("%s: %v", tt.query, err)
		})
	}
	for _, p := range []string{out, filepath.Join(lake, "x.duckdb"), filepath.Join(lake, "exp")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was written", p)
		}
	}

	works := []struct{ query, want string }{
		{"SELECT count(*) FROM hazards WHERE overdue", "1"},
		{"SELECT name FROM enterprises WHERE enterprise_id = 'E2'", "企业E2"},
		{"SELECT count(*) FROM read_parquet('" + filepath.Join(lake, "curated", "hazards", "*", "*.parquet") + "')", "4"},
		{"SELECT count(*) FROM data_checks WHERE status = 'warn'", "6"}, // 5 orphans, no 2024 statistics
		{"SELECT comment FROM duckdb_columns() WHERE table_name = 'hazards' AND column_name = 'overdue'", "逾期未整改 | not rectified or verified and past its deadline as of the transform (M24)"},
		{"  -- a comment\nWITH x AS (SELECT 2 AS n) SELECT n FROM x;", "2"},
		{"EXPLAIN SELECT * FROM hazards", ""},
		{"DESCRIBE hazards", ""},
		{"SHOW TABLES", ""},
		{"SUMMARIZE accidents", ""},
	}
	for _, w := range works {
		rs, err := sb.Query(ctx, w.query)
		if err != nil {
			t.Errorf("%s: %v", w.query, err)
			continue
		}
		if w.want != "" && (len(rs.Rows) != 1 || strings.TrimSpace(toString(rs.Rows[0][0])) != w.want) {
			t.Errorf("%s: %v, want %s", w.query, rs.Rows, w.want)
		}
	}
}

func toString(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

func TestSandboxTimeout(t *testing.T) {
	lake := t.TempDir()
	sb, err := OpenSandbox(context.Background(), SandboxConfig{Lake: lake, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	start := time.Now()
	_, err = sb.Query(context.Background(), "SELECT count(*) FROM range(10000000000) a")
	if err == nil || !strings.Contains(err.Error(), "time limit") {
		t.Errorf("long query: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}
