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

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/sqlpool"
	"github.com/safetyrisk/safetyrisk/lake"
)

// Status is the outcome of a check, as dbt reports it (a string, as the checks file
// stores it: lake.Check.Status).
type Status = string

const (
	StatusPass Status = "pass"
	StatusWarn Status = "warn" // kept and reported: orphans, data warnings, stale tables
	StatusFail Status = "fail" // the curated data breaks a contract: duplicate keys, missing required values, unknown codes
)

// CheckResult is one data-quality check of one table (and column).
type CheckResult struct {
	Table    string
	Check    string // unique, not_null, accepted_values, relationships, flag, stats_year, freshness, row_count
	Column   string // the column checked ("" for table-wide checks)
	Status   Status
	Failures int64  // rows (or keys) that fail
	Detail   string // a few examples, or the numbers behind the status
}

// FreshnessWarnDays is how old a table's newest batch may be at the as-of day before
// freshness warns: the sources are monthly reports, so a little over a month.
// Freshness is data arrival (the newest batch ingested), not the newest event: a month
// without accidents is good news, not stale data (docs/rules.md, Freshness).
const FreshnessWarnDays = 35

// checker runs the checks of a curated state.
type checker struct {
	q           *queries
	conns       []*sql.Conn // the checks run on each at once (a small lake has more than one)
	profile     *safetyrisk.Profile
	asOf        time.Time
	newestBatch map[string]string // table -> id of its newest raw batch ("" none)
}

func (c *checker) one(ctx context.Context, conn *sql.Conn, name string, data any, args ...any) (int64, string, error) {
	s, err := c.q.render(name, data)
	if err != nil {
		return 0, "", err
	}
	var n int64
	var detail string
	if err := conn.QueryRowContext(ctx, s, args...).Scan(&n, &detail); err != nil {
		return 0, "", fmt.Errorf("%s.sql: %w", name, err)
	}
	return n, detail, nil
}

// checkJob is one query of the checks; it keeps its result itself.
type checkJob func(ctx context.Context, conn *sql.Conn) error

