package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/duckdb/duckdb-go/v2"
	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"

	"github.com/safetyrisk/safetyrisk/console"
	"github.com/safetyrisk/safetyrisk/internal/testdir"
)

// TestMain lets the test binary be the console's worker: "safetyrisk sql" starts
// os.Executable() again with console.WorkerEnv set, and here that is this binary.
func TestMain(m *testing.M) {
	if _, ok := os.LookupEnv(console.WorkerEnv); ok {
		os.Exit(NewMain(os.Stdin, os.Stdout, os.Stderr).Run(context.Background(), os.Args[1:]))
	}
	code := m.Run()
	sqlTestLake.Remove()
	seven7.Remove()
	os.Exit(code)
}

var sqlTestLake testdir.Once

// sqlLake is a small generated lake, built once, transformed as of 2024-12-31 with
// its indicators; tests copy it (cp -a) before anything that could change it.
func sqlLake(t *testing.T) string {
	t.Helper()
	dir := sqlTestLake.Get(t, "safetyrisk-sqltest-*", func(dir string) error {
		inbox, lake := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake")
		os.Setenv("SAFETYRISK_PII_KEY", "sql-test-key-0123456789abcdef")
		var errb bytes.Buffer
		m := NewMain(nil, io.Discard, &errb)
		if c := m.Run(context.Background(), []string{"generate", "--out", inbox, "--scale", "0.02", "--seed", "5"}); c != exitOK {
			return fmt.Errorf("generate: exit %d: %s", c, errb.String())
		}
		if c := m.Run(context.Background(), []string{"run", "--lake", lake, "--inbox", inbox, "--as-of", "2024-12-31"}); c != exitOK {
			return fmt.Errorf("run: exit %d: %s", c, errb.String())
		}
		return nil
	})
	return filepath.Join(dir, "lake")
}

// copyLake copies the lake with cp -a, as an operator would.
func copyLake(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v: %s", err, out)
	}
}

// tree hashes every file under dir (sha256), and records links and folders, so that
// any change shows.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, lerr := os.Readlink(p)
			if lerr != nil {
				return lerr
			}
			out[rel] = "link:" + target
		case d.IsDir():
			out[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			out[rel] = hex.EncodeToString(sum[:])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diffTrees(before, after map[string]string) []string {
	var d []string
	for k, v := range before {
		if after[k] != v {
			d = append(d, fmt.Sprintf("%s: %q -> %q", k, v, after[k]))
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			d = append(d, "new: "+k)
		}
	}
	sort.Strings(d)
	return d
}

// sqlCLI runs "safetyrisk sql" in process (its worker is a real child process) with
// stdin, and returns the exit status, stdout and stderr.
func sqlCLI(ctx context.Context, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(stdin), &out, &errb)
	code := m.Run(ctx, append([]string{"sql"}, args...))
	return code, out.String(), errb.String()
}

// attack is one attempt to change the lake or escape it from the console.
type attack struct {
	name  string
	sql   string // {L} is the lake; {O} a folder outside it
	stdin bool   // sent on stdin as a script (statements ended by ';')
}

