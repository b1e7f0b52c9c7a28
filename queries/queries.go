// Package queries computes the indicator catalogue (safetyrisk.Catalogue, docs/metrics.md)
// from the curated lake with DuckDB, then the composite risk index, the veto and the annual
// assessment from those values.
//
// It reads lake/curated/<table>/ (Parquet, docs/architecture.md) and returns a
// safetyrisk.Snapshot; it writes nothing (the caller writes with lake.WriteSnapshot).
// The SQL lives in embedded files under sql/, one per family, each opening with a header
// (ids, what it measures, unit, which way is worse, M-numbers, parameters); Files lists them.
//
//	eng, err := queries.Open(ctx, queries.Config{Lake: "lake", AsOf: asOf, Logger: log})
//	defer eng.Close()
//	snap, err := eng.Compute(ctx, asOf)
package queries

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/sqlpool"
	"github.com/safetyrisk/safetyrisk/lake"
)

// Config configures the computation.
type Config struct {
	Lake       string              // lake directory (reads Lake/curated/)
	AsOf       time.Time           // the date the windows end on (its calendar date is used)
	Profile    *safetyrisk.Profile // nil: the built-in Ordos profile
	RiskConfig *RiskConfig         // nil: the embedded default riskindex.json
	Logger     *slog.Logger        // nil: discard
	// InvestigationTermDays is the accident investigation term after which a fatal
	// accident without a transfer is a 以罚代刑 signal (M50); 0: 60 + 60 days, Decree 493
	// art. 29 (safetyrisk.InvestigationTermDays).
	InvestigationTermDays int
	// RewardPayDays is the term after verification within which a reward due is paid on
	// time (M57); 0: safetyrisk.RewardPayDays.
	RewardPayDays int
	// MemoryLimit bounds DuckDB's memory (DuckDB syntax, "512MB"); past it, the joins and
	// aggregations spill to a folder in the lake's temporary area (.tmp-queries-*, made
	// only when needed and removed on Close). "": DefaultMemoryLimit.
	MemoryLimit string
	// DimEnums replaces the breakdown values (DimEnum) of catalogue indicators, by
	// indicator id; nil: the catalogue's. The SQL reads them from the table dim_values
	// (dims.go); a test extends an enum with them.
	DimEnums map[string]*safetyrisk.Enum
}

// DefaultMemoryLimit is DuckDB's memory limit when Config.MemoryLimit is empty: with the
// Go heap and what DuckDB allocates outside its buffer pool, it keeps the whole process
// under 1 GB at 50 times a city's data (make bench).
const DefaultMemoryLimit = "512MB"

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	if c.Lake == "" {
		return errors.New("config: lake directory is required")
	}
	if c.Profile == nil {
		c.Profile = safetyrisk.Ordos()
	}
	if c.RiskConfig == nil {
		rc, err := DefaultRiskConfig()
		if err != nil {
			return err
		}
		c.RiskConfig = rc
	}
	if err := c.RiskConfig.Validate(); err != nil {
		return err
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MemoryLimit == "" {
		c.MemoryLimit = DefaultMemoryLimit
	}
	if c.InvestigationTermDays == 0 {
		c.InvestigationTermDays = safetyrisk.InvestigationTermDays
	}
	if c.RewardPayDays == 0 {
		c.RewardPayDays = safetyrisk.RewardPayDays
	}
	if c.InvestigationTermDays < 0 || c.RewardPayDays < 0 {
		return fmt.Errorf("config: investigation term %d and reward term %d days must not be negative", c.InvestigationTermDays, c.RewardPayDays)
	}
	return nil
}

// MinExperienceYears is the practice that counts as "practical experience" for M51's
// qualified officers; the plan names no number, so three years is this project's choice.
const MinExperienceYears = 3

// Engine holds an in-memory DuckDB over a lake (one connection, two on a small lake), so
// that many as-of dates (backfill) are computed without reopening anything. The curated files are listed when
// it opens (reopen after a transform). It is not safe for concurrent use.
type Engine struct {
	cfg  Config
	db   *sql.DB
	conn *sql.Conn
	// more are the connections beside conn that Compute runs SQL files on at the same
	// time: on a small lake only (sqlpool.SmallBytes). The tables windows and dim_values
	// are the database's, so every connection reads them.
	more  []*sql.Conn
	files []File
	dims  map[string]*safetyrisk.Enum // each breakdown's values, by indicator id (dims.go)
	spill string                      // DuckDB's temp_directory, removed on Close
	// Timings of the last Compute, per file.
	Timings map[string]time.Duration
}