// all runs the jobs on each of the checker's connections at once, one job per
// connection at a time, and returns the error of the first job (in order) that failed.
func (c *checker) all(ctx context.Context, jobs []checkJob) error {
	errs := make([]error, len(jobs))
	sqlpool.Each(c.conns, len(jobs), func(i int, conn *sql.Conn) { errs[i] = jobs[i](ctx, conn) })
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// source is a read_parquet over a table's curated files in dir.
func source(dir string, t *safetyrisk.Table) string {
	return fmt.Sprintf("read_parquet(%s, hive_partitioning = false, union_by_name = true)", sqlString(curatedGlob(dir, t)))
}

// relations are the flag columns of the curated tables: dbt's relationships tests
// (warn: an orphan is kept) and the domain's data warnings.
var relations = []struct {
	table, flag, ref, check string
	not                     bool // the rows where the flag is false are the ones counted
}{
	{"inspections", "orphan", "enterprise_id", "relationships", false},
	{"hazards", "orphan", "enterprise_id", "relationships", false},
	{"hazards", "orphan_inspection", "inspection_id", "relationships", false},
	{"accidents", "orphan", "enterprise_id", "relationships", false},
	{"accidents", "grade_mismatch", "stated_grade", "flag", false}, // Decree 493 art. 3
	// a date without a time: left out of the late-report ratio (Decree 493 art. 9, docs/rules.md)
	{"accidents", "occurred_time_known", "occurred_at", "flag", true},
	// a fatal accident with a loss under 1,000 yuan: 万元 read as yuan? (docs/rules.md, Money)
	{"accidents", "implausible_loss", "direct_loss", "flag", false},
	{"enforcement", "orphan", "enterprise_id", "relationships", false},
	{"enforcement", "orphan_accident", "accident_id", "relationships", false},
	{"enforcement", "fine_out_of_range", "fine", "flag", false}, // Work Safety Law art. 114
	{"reports", "orphan", "enterprise_id", "relationships", false},
	{"risk_assessments", "orphan", "enterprise_id", "relationships", false},
}

// run checks the curated state in dir; prevDir is the previous state ("" for none). The
// queries run on the checker's connections at once; the results are in the order of the
// tables and their columns.
func (c *checker) run(ctx context.Context, dir, prevDir string) ([]CheckResult, error) {
	tables := safetyrisk.Tables()
	rows, prev := make([]int64, len(tables)), make([]int64, len(tables))
	var jobs []checkJob
	for i, t := range tables {
		jobs = append(jobs, func(ctx context.Context, conn *sql.Conn) error {
			n, _, err := c.stats(ctx, conn, source(dir, t), t)
			if err != nil {
				return fmt.Errorf("%s: %w", t.Name, err)
			}
			rows[i] = n
			return nil
		})
		if prevDir != "" {
			jobs = append(jobs, func(ctx context.Context, conn *sql.Conn) error {
				n, _, err := c.stats(ctx, conn, source(prevDir, t), t)
				if err != nil && !isMissing(err) {
					return fmt.Errorf("%s: previous: %w", t.Name, err)
				}
				prev[i] = n
				return nil
			})
		}
	}
	if err := c.all(ctx, jobs); err != nil {
		return nil, err
	}

	var out []CheckResult
	jobs = jobs[:0]
	regions := make([]string, len(c.profile.Regions))
	for i, r := range c.profile.Regions {
		regions[i] = r.Code
	}
	sectors := make([]string, len(c.profile.Sectors))
	for i, s := range c.profile.Sectors {
		sectors[i] = s.Code
	}
	for i, t := range tables {
		src := source(dir, t)
		// check adds a check's result, filled by its query. A table without rows passes
		// the row checks (0 failures, no example): the queries are skipped, a tenth of a
		// second per empty table.
		check := func(check, column string, bad Status, where, name string, data any, args ...any) {
			out = append(out, CheckResult{Table: t.Name, Check: check, Column: column, Status: StatusPass})
			if rows[i] == 0 {
				return
			}
			k := len(out) - 1
			jobs = append(jobs, func(ctx context.Context, conn *sql.Conn) error {
				n, d, err := c.one(ctx, conn, name, data, args...)
				if err != nil {
					return fmt.Errorf("%s: %w", where, err)
				}
				r := &out[k]
				r.Failures, r.Detail = n, d
				if n > 0 {
					r.Status = bad
				}
				return nil
			})
		}
		check("unique", strings.Join(t.Key, ","), StatusFail, t.Name, "check_unique", struct {
			Source string
			Key    []string
		}{src, t.Key})
		// The required columns' not_null checks are one query (check_not_null.sql), and
		// the coded columns' accepted_values checks another (check_accepted.sql): each
		// fills its results where they stand among the table's checks.
		type acceptedColumn struct {
			Name string
			Set  bool
		}
		var required []string
		var coded []acceptedColumn
		var requiredAt, codedAt []int
		var codes []any
		for _, col := range t.Columns {
			if col.Required {
				out = append(out, CheckResult{Table: t.Name, Check: "not_null", Column: col.Name, Status: StatusPass})
				required, requiredAt = append(required, col.Name), append(requiredAt, len(out)-1)
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
			out = append(out, CheckResult{Table: t.Name, Check: "accepted_values", Column: col.Name, Status: StatusPass})
			coded, codedAt = append(coded, acceptedColumn{col.Name, col.Kind == safetyrisk.KindEnumSet}), append(codedAt, len(out)-1)
			codes = append(codes, strings.Join(accepted, ","))
		}
		if rows[i] > 0 && len(required) > 0 {
			jobs = append(jobs, c.perColumn(t.Name, "check_not_null", struct {
				Source       string
				Columns, Key []string
			}{src, required, t.Key}, nil, requiredAt, &out))
		}
		if rows[i] > 0 && len(coded) > 0 {
			jobs = append(jobs, c.perColumn(t.Name, "check_accepted", struct {
				Source  string
				Columns []acceptedColumn
			}{src, coded}, codes, codedAt, &out))
		}
		for _, r := range relations {
			if r.table != t.Name {
				continue
			}
			check(r.check, r.flag, StatusWarn, t.Name+"."+r.flag, "check_flag", struct {
				Source, Flag, Ref string
				Key               []string
				Not               bool
			}{src, r.flag, r.ref, t.Key, r.not})
		}
		if t == safetyrisk.RegionStats {
			out = append(out, CheckResult{})
			k := len(out) - 1
			jobs = append(jobs, func(ctx context.Context, conn *sql.Conn) error {
				r, err := c.statsYear(ctx, conn, src, t)
				if err != nil {
					return fmt.Errorf("%s: %w", t.Name, err)
				}
				out[k] = r
				return nil
			})
		}
		if t.TimeCol != "" {
			out = append(out, c.freshness(t, c.newestBatch[t.Name]))
		}
		rc := CheckResult{Table: t.Name, Check: "row_count", Status: StatusPass, Detail: fmt.Sprintf("%d rows, first transform", rows[i])}
		if prevDir != "" {
			rc.Detail = fmt.Sprintf("%d -> %d rows (%+d)", prev[i], rows[i], rows[i]-prev[i])
			// Raw batches only accumulate and curated keeps one row per key, so a table
			// that shrinks lost data somewhere.
			if rows[i] < prev[i] {
				rc.Status, rc.Failures = StatusWarn, prev[i]-rows[i]
			}
		}
		out = append(out, rc)
	}
	// The jobs write into out by index: it is not appended to any more.
	if err := c.all(ctx, jobs); err != nil {
		return nil, err
	}
	return out, nil
}

// perColumn is the job of one kind of check on several columns of a table, in one
// query (name.sql, rendered with data, args bound): it gives each column's failures and
// detail in turn, written into *out at the indexes at when the job runs (out is not
// appended to any more by then). A column with failures fails.
func (c *checker) perColumn(table, name string, data any, args []any, at []int, out *[]CheckResult) checkJob {
	return func(ctx context.Context, conn *sql.Conn) error {
		s, err := c.q.render(name, data)
		if err != nil {
			return err
		}
		n := make([]int64, len(at))
		d := make([]string, len(at))
		dest := make([]any, 0, 2*len(at))
		for j := range at {
			dest = append(dest, &n[j], &d[j])
		}
		if err := conn.QueryRowContext(ctx, s, args...).Scan(dest...); err != nil {
			return fmt.Errorf("%s: %s.sql: %w", table, name, err)
		}
		for j, k := range at {
			r := &(*out)[k]
			r.Failures, r.Detail = n[j], d[j]
			if n[j] > 0 {
				r.Status = StatusFail
			}
		}
		return nil
	}
}

func isMissing(err error) bool {
	return err != nil && (errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), "No files found"))
}