// attacks: the two routes proven in issue 10 first, then the others.
var attacks = []attack{
	// The proven route: with the PEG parser on, DuckDB's driver reads the nested
	// comment as closed at the first */ and sees three statements (the COPY runs while
	// the last one is prepared), where the Postgres parser, and a checker using it,
	// sees one SELECT; the client's splitter sees an open quote and sends it whole.
	{"alternative parser from a SELECT, then a hidden COPY over raw Parquet",
		"SELECT * FROM enable_peg_parser();\nSELECT 1 /* /* */ AS x, $$'$$ AS y; COPY (SELECT 1 AS enterprise_id) TO $${RAW}$$ (FORMAT parquet); SELECT 1 -- */\n", true},
	{"the hidden COPY in one argument, parser switched in a CTE", "WITH p AS (SELECT * FROM enable_peg_parser()) SELECT 1 /* /* */ AS x, $$'$$ AS y; COPY (SELECT 1 AS enterprise_id) TO $${RAW}$$ (FORMAT parquet); SELECT 1 -- */", false},
	{"COPY with a dollar-quoted target", "COPY (SELECT 1) TO $${L}/dq.csv$$", false},
	{"alternative parser, quoted and upper case", `SELECT * FROM "ENABLE_PEG_PARSER"()`, false},
	{"profiling with a save location over manifest/batches.json",
		"SELECT * FROM enable_profiling(save_location := '{L}/manifest/batches.json', format := 'json'); SELECT 1;", true},
	{"profiling, then a query to trigger the write", "SELECT * FROM enable_profiling(save_location := '{L}/manifest/batches.json');\nSELECT count(*) FROM hazards;", true},
	{"logging with a storage path into the lake",
		"SELECT * FROM enable_logging(storage := 'file', storage_path := '{L}/logs');\nSELECT 1;", true},
	{"logging, file storage via storage_config", "SELECT * FROM enable_logging(storage_config := {'path': '{L}/logs'})", false},
	{"COPY a table into the lake", "COPY hazards TO '{L}/stolen.csv'", false},
	{"COPY a query over raw Parquet", "COPY (SELECT 1) TO '{RAW}' (FORMAT parquet)", false},
	{"COPY outside the lake", "COPY (SELECT 1) TO '{O}/x.csv'", false},
	{"COPY FROM into a view", "COPY hazards FROM '{L}/checks/latest.parquet'", false},
	{"ATTACH a new database in the lake", "ATTACH '{L}/x.duckdb' AS x", false},
	{"ATTACH the catalog read-write", "ATTACH '{L}/catalog.duckdb' AS c2", false},
	{"EXPORT DATABASE into the lake", "EXPORT DATABASE '{L}/exp'", false},
	{"EXPORT DATABASE outside", "EXPORT DATABASE '{O}/exp'", false},
	{"INSTALL an extension", "INSTALL httpfs", false},
	{"LOAD an extension", "LOAD httpfs", false},
	{"SET external access back on", "SET enable_external_access = true", false},
	{"RESET the lock", "RESET lock_configuration", false},
	{"SET the temp folder into the lake", "SET temp_directory = '{L}'", false},
	{"PRAGMA enable_profiling", "PRAGMA enable_profiling = 'json'", false},
	{"PRAGMA profile_output", "PRAGMA profile_output = '{L}/manifest/batches.json'", false},
	{"CALL a settings function", "CALL enable_profiling()", false},
	{"CHECKPOINT", "CHECKPOINT", false},
	{"checkpoint() as a table function", "SELECT * FROM checkpoint()", false},
	{"force_checkpoint()", "SELECT * FROM force_checkpoint()", false},
	{"CREATE TABLE in the catalog", "CREATE TABLE t AS SELECT 1", false},
	{"CREATE TEMP TABLE in memory", "CREATE TEMP TABLE t AS SELECT * FROM range(10)", false},
	{"CREATE MACRO", "CREATE MACRO m(x) AS x + 1", false},
	{"DROP a view", "DROP VIEW hazards", false},
	{"INSERT into a view", "INSERT INTO hazards SELECT * FROM hazards", false},
	{"DELETE", "DELETE FROM hazards", false},
	{"a write hidden in query()", "SELECT * FROM query('COPY (SELECT 1) TO ''{L}/q.csv''')", false},
	{"query() with a comment before the parenthesis", "SELECT * FROM query /* x */ ('ATTACH ''{L}/q.duckdb''')", false},
	{"serialized SQL executed", "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", false},
	{"two statements, the second a write", "SELECT 1; COPY (SELECT 1) TO '{L}/two.csv'", false},
	{"a semicolon inside a comment", "SELECT 1 -- ;\n; ATTACH '{L}/c.duckdb'", false},
	{"a write after a string holding a semicolon", "SELECT 'a;b'; COPY (SELECT 1) TO '{L}/s.csv'", false},
	{"dollar quoting", "SELECT $$;$$; COPY (SELECT 1) TO '{L}/d.csv'", false},
	{"EXPLAIN ANALYZE runs its statement", "EXPLAIN ANALYZE COPY (SELECT 1) TO '{L}/e.csv'", false},
	{"EXPLAIN with options", "EXPLAIN (ANALYZE) SELECT 1", false},
	{"read a file outside the lake", "SELECT * FROM read_text('/etc/passwd')", false},
	{"read outside through ..", "SELECT * FROM read_text('{L}/../../../../etc/hostname')", false},
	{"read_blob of the host's files", "SELECT * FROM read_blob('/proc/self/environ')", false},
	{"glob outside the lake", "SELECT * FROM glob('/root/*')", false},
	{"VACUUM", "VACUUM", false},
	{"SET VARIABLE", "SET VARIABLE x = 1", false},
	{"PREPARE a COPY", "PREPARE p AS COPY (SELECT 1) TO '{L}/p.csv'", false},
	{"a transaction", "BEGIN TRANSACTION", false},
	{"DETACH the catalog", "DETACH catalog", false},
	{"USE another database", "USE memory", false},
	{"unicode-escaped function name", `SELECT * FROM U&"enable\005fprofiling"()`, false},
	{"truncate the logs", "SELECT * FROM truncate_duckdb_logs()", false},
}

