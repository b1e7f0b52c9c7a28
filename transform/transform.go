package transform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
)

// Config is what a transform run needs.
type Config struct {
	Lake    string              // the lake directory
	AsOf    time.Time           // the day hazards are overdue as of and freshness is measured at; zero: today in the profile's time zone
	Profile *safetyrisk.Profile // regions and sectors of the jurisdiction; nil: the built-in Ordos profile
	Logger  *slog.Logger        // nil: discard

	// MemoryLimit bounds DuckDB's memory (DuckDB syntax, "1GB"); beyond it, the big
	// sorts and joins spill to a temporary directory in the lake. "": DefaultMemoryLimit.
	MemoryLimit string
	// Threads is DuckDB's thread count; 0: DuckDB's default (the number of cores).
	Threads int
	// Now is the clock, for the run id; nil: time.Now.
	Now func() time.Time
}

// DefaultMemoryLimit is DuckDB's memory limit when Config.MemoryLimit is empty. DuckDB
// allocates some of its memory outside the limit (the Parquet writers of the year
// partitions, the readers' buffers): at 50 times a city's data (make bench), a 1GB limit
// gave a peak RSS of 1.2 GB, 700MB gave 0.91 GB and 512MB 0.80 GB. This keeps the process
// within 1 GB with some room.
const DefaultMemoryLimit = "600MB"

