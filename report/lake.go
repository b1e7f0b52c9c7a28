package report

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/queries"
)

// The records the snapshot does not hold (the oldest overdue hazards, the month chart),
// read from the curated lake with DuckDB in memory: nothing is written.

//go:embed sql/*.sql
var sqlFS embed.FS

func sqlText(name string) (string, error) {
	b, err := sqlFS.ReadFile("sql/" + name + ".sql")
	if err != nil {
		return "", fmt.Errorf("sql %s: %w", name, err)
	}
	return string(b), nil
}

// lakeDB is an in-memory DuckDB with one view per curated table.
type lakeDB struct {
	db   *sql.DB
	conn *sql.Conn
}

// openLake opens DuckDB (profile time zone, 2 threads) with a view per curated table; a
// table without files is an empty view with the curated schema.
func openLake(ctx context.Context, dir, tz string) (*lakeDB, error) {
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	connector, err := duckdb.NewConnector("", func(ex driver.ExecerContext) error {
		for _, q := range []string{"SET TimeZone = '" + strings.ReplaceAll(tz, "'", "''") + "'", "SET threads = 2"} {
			if _, err := ex.ExecContext(ctx, q, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open lake: %w", err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open lake: %w", err)
	}
	l := &lakeDB{db: db, conn: conn}
	for _, name := range []string{"accidents", "hazards", "enterprises", "reports"} {
		t := safetyrisk.TableByName(name)
		if err := l.view(ctx, dir, t); err != nil {
			l.Close()
			return nil, err
		}
	}
	return l, nil
}

// view creates the view of one table over its curated Parquet files (lake.CuratedFiles:
// an unreadable lake is an error, not an empty table). The paths come from the lake
// directory only.
func (l *lakeDB) view(ctx context.Context, dir string, t *safetyrisk.Table) error {
	paths, err := lake.CuratedFiles(dir, t.Name)
	if err != nil {
		return err
	}
	files := make([]string, len(paths))
	for i, p := range paths {
		files[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
	}
	var q string
	if len(files) == 0 {
		cols := queries.CuratedColumns(t)
		sel := make([]string, len(cols))
		for i, c := range cols {
			sel[i] = fmt.Sprintf("CAST(NULL AS %s) AS %s", c[1], c[0])
		}
		q = fmt.Sprintf("CREATE VIEW %s AS SELECT %s WHERE false", t.Name, strings.Join(sel, ", "))
	} else {
		q = fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet([%s], hive_partitioning = %t, union_by_name = true)",
			t.Name, strings.Join(files, ", "), t.TimeCol != "")
	}
	if _, err := l.conn.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("view %s: %w", t.Name, err)
	}
	return nil
}

func (l *lakeDB) Close() error {
	err := l.conn.Close()
	if err2 := l.db.Close(); err == nil {
		err = err2
	}
	return err
}

// query runs an embedded SQL file with named arguments and scans each row with scan.
func (l *lakeDB) query(ctx context.Context, name string, args map[string]string, scan func(*sql.Rows) error) error {
	text, err := sqlText(name)
	if err != nil {
		return err
	}
	var named []any
	for k, v := range args {
		if strings.Contains(text, "$"+k) {
			named = append(named, sql.Named(k, v))
		}
	}
	rows, err := l.conn.QueryContext(ctx, text, named...)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// MonthCount is one month of the month chart.
type MonthCount struct {
	Year, Month      int
	Accidents, Death int64
}

// OverduePoint is the overdue major hazard stock of a sector at a month end.
type OverduePoint struct {
	MonthEnd time.Time
	Sector   string
	Overdue  int64
}

// OverdueHazard is one of the oldest overdue major hazards.
type OverdueHazard struct {
	ID, Region, Sector, Enterprise, FoundOn, Deadline string
	DaysOverdue                                       int64
	Listed                                            bool
}

// ConcealedAccident is an accident found concealed, with the report that revealed it.
type ConcealedAccident struct {
	ID, Region, Sector, OccurredOn string
	Deaths                         int64
	ByReport, Paid                 bool
	Reward                         float64
}

// lakeRecords are the records of the curated lake the report shows.
type lakeRecords struct {
	Months       []MonthCount
	OverdueTrend []OverduePoint
	Oldest       []OverdueHazard
	OldestTotal  int64 // the whole stock the oldest ten are taken from
	Concealed    []ConcealedAccident
	Rewards      RewardsDue
}

// RewardsDue are the rewards owed for the year's substantiated reports, and paid.
type RewardsDue struct {
	Owed, Paid         int64
	OwedYuan, PaidYuan float64
}

func readRecords(ctx context.Context, l *lakeDB, asOf time.Time, region string) (*lakeRecords, error) {
	args := map[string]string{
		"as_of":   asOf.Format(time.DateOnly),
		"lo":      time.Date(asOf.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		"year_lo": time.Date(asOf.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		"region":  region,
	}
	r := &lakeRecords{}
	err := l.query(ctx, "accidents_by_month", args, func(rows *sql.Rows) error {
		var m MonthCount
		if err := rows.Scan(&m.Year, &m.Month, &m.Accidents, &m.Death); err != nil {
			return err
		}
		r.Months = append(r.Months, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := l.query(ctx, "majors", args, func(*sql.Rows) error { return nil }); err != nil {
		return nil, err
	}
	err = l.query(ctx, "overdue_trend", args, func(rows *sql.Rows) error {
		var p OverduePoint
		var sector sql.NullString
		if err := rows.Scan(&p.MonthEnd, &sector, &p.Overdue); err != nil {
			return err
		}
		p.Sector = sector.String
		r.OverdueTrend = append(r.OverdueTrend, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = l.query(ctx, "oldest_overdue", args, func(rows *sql.Rows) error {
		var h OverdueHazard
		var region sql.NullString
		if err := rows.Scan(&h.ID, &region, &h.Sector, &h.Enterprise, &h.FoundOn, &h.Deadline, &h.DaysOverdue,
			&h.Listed, &r.OldestTotal); err != nil {
			return err
		}
		h.Region = region.String
		r.Oldest = append(r.Oldest, h)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = l.query(ctx, "rewards_due", args, func(rows *sql.Rows) error {
		return rows.Scan(&r.Rewards.Owed, &r.Rewards.OwedYuan, &r.Rewards.Paid, &r.Rewards.PaidYuan)
	})
	if err != nil {
		return nil, err
	}
	err = l.query(ctx, "concealed", args, func(rows *sql.Rows) error {
		var c ConcealedAccident
		var region sql.NullString
		if err := rows.Scan(&c.ID, &region, &c.Sector, &c.OccurredOn, &c.Deaths, &c.ByReport, &c.Reward, &c.Paid); err != nil {
			return err
		}
		c.Region = region.String
		r.Concealed = append(r.Concealed, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// samePeriodLastYear reads the accident figures of the same period a year before (asOf is that
// earlier date) as snapshot values of the scope: accidents by grade, deaths,
// serious_injuries and direct_loss, for the month and the year to date.
func samePeriodLastYear(ctx context.Context, l *lakeDB, asOf time.Time, scope, region string) (*safetyrisk.Snapshot, error) {
	args := map[string]string{
		"as_of":    asOf.Format(time.DateOnly),
		"month_lo": time.Date(asOf.Year(), asOf.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		"year_lo":  time.Date(asOf.Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
		"region":   region,
	}
	s := &safetyrisk.Snapshot{AsOf: asOf}
	totals := map[string]map[string]float64{}
	for _, w := range []string{safetyrisk.WindowMonth, safetyrisk.WindowYTD} {
		totals[w] = map[string]float64{}
		for _, g := range safetyrisk.AccidentGrades.Codes() {
			totals[w]["accidents/"+g] = 0
		}
	}
	err := l.query(ctx, "same_period_last_year", args, func(rows *sql.Rows) error {
		var win, grade string
		var n int64
		var deaths, serious, loss float64
		if err := rows.Scan(&win, &grade, &n, &deaths, &serious, &loss); err != nil {
			return err
		}
		t := totals[win]
		if t == nil {
			return fmt.Errorf("unknown window %q", win)
		}
		if _, ok := t["accidents/"+grade]; ok {
			t["accidents/"+grade] += float64(n)
		}
		t["deaths"] += deaths
		t["serious_injuries"] += serious
		t["direct_loss"] += loss
		return nil
	})
	if err != nil {
		return nil, err
	}
	for w, t := range totals {
		for k, v := range t {
			id, dim, _ := strings.Cut(k, "/")
			s.Values = append(s.Values, safetyrisk.IndicatorValue{Indicator: id, Region: scope, Sector: safetyrisk.AllSectors,
				Window: w, DimValue: dim, AsOf: asOf, Value: v})
		}
	}
	return s, nil
}