func (a attack) text(lake, outside, raw string) string {
	return strings.NewReplacer("{L}", lake, "{O}", outside, "{RAW}", raw).Replace(a.sql)
}

// TestSQLConsoleAttacks: (issue 10, item 1) every attempt to write into the lake, or to
// escape it, fails through the real "safetyrisk sql" path; after each one every file
// of the lake is byte for byte the same and nothing was written outside the session's
// own temporary folder (which is gone once the session ends).
func TestSQLConsoleAttacks(t *testing.T) {
	src := sqlLake(t)
	dir := t.TempDir()
	lake, outside, tmp := filepath.Join(dir, "lake"), filepath.Join(dir, "outside"), filepath.Join(dir, "tmp")
	copyLake(t, src, lake)
	for _, d := range []string{outside, tmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("TMPDIR", tmp)
	t.Setenv("HOME", outside)
	raw := firstRaw(t, lake)
	ctx := context.Background()
	if len(attacks) < 32 {
		t.Fatalf("%d attacks, want the two proven routes and at least 30 others", len(attacks))
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			before, beforeOut := tree(t, lake), tree(t, dir)
			q := a.text(lake, outside, raw)
			var code int
			var stdout, stderr string
			if a.stdin {
				code, stdout, stderr = sqlCLI(ctx, q, "--lake", lake)
			} else {
				code, stdout, stderr = sqlCLI(ctx, "", "--lake", lake, q)
			}
			if code == exitOK {
				t.Errorf("ran: %s\n%s", q, stdout)
			}
			t.Logf("exit %d: %s", code, strings.TrimSpace(stderr))
			if d := diffTrees(before, tree(t, lake)); len(d) > 0 {
				t.Errorf("the lake changed:\n%s", strings.Join(d, "\n"))
			}
			if d := diffTrees(beforeOut, tree(t, dir)); len(d) > 0 {
				t.Errorf("files written outside the session's temporary folder:\n%s", strings.Join(d, "\n"))
			}
		})
	}
	// The console still answers after all that.
	code, out, errs := sqlCLI(ctx, "", "--lake", lake, "--format", "csv", "SELECT count(*) > 0 AS ok FROM enterprises")
	if code != exitOK || out != "ok\ntrue\n" {
		t.Errorf("after the attacks: exit %d, %q %s", code, out, errs)
	}
}