// Validate checks the configuration and fills the defaults.
func (c *Config) Validate() error {
	if c.Lake == "" {
		return errors.New("lake directory is required")
	}
	if fi, err := os.Stat(c.Lake); err != nil {
		return fmt.Errorf("lake: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("lake %s: not a directory", c.Lake)
	}
	if c.Profile == nil {
		c.Profile = safetyrisk.Ordos()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.MemoryLimit == "" {
		c.MemoryLimit = DefaultMemoryLimit
	}
	if c.Threads < 0 {
		return fmt.Errorf("threads: %d is negative", c.Threads)
	}
	loc, err := time.LoadLocation(c.Profile.Timezone)
	if err != nil {
		return fmt.Errorf("profile time zone: %w", err)
	}
	if c.AsOf.IsZero() {
		c.AsOf = c.Now().In(loc)
	}
	y, m, d := c.AsOf.Date()
	c.AsOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return nil
}

// Result is what a transform run did.
type Result struct {
	RunID    string
	Previous string // the run the curated symlink pointed at before ("" on the first run)
	AsOf     time.Time
	Tables   []TableResult
	Checks   []CheckResult
	Duration time.Duration
}

// TableResult is one curated table of a run.
type TableResult struct {
	Table       string
	RawFiles    int    // raw batch files read
	Rows        int64  // curated rows (one per key)
	NewestBatch string // the id of the newest raw batch ("" without any): data arrival, for freshness
}

// Failed reports whether some check failed.
func (r *Result) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}

// curateOrder lists the tables so that a table's references are curated before it:
// enterprises, inspections and accidents first.
func curateOrder() []*safetyrisk.Table {
	first := []*safetyrisk.Table{safetyrisk.Enterprises, safetyrisk.Inspections, safetyrisk.Accidents}
	out := append([]*safetyrisk.Table(nil), first...)
	for _, t := range safetyrisk.Tables() {
		if t != safetyrisk.Enterprises && t != safetyrisk.Inspections && t != safetyrisk.Accidents {
			out = append(out, t)
		}
	}
	return out
}

// Run builds a new curated state from the raw batches of cfg.Lake, swaps it in,
// writes the data-quality checks and rebuilds the catalog.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	start := time.Now()
	lake, err := filepath.Abs(cfg.Lake)
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	q, err := loadQueries()
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	unlock, err := lockLake(lake)
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	defer unlock()
	runID := newRunID(cfg.Now())
	res := &Result{RunID: runID, AsOf: cfg.AsOf}
	log := cfg.Logger.With("stage", "transform", "run", runID)

	spill := filepath.Join(lake, ".tmp-duckdb-"+runID)
	defer os.RemoveAll(spill)
	db, err := openEngine(ctx, engineConfig{memoryLimit: cfg.MemoryLimit, threads: cfg.Threads, tempDir: spill, timezone: cfg.Profile.Timezone})
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	defer conn.Close()

	tmpDir := filepath.Join(lake, ".tmp-"+curatedPrefix+runID)
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	defer os.RemoveAll(tmpDir)

	c := &curator{q: q, conn: conn, lake: lake, dir: tmpDir, log: log}
	if err := c.setup(ctx, cfg.AsOf); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	for _, t := range curateOrder() {
		tr, err := c.curate(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("transform %s: %w", t.Name, err)
		}
		res.Tables = append(res.Tables, tr)
	}

	// Checks compare the new state with the one the symlink still points at.
	prev := currentRun(lake)
	prevDir := ""
	if prev != "" {
		prevDir = filepath.Join(lake, curatedPrefix+prev)
	}
	newest := map[string]string{}
	for _, tr := range res.Tables {
		newest[tr.Table] = tr.NewestBatch
	}
	ck := &checker{q: q, conn: conn, profile: cfg.Profile, asOf: cfg.AsOf, newestBatch: newest}
	res.Checks, err = ck.run(ctx, tmpDir, prevDir)
	if err != nil {
		return nil, fmt.Errorf("transform: checks: %w", err)
	}

	final := filepath.Join(lake, curatedPrefix+runID)
	if err := os.Rename(tmpDir, final); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	if res.Previous, err = swapCurated(lake, runID); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	if err := writeChecks(ctx, conn, q, lake, runID, cfg.AsOf, res.Checks); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	if err := pruneCurated(lake, runID, res.Previous); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	conn.Close()
	db.Close()
	if err := BuildCatalog(ctx, lake); err != nil {
		return nil, fmt.Errorf("transform: %w", err)
	}
	res.Duration = time.Since(start)
	var warn, fail int
	for _, c := range res.Checks {
		switch c.Status {
		case StatusWarn:
			warn++
		case StatusFail:
			fail++
		}
	}
	log.Info("transform done", "as_of", cfg.AsOf.Format(time.DateOnly), "previous", res.Previous,
		"checks", len(res.Checks), "warn", warn, "fail", fail, "duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

// engineConfig is the DuckDB set-up of a transform or catalog build.
type engineConfig struct {
	memoryLimit string
	threads     int
	tempDir     string
	timezone    string
}

// openEngine opens an in-memory DuckDB with the settings of a big COPY: no insertion
// order to preserve (streams instead of buffering), a memory limit, a spill directory
// and the profile's time zone (years of timestamps are local years).
func openEngine(ctx context.Context, ec engineConfig) (*sql.DB, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("open duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	set := []string{"SET preserve_insertion_order = false"}
	if ec.memoryLimit != "" {
		set = append(set, "SET memory_limit = "+sqlString(ec.memoryLimit))
	}
	if ec.tempDir != "" {
		set = append(set, "SET temp_directory = "+sqlString(ec.tempDir))
	}
	if ec.threads > 0 {
		set = append(set, fmt.Sprintf("SET threads = %d", ec.threads))
	}
	if ec.timezone != "" {
		set = append(set, "SET TimeZone = "+sqlString(ec.timezone))
	}
	for _, s := range set {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("duckdb %s: %w", s, err)
		}
	}
	return db, nil
}

// curator writes the curated tables of one run into dir.
type curator struct {
	q    *queries
	conn *sql.Conn
	lake string
	dir  string
	log  *slog.Logger
}

func (c *curator) exec(ctx context.Context, name string, data any, args ...any) (int64, error) {
	s, err := c.q.render(name, data)
	if err != nil {
		return 0, err
	}
	r, err := c.conn.ExecContext(ctx, s, args...)
	if err != nil {
		return 0, fmt.Errorf("%s.sql: %w", name, err)
	}
	n, _ := r.RowsAffected()
	return n, nil
}

// setup creates the run's parameter tables: as_of, the least plausible loss of a fatal
// accident and the art. 114 fine ranges.
func (c *curator) setup(ctx context.Context, asOf time.Time) error {
	if _, err := c.exec(ctx, "setup", nil, asOf.Format(time.DateOnly), float64(safetyrisk.MinPlausibleFatalLoss)); err != nil {
		return err
	}
	if _, err := c.exec(ctx, "fine_ranges", nil); err != nil {
		return err
	}
	for g := safetyrisk.GradeGeneral; g <= safetyrisk.GradeExtraordinary; g++ {
		r := safetyrisk.AccidentFineRange(g)
		if _, err := c.exec(ctx, "fine_range", nil, g.String(), r.Min, r.Max, r.MaxSerious); err != nil {
			return err
		}
	}
	return nil
}

type dedupColumn struct {
	Name, Type string
	Present    bool
}

// curate writes one table and, for tables others refer to, its key table.
func (c *curator) curate(ctx context.Context, t *safetyrisk.Table) (TableResult, error) {
	start := time.Now()
	tr := TableResult{Table: t.Name}
	files, err := rawFiles(c.lake, t)
	if err != nil {
		return tr, err
	}
	tr.RawFiles = len(files)
	present, err := c.rawColumns(ctx, files)
	if err != nil {
		return tr, err
	}
	cols := make([]dedupColumn, len(t.Columns))
	for i, col := range t.Columns {
		cols[i] = dedupColumn{Name: col.Name, Type: col.Kind.SQLType(), Present: present[col.Name]}
	}
	for _, x := range carried[t.Name] {
		if t.Index(x[0]) < 0 {
			cols = append(cols, dedupColumn{Name: x[0], Type: x[1], Present: present[x[0]]})
		}
	}
	fileList := ""
	if len(files) > 0 {
		fileList = sqlList(files)
	}
	var batches []string // sorted, as files are
	for _, f := range files {
		b := strings.TrimPrefix(filepath.Base(filepath.Dir(f)), "batch=")
		if len(batches) == 0 || batches[len(batches)-1] != b {
			batches = append(batches, b)
		}
	}
	batchList := ""
	if len(batches) > 1 {
		batchList = sqlList(batches)
	}
	if len(batches) > 0 {
		tr.NewestBatch = batches[len(batches)-1]
	}
	dedup, err := c.q.render("dedup", struct {
		Columns []dedupColumn
		Key     []string
		Files   string
		Batches string
	}{cols, t.Key, fileList, batchList})
	if err != nil {
		return tr, err
	}
	name := "plain"
	switch t {
	case safetyrisk.Accidents, safetyrisk.Hazards, safetyrisk.Enforcement:
		name = t.Name
	}
	sel, err := c.q.render(name, struct {
		Dedup  string
		Orphan bool
		Year   string
	}{dedup, t != safetyrisk.Enterprises && t.Index("enterprise_id") >= 0, t.TimeCol})
	if err != nil {
		return tr, err
	}
	out := filepath.Join(c.dir, t.Name)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return tr, err
	}
	type copyArgs struct {
		Select, Target           string
		Partitioned, Empty, Drop bool
	}
	if t.TimeCol == "" {
		tr.Rows, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(filepath.Join(out, partFile))})
	} else {
		tr.Rows, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(out), Partitioned: true})
		if err == nil && tr.Rows == 0 {
			// No row, no partition: an empty file keeps the schema, so queries and the
			// catalog never meet a missing table.
			_, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(filepath.Join(out, partFile)), Empty: true, Drop: true})
		}
	}
	if err != nil {
		return tr, err
	}
	if err := c.keys(ctx, t); err != nil {
		return tr, err
	}
	c.log.Info("curated", "table", t.Name, "raw_files", tr.RawFiles, "rows", tr.Rows, "duration", time.Since(start).Round(time.Millisecond))
	return tr, nil
}