// Open validates cfg and opens DuckDB (in memory, TimeZone of the profile, 2 threads, the
// memory limit and a spill folder in the lake) with a view per curated table, and a
// second connection when the lake is small (sqlpool.SmallBytes).
func Open(ctx context.Context, cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	files, err := Files()
	if err != nil {
		return nil, err
	}
	dims, err := dimEnums(cfg.DimEnums)
	if err != nil {
		return nil, err
	}
	tz := cfg.Profile.Timezone
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("open: time zone %q: %w", tz, err)
	}
	spill, err := spillDir(cfg.Lake)
	if err != nil {
		return nil, err
	}
	// parquet_metadata_cache: every SQL file reads the views again, and each read of a
	// view parsed the footers of all its files (union_by_name); cached, a Compute on a
	// lake of a few rows takes 0.2 s instead of 0.4 s. The curated files of a run are
	// never rewritten (a transform writes a new state), and the cache checks a file's
	// modification time.
	set := []string{"SET TimeZone = " + sqlString(tz), "SET threads = 2", "SET parquet_metadata_cache = true",
		"SET memory_limit = " + sqlString(cfg.MemoryLimit), "SET temp_directory = " + sqlString(spill)}
	connector, err := duckdb.NewConnector("", func(ex driver.ExecerContext) error {
		for _, q := range set {
			if _, err := ex.ExecContext(ctx, q, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	e := &Engine{cfg: cfg, db: db, conn: conn, files: files, dims: dims, spill: spill}
	size, err := createViews(ctx, conn, cfg.Lake)
	if err != nil {
		e.Close()
		return nil, err
	}
	if err := createDimValues(ctx, conn, dims); err != nil {
		e.Close()
		return nil, err
	}
	if size <= sqlpool.SmallBytes {
		for range parallelFiles - 1 {
			c, err := db.Conn(ctx)
			if err != nil {
				e.Close()
				return nil, fmt.Errorf("open duckdb: %w", err)
			}
			e.more = append(e.more, c)
		}
	}
	return e, nil
}

// parallelFiles is how many SQL files Compute runs at a time on a small lake
// (sqlpool.SmallBytes): the two threads DuckDB is given.
const parallelFiles = 2

// Close releases the connections.
func (e *Engine) Close() error {
	var err error
	for _, c := range e.more {
		if err2 := c.Close(); err == nil {
			err = err2
		}
	}
	if err2 := e.conn.Close(); err == nil {
		err = err2
	}
	if err2 := e.db.Close(); err == nil {
		err = err2
	}
	if err2 := os.RemoveAll(e.spill); err == nil {
		err = err2
	}
	return err
}

// spillDir names a spill folder of its own in the lake's temporary area
// (lake.QuerySpillDir): not a .tmp-duckdb- one, which a transform starting meanwhile
// removes as a dead transform's (lake.RemoveStale) while an indicators run or a server
// may be spilling. DuckDB makes it only when it spills; a killed run's is removed by the
// next transform.
func spillDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	return lake.QuerySpillDir(abs, hex.EncodeToString(b[:])), nil
}

// Compute is Open, Engine.Compute at cfg.AsOf and Close.
func Compute(ctx context.Context, cfg Config) (*safetyrisk.Snapshot, error) {
	if cfg.AsOf.IsZero() {
		return nil, errors.New("compute: as-of date is required")
	}
	e, err := Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	return e.Compute(ctx, cfg.AsOf)
}

// Window is one window's bounds, both inclusive.
type Window struct {
	Name   string
	Lo, Hi time.Time
}

// day returns t's calendar date as midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// WindowsAt returns the four windows ending on asOf: the month, the quarter and the year
// to date, and the 12 months ending on asOf (from a year before the day after asOf).
func WindowsAt(asOf time.Time) []Window {
	d := day(asOf)
	y, m, _ := d.Date()
	q := time.Month((int(m)-1)/3*3 + 1)
	return []Window{
		{safetyrisk.WindowMonth, time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), d},
		{safetyrisk.WindowQuarter, time.Date(y, q, 1, 0, 0, 0, 0, time.UTC), d},
		{safetyrisk.WindowYTD, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), d},
		{safetyrisk.Window12M, d.AddDate(0, 0, 1).AddDate(-1, 0, 0), d},
	}
}