func (c *checker) stats(ctx context.Context, conn *sql.Conn, src string, t *safetyrisk.Table) (int64, sql.NullTime, error) {
	var rows int64
	var newest sql.NullTime
	s, err := c.q.render("check_stats", struct{ Source, TimeCol string }{src, t.TimeCol})
	if err != nil {
		return 0, newest, err
	}
	if err := conn.QueryRowContext(ctx, s).Scan(&rows, &newest); err != nil {
		return 0, newest, fmt.Errorf("check_stats.sql: %w", err)
	}
	return rows, newest, nil
}

// freshness is dbt's freshness test on data arrival: the newest batch ingested for the
// table (its id starts with its UTC ingest time) against the as-of day, not the newest
// event of the table (a quiet month is not stale data).
func (c *checker) freshness(t *safetyrisk.Table, batch string) CheckResult {
	r := CheckResult{Table: t.Name, Check: "freshness", Column: "_batch_id", Status: StatusPass}
	if batch == "" {
		r.Status, r.Detail = StatusWarn, "no batch ingested"
		return r
	}
	at, err := lake.RunTime(batch)
	if err != nil {
		r.Status, r.Detail = StatusWarn, fmt.Sprintf("newest batch %q: no ingest time (%v)", batch, err)
		return r
	}
	day := at.UTC().Truncate(24 * time.Hour)
	age := int64(c.asOf.Sub(day).Hours() / 24)
	if age < 0 {
		r.Detail = fmt.Sprintf("newest batch %s ingested %s, after %s", batch, day.Format(time.DateOnly), c.asOf.Format(time.DateOnly))
		return r
	}
	r.Detail = fmt.Sprintf("newest batch %s ingested %s, %d days before %s (warn after %d)", batch, day.Format(time.DateOnly), age, c.asOf.Format(time.DateOnly), FreshnessWarnDays)
	if age > FreshnessWarnDays {
		r.Status, r.Failures = StatusWarn, age
	}
	return r
}

// statsYear checks that every region of the profile has statistics for the as-of year:
// without them a region has no rate (docs/rules.md, Rates).
func (c *checker) statsYear(ctx context.Context, conn *sql.Conn, src string, t *safetyrisk.Table) (CheckResult, error) {
	regions := make([]string, len(c.profile.Regions))
	for i, r := range c.profile.Regions {
		regions[i] = r.Code
	}
	n, d, err := c.one(ctx, conn, "check_stats_year", struct{ Source string }{src}, strings.Join(regions, ","), int64(c.asOf.Year()))
	if err != nil {
		return CheckResult{}, err
	}
	r := CheckResult{Table: t.Name, Check: "stats_year", Column: "year", Status: StatusPass, Failures: n,
		Detail: fmt.Sprintf("every region has %d statistics", c.asOf.Year())}
	if n > 0 {
		r.Status = StatusWarn
		r.Detail = fmt.Sprintf("no %d statistics, so no rates: %s", c.asOf.Year(), d)
	}
	return r, nil
}

// writeChecks writes the results to the lake's checks file atomically.
func writeChecks(ctx context.Context, conn *sql.Conn, q *queries, dir, runID string, asOf time.Time, checks []CheckResult) error {
	s, err := q.render("checks_table", nil)
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, s); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	if len(checks) > 0 {
		ins, err := q.render("check_insert", make([]struct{}, len(checks)))
		if err != nil {
			return err
		}
		args := make([]any, 0, 9*len(checks))
		for i, c := range checks {
			args = append(args, int64(i), runID, asOf.Format(time.DateOnly), c.Table, c.Check, c.Column, string(c.Status), c.Failures, c.Detail)
		}
		if _, err := conn.ExecContext(ctx, ins, args...); err != nil {
			return fmt.Errorf("write checks: %w", err)
		}
	}
	tmp := lake.ChecksTmpPath(dir, runID)
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	defer os.Remove(tmp)
	w, err := q.render("checks_write", struct{ Target string }{sqlString(tmp)})
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, w); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	if err := os.Rename(tmp, lake.ChecksPath(dir)); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	if err := lake.SyncDir(filepath.Dir(tmp)); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	return nil
}
