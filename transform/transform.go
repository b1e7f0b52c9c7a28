package transform

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/sqlpool"
	"github.com/safetyrisk/safetyrisk/lake"
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
// partitions, the readers' buffers). At 50 times a city's data (make bench) no statement
// needs more than the limit (the big anti-join is sliced, orphans.sql): the process peaked
// at 0.6 GB with this limit and 0.8 GB with none, for 4% more CPU time.
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
// writes the data-quality checks and rebuilds the catalog. Its errors say which step
// failed, not "transform": the caller names the stage.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	start := time.Now()
	dir, err := filepath.Abs(cfg.Lake)
	if err != nil {
		return nil, fmt.Errorf("lake path: %w", err)
	}
	q, err := loadQueries()
	if err != nil {
		return nil, err
	}
	unlock, err := lockLake(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	runID := lake.NewRunID(cfg.Now())
	res := &Result{RunID: runID, AsOf: cfg.AsOf}
	log := cfg.Logger.With("stage", "transform", "run", runID)

	spill := lake.SpillDir(dir, runID)
	defer os.RemoveAll(spill)
	db, err := openEngine(ctx, engineConfig{memoryLimit: cfg.MemoryLimit, threads: cfg.Threads, tempDir: spill, timezone: cfg.Profile.Timezone})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("duckdb connection: %w", err)
	}
	defer conn.Close()
	if err := build(ctx, q, db, conn, dir, cfg, res, log); err != nil {
		return nil, err
	}
	conn.Close()
	db.Close()
	if err := BuildCatalog(ctx, dir); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	res.Duration = time.Since(start)
	logDone(log, cfg.AsOf, res)
	return res, nil
}

// build curates every table into a temporary state, checks it against the current one,
// then publishes it: renames it, swaps the curated symlink, writes the checks and prunes
// the states no reader needs.
func build(ctx context.Context, q *queries, db *sql.DB, conn *sql.Conn, dir string, cfg Config, res *Result, log *slog.Logger) error {
	tmpDir := lake.CuratedTmpDir(dir, res.RunID)
	if err := os.MkdirAll(tmpDir, 0o755); err != nil {
		return fmt.Errorf("curated state: %w", err)
	}
	defer os.RemoveAll(tmpDir)

	c := &curator{q: q, conn: conn, lake: dir, dir: tmpDir, log: log, rows: map[string]int64{}}
	if err := c.setup(ctx, cfg.AsOf); err != nil {
		return err
	}
	for _, t := range curateOrder() {
		tr, err := c.curate(ctx, t)
		if err != nil {
			return fmt.Errorf("curate %s: %w", t.Name, err)
		}
		res.Tables = append(res.Tables, tr)
	}

	// Checks compare the new state with the one the symlink still points at.
	prevDir := ""
	if prev := lake.CurrentRun(dir); prev != "" {
		prevDir = lake.CuratedRunDir(dir, prev)
	}
	newest := map[string]string{}
	for _, tr := range res.Tables {
		newest[tr.Table] = tr.NewestBatch
	}
	ck := &checker{q: q, conns: []*sql.Conn{conn}, profile: cfg.Profile, asOf: cfg.AsOf, newestBatch: newest}
	size, err := dirSize(tmpDir)
	if err != nil {
		return fmt.Errorf("curated state: %w", err)
	}
	if size <= sqlpool.SmallBytes && cfg.Threads != 1 { // the checks run two at a time
		more, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("duckdb connection: %w", err)
		}
		defer more.Close()
		ck.conns = append(ck.conns, more)
	}
	if res.Checks, err = ck.run(ctx, tmpDir, prevDir); err != nil {
		return fmt.Errorf("checks: %w", err)
	}

	if err := lake.RenameDir(tmpDir, lake.CuratedRunDir(dir, res.RunID)); err != nil {
		return fmt.Errorf("publish curated state: %w", err)
	}
	if res.Previous, err = lake.SwapCurated(dir, res.RunID); err != nil {
		return err
	}
	if err := writeChecks(ctx, conn, q, dir, res.RunID, cfg.AsOf, res.Checks); err != nil {
		return err
	}
	return lake.PruneCurated(dir, res.RunID, res.Previous)
}

// dirSize is the size of the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		n += fi.Size()
		return nil
	})
	return n, err
}

// logDone logs the run's one summary line.
func logDone(log *slog.Logger, asOf time.Time, res *Result) {
	var warn, fail int
	for _, c := range res.Checks {
		switch c.Status {
		case StatusWarn:
			warn++
		case StatusFail:
			fail++
		}
	}
	log.Info("transform done", "as_of", asOf.Format(time.DateOnly), "previous", res.Previous,
		"checks", len(res.Checks), "warn", warn, "fail", fail, "duration", res.Duration.Round(time.Millisecond))
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
	// A partitioned COPY buffers each thread's rows until this many before handing them
	// to the year files' writers: DuckDB's default (524,288) held 600 MB of hazards at
	// 50 times a city's data, outside memory_limit; 65,536 holds 250 MB at the same speed.
	// parquet_metadata_cache: the checks read each curated table's files once per check
	// (a few hundred queries); cached, their footers are parsed once. A run's files are
	// never rewritten (a run writes a new state) and the cache checks a file's
	// modification time.
	set := []string{"SET preserve_insertion_order = false", "SET partitioned_write_flush_threshold = 65536", "SET parquet_metadata_cache = true"}
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
	rows map[string]int64 // the curated rows of each table curated so far
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
	Default    string // SQL literal of Column.Default ("" for none)
}