// carried are raw columns that transform carries to curated even where the root
// package's table definition does not list them yet, with their lake types: a raw batch
// without one (an older lake) reads it as NULL, and the curated SQL gives the default.
var carried = map[string][][2]string{
	// false when ingest read the occurrence as a date without a time (the time is
	// unknown): such an accident is neither late nor on time (Decree 493 art. 9, docs/rules.md)
	"accidents": {{"occurred_time_known", "BOOLEAN"}},
}

// rawColumns returns the columns some raw file has. Ingest writes every column, but a
// file of an older schema may lack a new one: it then reads as NULL.
func (c *curator) rawColumns(ctx context.Context, files []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(files) == 0 {
		return out, nil
	}
	s, err := c.q.render("describe", struct{ Files string }{sqlList(files)})
	if err != nil {
		return nil, err
	}
	rows, err := c.conn.QueryContext(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("describe raw: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("describe raw: %w", err)
		}
		out[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("describe raw: %w", err)
	}
	if !out["batch"] || !out["_source_row"] {
		return nil, fmt.Errorf("raw files lack batch= directories or _source_row: %s", files[0])
	}
	return out, nil
}

// keys materialises the ids other tables are checked against.
func (c *curator) keys(ctx context.Context, t *safetyrisk.Table) error {
	var name string
	cols := []string{t.Key[0]}
	switch t {
	case safetyrisk.Enterprises:
		name = "known_enterprises"
	case safetyrisk.Inspections:
		name = "known_inspections"
	case safetyrisk.Accidents:
		name, cols = "known_accidents", []string{"accident_id", "grade"}
	default:
		return nil
	}
	src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false, union_by_name = true)", sqlString(CuratedGlob(c.dir, t)))
	_, err := c.exec(ctx, "keys", struct {
		Name    string
		Columns []string
		Source  string
	}{name, cols, src})
	return err
}
