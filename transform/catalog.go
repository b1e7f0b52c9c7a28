package transform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
)

// derivedDocs describes the columns transform adds, in Chinese and English.
var derivedDocs = map[string][2]string{
	"deaths_incl_missing":  {"死亡(含失踪)人数", "deaths plus missing persons (Decree 493 art. 3)"},
	"grade":                {"事故等级(计算)", "accident grade computed by Decree 493 art. 3: general, large, major, extraordinary"},
	"grade_mismatch":       {"事故等级不符", "stated_grade given and different from the computed grade"},
	"report_delay_minutes": {"报告延迟(分钟)", "reported_at minus occurred_at, minutes"},
	"late_report":          {"迟报", "reported more than 60 minutes after it happened (Decree 493 art. 9, M58)"},
	"overdue":              {"逾期未整改", "not rectified or verified and past its deadline as of the transform (M24)"},
	"days_to_rectify":      {"整改用时(天)", "rectified_on minus found_on, days"},
	"rectified_on_time":    {"按期整改", "rectified on or before the deadline (M27)"},
	"accident_grade":       {"关联事故等级", "Decree 493 art. 3 grade of the case's accident"},
	"occurred_time_known":  {"发生时刻已知", "false when the occurrence was given as a date without a time: left out of the late-report ratio"},
	"implausible_loss":     {"损失金额存疑", "a fatal accident with a direct loss under 1,000 yuan: most likely 万元 read as yuan"},
	"fine_out_of_range":    {"罚款超出法定幅度", "fine below the minimum or above five times the maximum of Work Safety Law art. 114 for the accident's grade"},
	"orphan":               {"企业不存在", "enterprise_id not found in enterprises (kept, reported by the relationships check)"},
	"orphan_inspection":    {"检查记录不存在", "inspection_id given and not found in inspections"},
	"orphan_accident":      {"事故不存在", "accident_id given and not found in accidents"},
	"_batch_id":            {"批次", "raw batch the record comes from (the newest batch wins)"},
	"_source_row":          {"源文件行号", "row in the source file, 1-based, header rows counted"},
	"year":                 {"年份分区", "year partition of the table's time column, local time"},
}

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
// at the newest snapshot.
func BuildCatalog(ctx context.Context, lake string) error {
	lake, err := filepath.Abs(lake)
	if err != nil {
		return fmt.Errorf("build catalog: %w", err)
	}
	q, err := loadQueries()
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(lake, ".tmp-catalog-*.duckdb")
	if err != nil {
		return fmt.Errorf("build catalog: %w", err)
	}
	tmp := f.Name()
	f.Close()
	os.Remove(tmp) // DuckDB refuses an empty file as a database
	defer os.Remove(tmp)
	defer os.Remove(tmp + ".wal")
	if err := buildCatalog(ctx, q, lake, tmp); err != nil {
		return fmt.Errorf("build catalog: %w", err)
	}
	if err := os.Rename(tmp, CatalogPath(lake)); err != nil {
		return fmt.Errorf("build catalog: %w", err)
	}
	return syncDir(lake)
}

func buildCatalog(ctx context.Context, q *queries, lake, path string) (err error) {
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
	exec := func(name string, data any) error {
		s, err := q.render(name, data)
		if err != nil {
			return err
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
	if _, err := tx.ExecContext(ctx, "SET file_search_path = "+sqlString(lake)); err != nil {
		return err
	}
	rel := func(p string) (string, error) { return filepath.Rel(lake, p) }
	if _, err := os.Stat(CuratedDir(lake)); err == nil {
		for _, t := range safetyrisk.Tables() {
			// Without hive partitioning: the year= directories only repeat the time
			// column, and an empty table (no partition yet) keeps the same columns.
			v := view{Name: t.Name, Path: sqlString(CuratedGlob(curatedLink, t))}
			if err := exec("catalog_view", v); err != nil {
				return err
			}
			if err := exec("catalog_comment", comment{t.Name, "", both(t.Chinese, t.Doc)}); err != nil {
				return err
			}
			cols, err := viewColumns(ctx, tx, t.Name)
			if err != nil {
				return err
			}
			for _, c := range cols {
				var zh, en string
				if col := t.Column(c); col != nil {
					zh, en = col.Header, col.Doc
				} else if d, ok := derivedDocs[c]; ok {
					zh, en = d[0], d[1]
				} else {
					continue
				}
				if err := exec("catalog_comment", comment{t.Name, c, both(zh, en)}); err != nil {
					return err
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var extra []view
	if _, err := os.Stat(ChecksPath(lake)); err == nil {
		extra = append(extra, view{Name: "data_checks", Path: sqlString(ChecksPath("."))})
	}
	ids, err := safetyrisk.ListSnapshots(lake)
	if err != nil {
		return err
	}
	if len(ids) > 0 {
		snapshots, err := rel(safetyrisk.SnapshotDir(lake))
		if err != nil {
			return err
		}
		dir := filepath.Join(snapshots, "snapshot="+ids[len(ids)-1])
		extra = append(extra,
			view{Name: "indicators", Path: sqlString(filepath.Join(dir, "indicators.parquet"))},
			view{Name: "assessment", Path: sqlString(filepath.Join(dir, "assessment.parquet"))},
			view{Name: "indicator_history", Path: sqlString(filepath.Join(snapshots, "snapshot=*", "indicators.parquet")),
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
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, "CHECKPOINT")
	return err
}

func viewColumns(ctx context.Context, db *sql.Tx, view string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", view)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", view, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
