package transform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// catalogViews are the views over the checks and the indicator snapshots.
var catalogViews = map[string][2]string{
	"data_checks":       {"数据质量检查", "data-quality checks of the last transform (unique, not_null, accepted_values, relationships, freshness, row_count)"},
	"indicators":        {"指标(最新快照)", "indicator values of the newest snapshot: indicator, region, sector, window, dim_value, as_of, value"},
	"assessment":        {"年度考核(最新快照)", "annual assessment of the newest snapshot (M5, M6)"},
	"indicator_history": {"指标历史", "indicator values of every snapshot, with the snapshot run id"},
}

// BuildCatalog rebuilds lake/catalog.duckdb: views over the curated tables, the
// checks and, when present, the indicator snapshots, with comments in Chinese and
// English. It is built in a temporary file in the lake and renamed over the old one,
// so that an analyst holding the catalog open read-only keeps the old file and is
// never locked out. Call it after an indicators run too, to point the indicator views
// at the newest snapshot. Its errors do not say "catalog": the caller names the step.
func BuildCatalog(ctx context.Context, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("lake path: %w", err)
	}
	q, err := loadQueries()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, lake.CatalogTmpPattern)
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	os.Remove(tmp) // DuckDB refuses an empty file as a database
	defer os.Remove(tmp)
	defer os.Remove(tmp + ".wal")
	if err := buildCatalog(ctx, q, dir, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, lake.CatalogPath(dir)); err != nil {
		return err
	}
	if err := lake.SyncDir(dir); err != nil {
		return err
	}
	return nil
}

func buildCatalog(ctx context.Context, q *queries, dir, path string) (err error) {
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return err
	}
	db := sql.OpenDB(connector)
	defer func() {
		if cerr := db.Close(); err == nil {
			err = cerr
		}
	}()
	// One transaction: a commit per comment would write the WAL hundreds of times.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The comments of the views and their columns (a few hundred) are run together at
	// the end, in one call, rather than one call each.
	var comments []string
	exec := func(name string, data any) error {
		s, err := q.render(name, data)
		if err != nil {
			return err
		}
		if name == "catalog_comment" {
			comments = append(comments, s)
			return nil
		}
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s.sql: %w", name, err)
		}
		return nil
	}
	type view struct {
		Name, Path, HiveTypes string
		Hive                  bool
	}
	type comment struct{ View, Column, Text string }
	both := func(zh, en string) string { return sqlString(zh + " | " + en) }

	// The views hold paths relative to the lake, so that the catalog works wherever
	// the lake folder is copied or mounted: a client resolves them against its working
	// directory (or its file_search_path), and here against the lake.
	if _, err := tx.ExecContext(ctx, "SET file_search_path = "+sqlString(dir)); err != nil {
		return err
	}
	if _, err := os.Stat(lake.CuratedDir(dir)); err == nil {
		var names []string
		for _, t := range safetyrisk.Tables() {
			// Without hive partitioning: the year= directories only repeat the time
			// column, and an empty table (no partition yet) keeps the same columns.
			v := view{Name: t.Name, Path: sqlString(curatedGlob(lake.CuratedDir("."), t))}
			if err := exec("catalog_view", v); err != nil {
				return err
			}
			names = append(names, t.Name)
		}
		// The columns of all the views in one query: each query of duckdb_columns()
		// binds every view of the catalog (reads the footers of its files).
		all, err := viewsColumns(ctx, tx, names)
		if err != nil {
			return err
		}
		for _, t := range safetyrisk.Tables() {
			if err := exec("catalog_comment", comment{t.Name, "", both(t.Chinese, t.Doc)}); err != nil {
				return err
			}
			for _, c := range all[t.Name] {
				col := t.CuratedColumn(c)
				if col == nil {
					continue
				}
				if err := exec("catalog_comment", comment{t.Name, c, both(col.Header, col.Doc)}); err != nil {
					return err
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var extra []view
	if _, err := os.Stat(lake.ChecksPath(dir)); err == nil {
		extra = append(extra, view{Name: "data_checks", Path: sqlString(lake.ChecksPath("."))})
	}
	ids, err := lake.ListSnapshots(dir)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		newest := ids[len(ids)-1]
		extra = append(extra,
			view{Name: "indicators", Path: sqlString(lake.SnapshotIndicatorsPath(".", newest))},
			view{Name: "assessment", Path: sqlString(lake.SnapshotAssessmentPath(".", newest))},
			view{Name: "indicator_history", Path: sqlString(lake.SnapshotIndicatorsPath(".", "*")),
				Hive: true, HiveTypes: "{'snapshot': VARCHAR}"})
	}
	for _, v := range extra {
		if err := exec("catalog_view", v); err != nil {
			return err
		}
		d := catalogViews[v.Name]
		if err := exec("catalog_comment", comment{v.Name, "", both(d[0], d[1])}); err != nil {
			return err
		}
	}
	if err := execMeasures(ctx, tx, q, len(ids) > 0); err != nil { // catalog_measures.go
		return err
	}
	if len(comments) > 0 {
		if _, err := tx.ExecContext(ctx, strings.Join(comments, ";\n")); err != nil {
			return fmt.Errorf("catalog_comment.sql: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "CHECKPOINT")
	return err
}

// relationExists reports whether the catalog has a view or table of that name (without
// binding every view, as a query of duckdb_columns() does).
func relationExists(ctx context.Context, db *sql.Tx, name string) (bool, error) {
	var n int64
	q := "SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name = $1) + (SELECT count(*) FROM duckdb_tables() WHERE table_name = $1)"
	if err := db.QueryRowContext(ctx, q, name).Scan(&n); err != nil {
		return false, fmt.Errorf("relation %s: %w", name, err)
	}
	return n > 0, nil
}

// viewsColumns returns the columns of each of the views, in order.
func viewsColumns(ctx context.Context, db *sql.Tx, views []string) (map[string][]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT table_name, column_name FROM duckdb_columns() WHERE list_contains(?, table_name) ORDER BY table_name, column_index", views)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", strings.Join(views, ", "), err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var v, c string
		if err := rows.Scan(&v, &c); err != nil {
			return nil, err
		}
		out[v] = append(out[v], c)
	}
	return out, rows.Err()
}
