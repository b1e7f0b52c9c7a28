package queries

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// CuratedColumns returns the curated schema of a table (Table.CuratedColumns) as
// (name, DuckDB type).
func CuratedColumns(t *safetyrisk.Table) [][2]string {
	var cols [][2]string
	for _, c := range t.CuratedColumns() {
		cols = append(cols, [2]string{c.Name, c.Kind.SQLType()})
	}
	return cols
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// createViews defines one view per table over the current curated state. A table with
// no Parquet file yet is an empty view with the curated schema, so every query still
// runs; a lake without a curated state, or one that cannot be read, is an error (never
// a snapshot of zeros). Paths come from package lake only, never from other input. It
// returns the size of the files.
func createViews(ctx context.Context, conn *sql.Conn, dir string) (size int64, err error) {
	for _, t := range safetyrisk.Tables() {
		files, err := lake.CuratedFiles(dir, t.Name)
		if err != nil {
			return 0, err
		}
		for _, f := range files {
			fi, err := os.Stat(f)
			if err != nil {
				return 0, fmt.Errorf("view %s: %w", t.Name, err)
			}
			size += fi.Size()
		}
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
			return 0, fmt.Errorf("view %s: %w", t.Name, err)
		}
	}
	return size, nil
}