// params are the named arguments the SQL files may use; each file is given those it names.
func (e *Engine) params(asOf time.Time) map[string]any {
	d := day(asOf)
	lo := d
	for _, w := range WindowsAt(d) {
		if w.Lo.Before(lo) {
			lo = w.Lo
		}
	}
	p := e.cfg.Profile
	var regions, sectors, industrial, hazardous []string
	for _, r := range p.Regions {
		regions = append(regions, r.Code)
	}
	for _, s := range p.Sectors {
		sectors = append(sectors, s.Code)
		if s.Industrial {
			industrial = append(industrial, s.Code)
		}
		if s.Hazardous {
			hazardous = append(hazardous, s.Code)
		}
	}
	y0 := time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	// the elapsed share of the year, as_of included (docs/rules.md, Rates)
	yearShare := (d.Sub(y0).Hours()/24 + 1) / (y0.AddDate(1, 0, 0).Sub(y0).Hours() / 24)
	return map[string]any{
		"as_of":                date(d),
		"state_window":         safetyrisk.WindowAsOf,
		"year_share":           yearShare,
		"term_days":            duckdb.Typed(int32(e.cfg.InvestigationTermDays), duckdb.TYPE_INTEGER),
		"reward_days":          duckdb.Typed(int32(e.cfg.RewardPayDays), duckdb.TYPE_INTEGER),
		"reward_subjects":      strings.Join(safetyrisk.RewardSubjects, ","),
		"reward_min":           float64(safetyrisk.RewardMin),
		"reward_max":           float64(safetyrisk.RewardMax),
		"reward_min_concealed": float64(safetyrisk.ConcealedAccidentRewardMin),
		"lo":                   date(lo),
		"year_lo":              date(time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)),
		"city":                 p.City.Code,
		"regions":              strings.Join(regions, ","),
		"sectors":              strings.Join(sectors, ","),
		"industrial":           strings.Join(industrial, ","),
		"hazardous":            strings.Join(hazardous, ","),
		"verify_days":          duckdb.Typed(int32(safetyrisk.VerifyDeadlineDays), duckdb.TYPE_INTEGER),
		"min_experience_years": duckdb.Typed(int32(MinExperienceYears), duckdb.TYPE_INTEGER),
		// Decree 493 art. 13: the days after the accident within which a change of its
		// casualties is reported again (补报), and which accidents have the short term
		"supp_days":          duckdb.Typed(int32(safetyrisk.SupplementaryTermDays), duckdb.TYPE_INTEGER),
		"supp_short_days":    duckdb.Typed(int32(safetyrisk.SupplementaryShortTermDays), duckdb.TYPE_INTEGER),
		"supp_short_sectors": strings.Join(safetyrisk.SupplementaryShortSectors, ","),
		"supp_short_type":    safetyrisk.SupplementaryShortType,
		"yearly_documents":   strings.Join(safetyrisk.YearlyDocuments, ","), // M3, M8, M10
	}
}

// date binds t as a DuckDB DATE (not a TIMESTAMP, which a time zone could shift).
func date(t time.Time) duckdb.TypedValue { return duckdb.Typed(t, duckdb.TYPE_DATE) }

func (e *Engine) args(f File, asOf time.Time) ([]any, error) {
	all := e.params(asOf)
	var args []any
	for _, name := range f.Params {
		v, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("sql file %s: unknown parameter $%s", f.Name, name)
		}
		args = append(args, sql.Named(name, v))
	}
	return args, nil
}

// setWindows (re)creates the table windows(win, lo, hi) for asOf: a table of the
// engine's in-memory database, which all its connections read (dim_values too).
func (e *Engine) setWindows(ctx context.Context, asOf time.Time) error {
	if _, err := e.conn.ExecContext(ctx, "CREATE OR REPLACE TABLE windows (win VARCHAR, lo DATE, hi DATE)"); err != nil {
		return fmt.Errorf("windows: %w", err)
	}
	for _, w := range WindowsAt(asOf) {
		if _, err := e.conn.ExecContext(ctx, "INSERT INTO windows VALUES ($1, $2, $3)", w.Name, date(w.Lo), date(w.Hi)); err != nil {
			return fmt.Errorf("windows: %w", err)
		}
	}
	return nil
}

