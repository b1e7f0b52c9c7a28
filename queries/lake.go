package queries

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/safetyrisk/safetyrisk"
)

// derived are the columns transform adds to a curated table after the table's own
// (docs/architecture.md, Curated), with their DuckDB types.
var derived = map[string][][2]string{
	"accidents": {{"deaths_incl_missing", "BIGINT"}, {"grade", "VARCHAR"}, {"grade_mismatch", "BOOLEAN"},
		{"report_delay_minutes", "DOUBLE"}, {"late_report", "BOOLEAN"}, {"orphan", "BOOLEAN"}, {"implausible_loss", "BOOLEAN"}},
	"hazards": {{"overdue", "BOOLEAN"}, {"days_to_rectify", "BIGINT"}, {"rectified_on_time", "BOOLEAN"},
		{"orphan", "BOOLEAN"}, {"orphan_inspection", "BOOLEAN"}},
	"enforcement": {{"accident_grade", "VARCHAR"}, {"fine_out_of_range", "BOOLEAN"}, {"orphan", "BOOLEAN"},
		{"orphan_accident", "BOOLEAN"}},
	"inspections":      {{"orphan", "BOOLEAN"}},
	"reports":          {{"orphan", "BOOLEAN"}},
	"risk_assessments": {{"orphan", "BOOLEAN"}},
}

// carried are raw columns transform carries to curated before the table definition lists
// them (transform.go's list of the same name).
var carried = map[string][][2]string{"accidents": {{"occurred_time_known", "BOOLEAN"}}}

// CuratedColumns returns the curated schema of a table: its own columns in definition
// order, the derived ones, then _batch_id and _source_row, as (name, DuckDB type).
func CuratedColumns(t *safetyrisk.Table) [][2]string {
	var cols [][2]string
	for _, c := range t.Columns {
		cols = append(cols, [2]string{c.Name, c.Kind.SQLType()})
	}
	for _, c := range carried[t.Name] {
		if t.Index(c[0]) < 0 {
			cols = append(cols, c)
		}
	}
	cols = append(cols, derived[t.Name]...)
	return append(cols, [2]string{"_batch_id", "VARCHAR"}, [2]string{"_source_row", "BIGINT"})
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// createViews defines one view per table over lake/curated/<table>/. A table with no
// Parquet file yet is an empty view with the curated schema, so every query still runs.
// Paths are built from the lake directory only, never from other input.
func createViews(ctx context.Context, conn *sql.Conn, lake string) error {
	for _, t := range safetyrisk.Tables() {
		dir := filepath.Join(lake, "curated", t.Name)
		// Resolve the curated symlink once: the views then read one curated run even if
		// transform swaps the link while indicators are computed.
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real
		}
		var files []string
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(name, ".parquet") {
				files = append(files, p)
			}
			return nil
		})
		var q string
		if len(files) == 0 {
			cols := CuratedColumns(t)
			sel := make([]string, len(cols))
			for i, c := range cols {
				sel[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", c[1], c[0])
			}
			q = fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT %s WHERE false", t.Name, strings.Join(sel, ", "))
		} else {
			quoted := make([]string, len(files))
			for i, f := range files {
				quoted[i] = sqlString(f)
			}
			// Only the year-partitioned tables read the partition from the path
			// (region_stats has a year column of its own).
			q = fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT * FROM read_parquet([%s], hive_partitioning = %t, union_by_name = true)",
				t.Name, strings.Join(quoted, ", "), t.TimeCol != "")
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("view %s: %w", t.Name, err)
		}
	}
	return nil
}