// TestSQLConsoleOSLayerAlone: the operating system's layer holds on its own. With the
// statement checker and DuckDB's locked settings switched off (statements run as
// DuckDB splits them), the proven routes and plain writes still change nothing.
func TestSQLConsoleOSLayerAlone(t *testing.T) {
	if abi, err := llsys.LandlockGetABIVersion(); err != nil || abi < 1 {
		t.Skipf("this kernel has no Landlock (%v): the console runs with its other layers only", err)
	}
	src := sqlLake(t)
	dir := t.TempDir()
	lake, outside := filepath.Join(dir, "lake"), filepath.Join(dir, "outside")
	copyLake(t, src, lake)
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	raw := firstRaw(t, lake)
	ctx := context.Background()
	var errb bytes.Buffer
	c, err := console.Start(ctx, console.Config{Lake: lake, TimeZone: "Asia/Shanghai", OSLayerOnly: true}, []string{exe, "sql"}, &errb)
	if err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	defer c.Close()
	before := tree(t, dir)
	writes := []struct {
		sql      string
		mustFail bool // else DuckDB may swallow the failed write (the profiler does)
	}{
		{"SELECT * FROM enable_peg_parser(); COPY (SELECT 1 AS enterprise_id) TO '" + raw + "' (FORMAT parquet)", true},
		{"SELECT * FROM enable_profiling(format := 'json', save_location := '" + lake + "/manifest/batches.json'); SELECT count(*) FROM hazards", false},
		{"COPY (SELECT 1) TO '" + lake + "/x.csv'", true},
		{"COPY (SELECT 1) TO '" + outside + "/x.csv'", true},
		{"ATTACH '" + lake + "/x.duckdb' AS x", true},
		{"EXPORT DATABASE '" + lake + "/exp'", true},
		{"SET temp_directory = '" + lake + "'; SET memory_limit = '20MB'; SELECT count(DISTINCT s) FROM (SELECT repeat('x', 200) || i AS s FROM range(300000) t(i))", true},
		{"INSTALL httpfs", true},
		// Last: once logging points at a folder it cannot create, every query fails.
		{"SELECT * FROM enable_logging(storage := 'file', storage_path := '" + lake + "/logs'); SELECT count(*) FROM hazards", false},
	}
	// A read-only query works: the layer confines DuckDB, it does not break it.
	var out bytes.Buffer
	if err := c.Query(ctx, "SELECT count(*) AS n FROM hazards", &out); err != nil {
		t.Errorf("read: %v", err)
	}
	for _, w := range writes {
		err := c.Query(ctx, w.sql, io.Discard)
		t.Logf("%s: %v", w.sql, err)
		if err == nil && w.mustFail {
			t.Errorf("the OS layer let this through: %s", w.sql)
		}
	}
	if d := diffTrees(before, tree(t, dir)); len(d) > 0 {
		t.Errorf("changed with the OS layer alone:\n%s", strings.Join(d, "\n"))
	}
}

func firstRaw(t *testing.T, lake string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(lake, "raw", "enterprises", "batch=*", "*.parquet"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no raw enterprises file: %v", err)
	}
	return m[0]
}