// Compute computes every catalogue indicator as of asOf (a date), the risk index, the veto
// and the assessment. The snapshot's RunID is left empty for the caller.
func (e *Engine) Compute(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
	start := time.Now()
	asOf = day(asOf)
	if err := e.setWindows(ctx, asOf); err != nil {
		return nil, err
	}
	e.Timings = map[string]time.Duration{}
	results := e.runFiles(ctx, asOf)
	vals := newValueSet(e.cfg.Profile, asOf, e.dims)
	var events []VetoEvent
	// In file order, as if run one after the other: the same values, the same first error.
	for i, f := range e.files {
		r := results[i]
		if r.err != nil {
			return nil, r.err
		}
		for _, v := range r.values {
			if err := vals.add(v); err != nil {
				return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
			}
		}
		if f.Name == vetoFile {
			events = r.events
		}
		e.Timings[f.Name] = r.took
	}
	vals.zeroFill()
	snap := &safetyrisk.Snapshot{AsOf: asOf}
	snap.Values = vals.list()
	derivedVals, assessments, err := e.cfg.RiskConfig.derive(e.cfg.Profile, asOf, snap.Values, events)
	if err != nil {
		return nil, err
	}
	snap.Values = append(snap.Values, derivedVals...)
	snap.Assessments = assessments
	sortValues(snap.Values)
	e.cfg.Logger.Info("indicators computed", "as_of", asOf.Format(time.DateOnly), "values", len(snap.Values),
		"assessments", len(snap.Assessments), "duration", time.Since(start).Round(time.Millisecond))
	return snap, nil
}

const vetoFile = "veto.sql"

// fileResult is what one SQL file gave.
type fileResult struct {
	values []safetyrisk.IndicatorValue // an indicator file's rows
	events []VetoEvent                 // veto.sql's
	took   time.Duration
	err    error
}

// runFiles runs every SQL file as of asOf, on each of the engine's connections at once
// (one file per connection at a time), and returns their results in file order.
func (e *Engine) runFiles(ctx context.Context, asOf time.Time) []fileResult {
	out := make([]fileResult, len(e.files))
	sqlpool.Each(append([]*sql.Conn{e.conn}, e.more...), len(e.files), func(i int, c *sql.Conn) {
		f, t0 := e.files[i], time.Now()
		r := &out[i]
		if f.Name == vetoFile {
			r.events, r.err = e.vetoEvents(ctx, c, f, asOf)
		} else {
			r.values, r.err = e.runFile(ctx, c, f, asOf)
		}
		r.took = time.Since(t0)
	})
	return out
}

// runFile runs one indicator file and returns its rows; a NULL value (no denominator) is
// no row.
func (e *Engine) runFile(ctx context.Context, conn *sql.Conn, f File, asOf time.Time) ([]safetyrisk.IndicatorValue, error) {
	args, err := e.args(f, asOf)
	if err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, f.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
	}
	defer rows.Close()
	var out []safetyrisk.IndicatorValue
	for rows.Next() {
		var ind, region, sector, win, dim string
		var v sql.NullFloat64
		if err := rows.Scan(&ind, &region, &sector, &win, &dim, &v); err != nil {
			return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
		}
		if !v.Valid || math.IsNaN(v.Float64) || math.IsInf(v.Float64, 0) {
			continue
		}
		out = append(out, safetyrisk.IndicatorValue{Indicator: ind, Region: region, Sector: sector, Window: win,
			DimValue: dim, AsOf: asOf, Value: v.Float64})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
	}
	return out, nil
}

// VetoEvent is one event of the year that vetoes the 优秀 grade (M6, M31).
type VetoEvent struct {
	Kind         string // "accident" (M6) or "m31"
	ID           string // accident_id or hazard_id
	Region       string
	Sector       string
	On           time.Time
	Grade        string // accident grade code
	Deaths       int64
	EnterpriseID string
}

func (e *Engine) vetoEvents(ctx context.Context, conn *sql.Conn, f File, asOf time.Time) ([]VetoEvent, error) {
	args, err := e.args(f, asOf)
	if err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, f.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
	}
	defer rows.Close()
	var out []VetoEvent
	for rows.Next() {
		var ev VetoEvent
		var sector, grade, ent sql.NullString
		if err := rows.Scan(&ev.Kind, &ev.ID, &ev.Region, &sector, &ev.On, &grade, &ev.Deaths, &ent); err != nil {
			return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
		}
		ev.Sector, ev.Grade, ev.EnterpriseID = sector.String, grade.String, ent.String
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sql file %s: %w", f.Name, err)
	}
	return out, nil
}

// valueSet collects the values of one as-of date, keyed, and knows the rows every
// catalogue entry must have.
type valueSet struct {
	profile *safetyrisk.Profile
	asOf    time.Time
	cat     map[string]safetyrisk.Indicator
	dims    map[string]*safetyrisk.Enum // each breakdown's values, by indicator id
	m       map[valueKey]float64
}