// curate writes one table and, for tables others refer to, its key table.
func (c *curator) curate(ctx context.Context, t *safetyrisk.Table) (TableResult, error) {
	start := time.Now()
	tr := TableResult{Table: t.Name}
	files, err := lake.RawFiles(c.lake, t.Name)
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
		if col.Default != "" {
			cols[i].Default = sqlString(col.Default) // a code of the table definition, never user input
		}
	}
	// The columns ingest derives (Table.Derived) are carried too: a raw batch without
	// one (an older lake) reads it as NULL, and the curated SQL gives the default.
	for _, d := range t.Derived {
		cols = append(cols, dedupColumn{Name: d.Name, Type: d.Kind.SQLType(), Present: present[d.Name]})
	}
	fileList := ""
	if len(files) > 0 {
		fileList = sqlList(files)
	}
	var batches []string // sorted, as files are
	for _, f := range files {
		b, _ := lake.BatchOfDir(filepath.Base(filepath.Dir(f)))
		if len(batches) == 0 || batches[len(batches)-1] != b {
			batches = append(batches, b)
		}
	}
	batchList := ""
	if len(batches) > 1 {
		overlap, err := c.overlaps(ctx, t, fileList, present)
		if err != nil {
			return tr, err
		}
		if overlap {
			batchList = sqlList(batches)
		}
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
	if t == safetyrisk.Hazards {
		if err := c.orphans(ctx, "orphan_inspections", "inspection_id", safetyrisk.Inspections, fileList, present); err != nil {
			return tr, err
		}
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
		tr.Rows, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(filepath.Join(out, lake.PartFile))})
	} else {
		if len(files) > 0 {
			tr.Rows, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(out), Partitioned: true})
		}
		if err == nil && tr.Rows == 0 {
			// No row, no partition: an empty file keeps the schema, so queries and the
			// catalog never meet a missing table.
			_, err = c.exec(ctx, "copy", copyArgs{Select: sel, Target: sqlString(filepath.Join(out, lake.PartFile)), Empty: true, Drop: true})
		}
	}
	if err != nil {
		return tr, err
	}
	if err := c.keys(ctx, t); err != nil {
		return tr, err
	}
	c.rows[t.Name] = tr.Rows
	c.log.Info("curated", "table", t.Name, "raw_files", tr.RawFiles, "rows", tr.Rows, "duration", time.Since(start).Round(time.Millisecond))
	return tr, nil
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

// overlaps reports whether two raw batches of t may share a key (overlap.sql): when
// none can, dedup needs no newest-batch join. Without the key column in the raw files
// it says yes, and dedup takes the general path.
func (c *curator) overlaps(ctx context.Context, t *safetyrisk.Table, files string, present map[string]bool) (bool, error) {
	key := t.Column(t.Key[0])
	if key == nil || !present[key.Name] {
		return true, nil
	}
	s, err := c.q.render("overlap", struct{ Key, Type, Files string }{key.Name, key.Kind.SQLType(), files})
	if err != nil {
		return false, err
	}
	var n int64
	if err := c.conn.QueryRowContext(ctx, s).Scan(&n); err != nil {
		return false, fmt.Errorf("overlap.sql: %w", err)
	}
	return n > 0, nil
}

// orphanSliceKeys is how many keys of the referred table one slice of orphans.sql
// holds in its hash table: about 300 MB at 4 million 13-character ids.
const orphanSliceKeys = 4_000_000

// orphans fills the temporary table name with the ids of column in the raw files that
// are not keys of the curated table ref (orphans.sql), in as many hash slices as ref's
// rows need. With no raw file or no such column, the table stays empty.
func (c *curator) orphans(ctx context.Context, name, column string, ref *safetyrisk.Table, files string, present map[string]bool) error {
	data := struct{ Name, Column, Files, Ref string }{name, column, files, source(c.dir, ref)}
	if _, err := c.exec(ctx, "orphans_table", data); err != nil {
		return err
	}
	if files == "" || !present[column] {
		return nil
	}
	slices := c.rows[ref.Name]/orphanSliceKeys + 1
	for i := int64(0); i < slices; i++ {
		if _, err := c.exec(ctx, "orphans", data, slices, i); err != nil {
			return err
		}
	}
	return nil
}

// keys materialises the ids other tables are checked against.
func (c *curator) keys(ctx context.Context, t *safetyrisk.Table) error {
	var name string
	cols := []string{t.Key[0]}
	switch t {
	case safetyrisk.Enterprises:
		name = "known_enterprises"
	case safetyrisk.Accidents:
		name, cols = "known_accidents", []string{"accident_id", "grade"}
	default:
		return nil
	}
	src := fmt.Sprintf("read_parquet(%s, hive_partitioning = false, union_by_name = true)", sqlString(curatedGlob(c.dir, t)))
	_, err := c.exec(ctx, "keys", struct {
		Name    string
		Columns []string
		Source  string
	}{name, cols, src})
	return err
}