// TestSQLConsoleRelocatedLake: (issue 10, relocatable lake) a lake copied with cp -a
// to another path answers every catalog view, from "safetyrisk sql" and from a DuckDB
// connection opened with the copy as its working directory, even once the original is
// gone.
func TestSQLConsoleRelocatedLake(t *testing.T) {
	src := sqlLake(t)
	dir := t.TempDir()
	orig, moved := filepath.Join(dir, "orig"), filepath.Join(dir, "elsewhere", "copy")
	copyLake(t, src, orig)
	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	copyLake(t, orig, moved)
	if err := os.RemoveAll(orig); err != nil { // nothing may still point at it
		t.Fatal(err)
	}
	views := catalogViews(t, moved)
	if len(views) < 14 {
		t.Fatalf("catalog views: %v", views)
	}
	ctx := context.Background()
	for _, v := range views {
		code, out, errs := sqlCLI(ctx, "", "--lake", moved, "--format", "csv", fmt.Sprintf("SELECT count(*) AS n FROM %q", v))
		if code != exitOK || out == "n\n0\n" {
			t.Errorf("safetyrisk sql, view %s: exit %d, %q %s", v, code, out, errs)
		}
	}
	// A DuckDB client started in the lake folder: relative paths resolve against the
	// working directory, as docs/console.md tells the analyst.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(moved); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	db := openCatalog(t, "catalog.duckdb")
	for _, v := range views {
		var n int64
		if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %q", v)).Scan(&n); err != nil || n == 0 {
			t.Errorf("DuckDB client in the lake folder, view %s: %d rows, %v", v, n, err)
		}
	}
	db.Close()
}

func openCatalog(t *testing.T, path string) *sql.DB {
	t.Helper()
	c, err := duckdb.NewConnector(path+"?access_mode=READ_ONLY", nil)
	if err != nil {
		t.Fatal(err)
	}
	return sql.OpenDB(c)
}