type valueKey struct{ ind, region, sector, win, dim string }

func newValueSet(p *safetyrisk.Profile, asOf time.Time, dims map[string]*safetyrisk.Enum) *valueSet {
	cat := map[string]safetyrisk.Indicator{}
	for _, in := range safetyrisk.Catalogue() {
		cat[in.ID] = in
	}
	return &valueSet{profile: p, asOf: asOf, cat: cat, dims: dims, m: map[valueKey]float64{}}
}

func (s *valueSet) add(v safetyrisk.IndicatorValue) error {
	in, ok := s.cat[v.Indicator]
	if !ok {
		return fmt.Errorf("indicator %q is not in the catalogue", v.Indicator)
	}
	if !contains(in.WindowList(), v.Window) {
		return fmt.Errorf("indicator %s: window %q, want one of %v", v.Indicator, v.Window, in.WindowList())
	}
	if e := s.dims[v.Indicator]; (e == nil && v.DimValue != "") || (e != nil && !contains(e.Codes(), v.DimValue)) {
		return fmt.Errorf("indicator %s: dim value %q is not one of its breakdown's codes", v.Indicator, v.DimValue)
	}
	k := valueKey{v.Indicator, v.Region, v.Sector, v.Window, v.DimValue}
	if _, dup := s.m[k]; dup {
		return fmt.Errorf("indicator %s computed twice for %s/%s/%s/%s", v.Indicator, v.Region, v.Sector, v.Window, v.DimValue)
	}
	s.m[k] = v.Value
	return nil
}

// keys are the (region, sector) pairs of a snapshot: each region with all sectors, the
// city with each sector, the city with all.
func keys(p *safetyrisk.Profile) [][2]string {
	var out [][2]string
	for _, r := range p.Regions {
		out = append(out, [2]string{r.Code, safetyrisk.AllSectors})
	}
	for _, s := range p.Sectors {
		out = append(out, [2]string{p.City.Code, s.Code})
	}
	return append(out, [2]string{p.City.Code, safetyrisk.AllSectors})
}

// zeroFill gives every count, amount and age indicator (unit count, yuan or seconds) a
// row for every key, window (WindowAsOf for a state) and dim value, zero when nothing was
// found, so that series are stable. Ratios and rates stay absent without a denominator.
func (s *valueSet) zeroFill() {
	for _, in := range safetyrisk.Catalogue() {
		if in.Unit != safetyrisk.UnitCount && in.Unit != safetyrisk.UnitYuan && in.Unit != safetyrisk.UnitSeconds {
			continue
		}
		dims := []string{""}
		if e := s.dims[in.ID]; e != nil {
			dims = e.Codes()
		}
		for _, k := range keys(s.profile) {
			for _, w := range in.WindowList() {
				for _, d := range dims {
					key := valueKey{in.ID, k[0], k[1], w, d}
					if _, ok := s.m[key]; !ok {
						s.m[key] = 0
					}
				}
			}
		}
	}
}

// list returns the values whose keys are snapshot keys (records of a region or sector
// outside the profile are dropped from the breakdown; they still count in the city).
func (s *valueSet) list() []safetyrisk.IndicatorValue {
	valid := map[[2]string]bool{}
	for _, k := range keys(s.profile) {
		valid[k] = true
	}
	var out []safetyrisk.IndicatorValue
	for k, v := range s.m {
		if !valid[[2]string{k.region, k.sector}] {
			continue
		}
		out = append(out, safetyrisk.IndicatorValue{Indicator: k.ind, Region: k.region, Sector: k.sector,
			Window: k.win, DimValue: k.dim, AsOf: s.asOf, Value: v})
	}
	return out
}

// sortValues orders values by catalogue order, then region, sector, window, dim.
func sortValues(vs []safetyrisk.IndicatorValue) {
	order := map[string]int{}
	for i, in := range safetyrisk.Catalogue() {
		order[in.ID] = i
	}
	win := map[string]int{safetyrisk.WindowAsOf: -1}
	for i, w := range safetyrisk.Windows {
		win[w] = i
	}
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i], vs[j]
		if a.Indicator != b.Indicator {
			return order[a.Indicator] < order[b.Indicator]
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Sector != b.Sector {
			return a.Sector < b.Sector
		}
		if a.Window != b.Window {
			return win[a.Window] < win[b.Window]
		}
		return a.DimValue < b.DimValue
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
