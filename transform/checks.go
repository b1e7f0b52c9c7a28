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
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
)

// Status is the outcome of a check, as dbt reports it.
type Status string

const (
	StatusPass Status = "pass"
	StatusWarn Status = "warn" // kept and reported: orphans, data warnings, stale tables
	StatusFail Status = "fail" // the curated data breaks a contract: duplicate keys, missing required values, unknown codes
)

// CheckResult is one data-quality check of one table (and column).
type CheckResult struct {
	Table    string
	Check    string // unique, not_null, accepted_values, relationships, flag, freshness, row_count
	Column   string // the column checked ("" for table-wide checks)
	Status   Status
	Failures int64  // rows (or keys) that fail
	Detail   string // a few examples, or the numbers behind the status
}

// FreshnessWarnDays is how old a table's newest record may be before freshness
// warns: the sources are monthly reports, so a little over a month.
const FreshnessWarnDays = 35

// checker runs the checks of a curated state.
type checker struct {
	q       *queries
	conn    *sql.Conn
	profile *safetyrisk.Profile
	asOf    time.Time
}

func (c *checker) one(ctx context.Context, name string, data any, args ...any) (int64, string, error) {
	s, err := c.q.render(name, data)
	if err != nil {
		return 0, "", err
	}
	var n int64
	var detail string
	if err := c.conn.QueryRowContext(ctx, s, args...).Scan(&n, &detail); err != nil {
		return 0, "", fmt.Errorf("%s.sql: %w", name, err)
	}
	return n, detail, nil
}

// source is a read_parquet over a table's curated files in dir.
func source(dir string, t *safetyrisk.Table) string {
	return fmt.Sprintf("read_parquet(%s, hive_partitioning = false, union_by_name = true)", sqlString(CuratedGlob(dir, t)))
}

// relations are the flag columns of the curated tables: dbt's relationships tests
// (warn: an orphan is kept) and the domain's data warnings.
var relations = []struct {
	table, flag, ref, check string
}{
	{"inspections", "orphan", "enterprise_id", "relationships"},
	{"hazards", "orphan", "enterprise_id", "relationships"},
	{"hazards", "orphan_inspection", "inspection_id", "relationships"},
	{"accidents", "orphan", "enterprise_id", "relationships"},
	{"accidents", "grade_mismatch", "stated_grade", "flag"}, // Decree 493 art. 3
	{"enforcement", "orphan", "enterprise_id", "relationships"},
	{"enforcement", "orphan_accident", "accident_id", "relationships"},
	{"enforcement", "fine_out_of_range", "fine", "flag"}, // Work Safety Law art. 114
	{"reports", "orphan", "enterprise_id", "relationships"},
	{"risk_assessments", "orphan", "enterprise_id", "relationships"},
}

// run checks the curated state in dir; prevDir is the previous state ("" for none).
func (c *checker) run(ctx context.Context, dir, prevDir string) ([]CheckResult, error) {
	var out []CheckResult
	add := func(t *safetyrisk.Table, check, column string, n int64, detail string, bad Status) {
		st := StatusPass
		if n > 0 {
			st = bad
		}
		out = append(out, CheckResult{Table: t.Name, Check: check, Column: column, Status: st, Failures: n, Detail: detail})
	}
	regions := make([]string, len(c.profile.Regions))
	for i, r := range c.profile.Regions {
		regions[i] = r.Code
	}
	sectors := make([]string, len(c.profile.Sectors))
	for i, s := range c.profile.Sectors {
		sectors[i] = s.Code
	}
	for _, t := range safetyrisk.Tables() {
		src := source(dir, t)
		n, d, err := c.one(ctx, "check_unique", struct {
			Source string
			Key    []string
		}{src, t.Key})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		add(t, "unique", strings.Join(t.Key, ","), n, d, StatusFail)
		for _, col := range t.Columns {
			if col.Required {
				n, d, err := c.one(ctx, "check_not_null", struct {
					Source, Column string
					Key            []string
				}{src, col.Name, t.Key})
				if err != nil {
					return nil, fmt.Errorf("%s.%s: %w", t.Name, col.Name, err)
				}
				add(t, "not_null", col.Name, n, d, StatusFail)
			}
			var accepted []string
			switch col.Kind {
			case safetyrisk.KindEnum, safetyrisk.KindEnumSet:
				accepted = col.Enum.Codes()
			case safetyrisk.KindRegion:
				accepted = regions
			case safetyrisk.KindSector:
				accepted = sectors
			default:
				continue
			}
			n, d, err := c.one(ctx, "check_accepted", struct {
				Source, Column string
				Set            bool
			}{src, col.Name, col.Kind == safetyrisk.KindEnumSet}, strings.Join(accepted, ","))
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t.Name, col.Name, err)
			}
			add(t, "accepted_values", col.Name, n, d, StatusFail)
		}
		for _, r := range relations {
			if r.table != t.Name {
				continue
			}
			n, d, err := c.one(ctx, "check_flag", struct {
				Source, Flag, Ref string
				Key               []string
			}{src, r.flag, r.ref, t.Key})
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", t.Name, r.flag, err)
			}
			add(t, r.check, r.flag, n, d, StatusWarn)
		}
		rows, newest, err := c.stats(ctx, src, t)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		if t.TimeCol != "" {
			out = append(out, c.freshness(t, rows, newest))
		}
		rc := CheckResult{Table: t.Name, Check: "row_count", Status: StatusPass, Detail: fmt.Sprintf("%d rows, first transform", rows)}
		if prevDir != "" {
			prev, _, err := c.stats(ctx, source(prevDir, t), t)
			if err != nil && !isMissing(err) {
				return nil, fmt.Errorf("%s: previous: %w", t.Name, err)
			}
			rc.Detail = fmt.Sprintf("%d -> %d rows (%+d)", prev, rows, rows-prev)
			// Raw batches only accumulate and curated keeps one row per key, so a table
			// that shrinks lost data somewhere.
			if rows < prev {
				rc.Status, rc.Failures = StatusWarn, prev-rows
			}
		}
		out = append(out, rc)
	}
	return out, nil
}