func catalogViews(t *testing.T, lake string) []string {
	t.Helper()
	c, err := duckdb.NewConnector(filepath.Join(lake, "catalog.duckdb")+"?access_mode=READ_ONLY", nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	rows, err := db.Query("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// TestSQLConsoleTimeZone: (issue 11, item 2) the console computes in the profile's
// time zone (Asia/Shanghai for Ordos), and so does a DuckDB client of the catalog once
// it sets the zone as docs/console.md says.
func TestSQLConsoleTimeZone(t *testing.T) {
	lake := sqlLake(t)
	q := "SELECT year(TIMESTAMPTZ '2025-01-01 00:30:00+08') AS y, CAST(TIMESTAMPTZ '2025-01-01 00:30:00+08' AS DATE) AS d"
	code, out, errs := sqlCLI(context.Background(), "", "--lake", lake, "--format", "csv", q)
	if code != exitOK || out != "y,d\n2025,2025-01-01\n" {
		t.Errorf("safetyrisk sql: exit %d, %q %s", code, out, errs)
	}
	db := openCatalog(t, filepath.Join(lake, "catalog.duckdb"))
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "SET TimeZone = 'Asia/Shanghai'"); err != nil {
		t.Fatal(err)
	}
	var y int
	if err := conn.QueryRowContext(context.Background(), "SELECT year(TIMESTAMPTZ '2025-01-01 00:30:00+08')").Scan(&y); err != nil || y != 2025 {
		t.Errorf("DuckDB client with the profile's zone: %d, %v", y, err)
	}
}

// TestSQLConsoleCaps: a result past --max-rows or --max-bytes stops with a clear
// error (exit 1) after the rows already written; a bad flag is a usage error (exit 2).
func TestSQLConsoleCaps(t *testing.T) {
	lake := sqlLake(t)
	ctx := context.Background()
	code, out, errs := sqlCLI(ctx, "", "--lake", lake, "--format", "csv", "--max-rows", "10", "SELECT * FROM range(100)")
	if code != exitFailure || !strings.Contains(errs, "--max-rows") || strings.Count(out, "\n") != 11 {
		t.Errorf("row cap: exit %d, %d lines, %s", code, strings.Count(out, "\n"), errs)
	}
	code, out, errs = sqlCLI(ctx, "", "--lake", lake, "--format", "csv", "--max-bytes", "1000", "SELECT repeat('x', 100) FROM range(100)")
	if code != exitFailure || !strings.Contains(errs, "--max-bytes") || len(out) != 1000 {
		t.Errorf("byte cap: exit %d, %d bytes, %s", code, len(out), errs)
	}
	for _, args := range [][]string{{"--max-rows", "x"}, {"--format", "xml"}, {"--max-bytes", "-1"}, {"--nope"}} {
		if code, _, _ := sqlCLI(ctx, "", append([]string{"--lake", lake}, append(args, "SELECT 1")...)...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestSQLConsoleCSVFormulas: (issue 10, item 8) text cells that a spreadsheet would
// run are escaped in --format csv; numbers, negative ones included, are not.
func TestSQLConsoleCSVFormulas(t *testing.T) {
	lake := sqlLake(t)
	code, out, errs := sqlCLI(context.Background(), "", "--lake", lake, "--format", "csv",
		"SELECT '=HYPERLINK(\"http://x\")' AS a, '+1' AS b, '-2' AS c, '@SUM(A1)' AS d, -3 AS n, -1.5::DECIMAL(4,1) AS m, 'ok' AS e")
	want := "a,b,c,d,n,m,e\n\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),-3,-1.5,ok\n"
	if code != exitOK || out != want {
		t.Errorf("exit %d\n got %q\nwant %q\n%s", code, out, want, errs)
	}
}

// countWriter counts what it is given and keeps nothing.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestSQLConsoleBoundedMemory: (issue 10, item 7) a result of half a gigabyte streams
// through with every process's peak RSS far below its size: the worker's stays under
// --memory-limit plus DuckDB's own footprint, the parent's does not grow with it. (On
// main, the same query held every row in Go memory: 1.15 GB peak for 0.5 GB.)
//
// The console runs in a fresh re-execution of this test binary: Linux carries a
// process's peak RSS across fork and exec (ru_maxrss), so measured inside a test process
// that has already run heavy tests it would report their peak, not the console's. The
// child reports its own VmHWM (fresh after exec) and its children's ru_maxrss (forked
// from its own, small, address space).
func TestSQLConsoleBoundedMemory(t *testing.T) {
	lake := sqlLake(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLConsoleBoundedMemoryChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SAFETYRISK_TEST_MEM_LAKE="+lake)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var through, self, workers int64
	for _, line := range strings.Split(string(out), "\n") {
		if _, err := fmt.Sscanf(strings.TrimSpace(line), "memory: %d %d %d", &through, &self, &workers); err == nil {
			break
		}
	}
	if through == 0 {
		t.Fatalf("no figures from the child:\n%s", out)
	}
	const limit = 100 << 10 // --memory-limit, in KiB as Maxrss counts
	const constant = 200 << 10
	t.Logf("%d MB through; peak RSS: workers %d MB, the console's process %d MB", through>>20, workers>>10, self>>10)
	if workers > limit+constant {
		t.Errorf("a worker peaked at %d MB for a %d MB result", workers>>10, through>>20)
	}
	if self > 400<<10 {
		t.Errorf("the parent peaked at %d MB for a %d MB result", self>>10, through>>20)
	}
}

// TestSQLConsoleBoundedMemoryChild is TestSQLConsoleBoundedMemory's fresh process; it
// does nothing unless that test started it.
func TestSQLConsoleBoundedMemoryChild(t *testing.T) {
	lake := os.Getenv("SAFETYRISK_TEST_MEM_LAKE")
	if lake == "" {
		t.Skip("run by TestSQLConsoleBoundedMemory only")
	}
	var out countWriter
	var errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	code := m.Run(context.Background(), []string{"sql", "--lake", lake, "--format", "csv", "--memory-limit", "100MB",
		"--max-rows", "0", "--max-bytes", "0", "--timeout", "5m",
		"SELECT i, repeat('x', 1000) || i AS s FROM range(500000) t(i)"})
	if code != exitOK || out.n < 500_000*1000 {
		t.Fatalf("exit %d, %d bytes: %s", code, out.n, errb.String())
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	var hwm int64
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Sscanf(strings.TrimPrefix(line, "VmHWM:"), "%d", &hwm)
		}
	}
	var children syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("memory: %d %d %d\n", out.n, hwm, children.Maxrss)
}