func isMissing(err error) bool {
	return err != nil && (errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), "No files found"))
}

func (c *checker) stats(ctx context.Context, src string, t *safetyrisk.Table) (int64, sql.NullTime, error) {
	var rows int64
	var newest sql.NullTime
	s, err := c.q.render("check_stats", struct{ Source, TimeCol string }{src, t.TimeCol})
	if err != nil {
		return 0, newest, err
	}
	if err := c.conn.QueryRowContext(ctx, s).Scan(&rows, &newest); err != nil {
		return 0, newest, fmt.Errorf("check_stats.sql: %w", err)
	}
	return rows, newest, nil
}

// freshness is dbt's freshness test: the newest record against the as-of day.
func (c *checker) freshness(t *safetyrisk.Table, rows int64, newest sql.NullTime) CheckResult {
	r := CheckResult{Table: t.Name, Check: "freshness", Column: t.TimeCol, Status: StatusPass}
	if rows == 0 || !newest.Valid {
		r.Status, r.Detail = StatusWarn, "no rows"
		return r
	}
	age := int64(c.asOf.Sub(newest.Time.UTC().Truncate(24*time.Hour)).Hours() / 24)
	r.Detail = fmt.Sprintf("newest %s, %d days before %s (warn after %d)", newest.Time.UTC().Format(time.DateOnly), age, c.asOf.Format(time.DateOnly), FreshnessWarnDays)
	if age > FreshnessWarnDays {
		r.Status, r.Failures = StatusWarn, age
	}
	return r
}

// writeChecks writes the results to lake/checks/latest.parquet atomically.
func writeChecks(ctx context.Context, conn *sql.Conn, q *queries, lake, runID string, asOf time.Time, checks []CheckResult) error {
	dir := filepath.Join(lake, checksDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	s, err := q.render("checks_table", nil)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, s); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	ins, err := q.render("check_insert", nil)
	if err != nil {
		return err
	}
	for i, c := range checks {
		if _, err := conn.ExecContext(ctx, ins, int64(i), runID, asOf.Format(time.DateOnly), c.Table, c.Check, c.Column, string(c.Status), c.Failures, c.Detail); err != nil {
			return fmt.Errorf("write checks: %w", err)
		}
	}
	tmp := filepath.Join(dir, ".tmp-"+runID+"-"+checksFile)
	defer os.Remove(tmp)
	w, err := q.render("checks_write", struct{ Target string }{sqlString(tmp)})
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, w); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, checksFile)); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	return syncDir(dir)
}

// Checks is the stored result of the last transform's checks.
type Checks struct {
	RunID   string
	AsOf    string // YYYY-MM-DD
	Results []CheckResult
}

// ErrNoChecks is returned when the lake has no check results yet.
var ErrNoChecks = errors.New("no data-quality checks in the lake yet (run 'safetyrisk transform')")

// ReadChecks reads lake/checks/latest.parquet.
func ReadChecks(ctx context.Context, lake string) (*Checks, error) {
	path := ChecksPath(lake)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoChecks
	}
	q, err := loadQueries()
	if err != nil {
		return nil, err
	}
	s, err := q.render("checks_read", struct{ Source string }{sqlString(path)})
	if err != nil {
		return nil, err
	}
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	rows, err := db.QueryContext(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	defer rows.Close()
	out := &Checks{}
	for rows.Next() {
		var c CheckResult
		var st string
		if err := rows.Scan(&out.RunID, &out.AsOf, &c.Table, &c.Check, &c.Column, &st, &c.Failures, &c.Detail); err != nil {
			return nil, fmt.Errorf("read checks: %w", err)
		}
		c.Status = Status(st)
		out.Results = append(out.Results, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	return out, nil
}
