package transform

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// Names inside a lake (docs/architecture.md).
const (
	curatedLink   = "curated"
	curatedPrefix = "curated."
	catalogFile   = "catalog.duckdb"
	checksDir     = "checks"
	checksFile    = "latest.parquet"
	partFile      = "part-00000.parquet"
)

// CuratedDir is the path of the current curated state (a symlink to curated.<run_id>).
func CuratedDir(lake string) string { return filepath.Join(lake, curatedLink) }

// ChecksPath is where the data-quality results of the last transform are.
func ChecksPath(lake string) string { return filepath.Join(lake, checksDir, checksFile) }

// CatalogPath is the analysts' catalog.
func CatalogPath(lake string) string { return filepath.Join(lake, catalogFile) }

// CuratedGlob is the glob of a table's curated files under dir (a curated.<run_id>
// directory or the curated symlink), for read_parquet with hive_partitioning.
func CuratedGlob(dir string, t *safetyrisk.Table) string {
	if t.TimeCol == "" {
		return filepath.Join(dir, t.Name, partFile)
	}
	return filepath.Join(dir, t.Name, "**", "*.parquet")
}

// hidden reports whether a lake entry is to be ignored by readers: a temporary or
// incomplete name (docs/architecture.md: names starting with "." or "_").
func hidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// rawFiles lists a table's raw Parquet files, sorted, skipping hidden names.
func rawFiles(lake string, t *safetyrisk.Table) ([]string, error) {
	dir := filepath.Join(lake, "raw", t.Name)
	batches, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list raw %s: %w", t.Name, err)
	}
	var out []string
	for _, b := range batches {
		if !b.IsDir() || hidden(b.Name()) || !strings.HasPrefix(b.Name(), "batch=") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, b.Name()))
		if err != nil {
			return nil, fmt.Errorf("list raw %s: %w", t.Name, err)
		}
		for _, f := range files {
			if f.Type().IsRegular() && !hidden(f.Name()) && strings.HasSuffix(f.Name(), ".parquet") {
				out = append(out, filepath.Join(dir, b.Name(), f.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// newRunID returns a run id (docs/architecture.md: UTC yyyymmddTHHMMSSZ, with
// microseconds so that two runs in one second do not collide).
func newRunID(t time.Time) string { return t.UTC().Format("20060102T150405.000000Z") }

// swapCurated points lake/curated at curated.<runID> atomically (a temporary symlink
// renamed over the old one) and returns the run id it pointed at before ("" if none).
func swapCurated(lake, runID string) (string, error) {
	link := CuratedDir(lake)
	prev := ""
	if fi, err := os.Lstat(link); err == nil {
		if fi.Mode()&os.ModeSymlink == 0 {
			return "", fmt.Errorf("swap curated: %s is not a symlink; move it away", link)
		}
		target, err := os.Readlink(link)
		if err != nil {
			return "", fmt.Errorf("swap curated: %w", err)
		}
		prev = strings.TrimPrefix(filepath.Base(target), curatedPrefix)
	}
	tmp := filepath.Join(lake, ".tmp-curated-"+runID)
	_ = os.Remove(tmp)
	if err := os.Symlink(curatedPrefix+runID, tmp); err != nil {
		return "", fmt.Errorf("swap curated: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("swap curated: %w", err)
	}
	return prev, syncDir(lake)
}

// currentRun returns the run id lake/curated points at, or "".
func currentRun(lake string) string {
	target, err := os.Readlink(CuratedDir(lake))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(filepath.Base(target), curatedPrefix)
}

// pruneCurated removes the curated.* directories other than keep (the new state and
// the previous one, which a reader may still be in). Temporary leftovers of killed runs
// are removed by removeStale when the lock is taken.
func pruneCurated(lake string, keep ...string) error {
	entries, err := os.ReadDir(lake)
	if err != nil {
		return fmt.Errorf("prune curated: %w", err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		id, ok := strings.CutPrefix(name, curatedPrefix)
		if !ok || !e.IsDir() {
			continue
		}
		kept := false
		for _, k := range keep {
			if k != "" && id == k {
				kept = true
			}
		}
		if !kept {
			if err := os.RemoveAll(filepath.Join(lake, name)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("prune curated: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// sqlString quotes s as a SQL string literal. It is used only for file paths built
// from the lake path (COPY targets and read_parquet paths cannot be bound) and for
// the catalog's comments, which come from the root package's definitions.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlList quotes paths as a SQL list literal.
func sqlList(paths []string) string {
	q := make([]string, len(paths))
	for i, p := range paths {
		q[i] = sqlString(p)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ident quotes an identifier. Identifiers come from the root package's table
// definitions (the allow-list); quoting guards against a reserved word.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// lockLake takes the lake's transform lock, so that two transforms never swap and
// prune at the same time; the lock goes with the process if it dies. Holding it, it
// removes the temporary leftovers of earlier runs (removeStale) before the new run
// creates its own.
func lockLake(lake string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(lake, ".transform.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock lake: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock lake: another transform is running on %s (%w)", lake, err)
	}
	if err := removeStale(lake, time.Now()); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// Temporary names a transform writes (docs/architecture.md: readers ignore them).
const (
	tmpCurated     = ".tmp-" + curatedPrefix // .tmp-curated.<run_id>/: the state being built
	tmpCuratedLink = ".tmp-curated-"         // .tmp-curated-<run_id>: the symlink being swapped in
	tmpSpill       = ".tmp-duckdb-"          // .tmp-duckdb-<run_id>/: DuckDB's spill folder
	tmpCatalog     = ".tmp-catalog-"         // .tmp-catalog-*.duckdb[.wal]: BuildCatalog's new file
	tmpChecks      = ".tmp-"                 // checks/.tmp-<run_id>-latest.parquet
)

// staleCatalogAge is how old a temporary catalog must be to count as a leftover.
// BuildCatalog also runs without the lock (after 'safetyrisk indicators'), so a young
// one may belong to a build in progress; a build takes seconds.
const staleCatalogAge = time.Hour

// removeStale removes what killed transforms left behind: the curated state they were
// building, their symlink and spill folder, their checks file, and temporary catalogs
// older than staleCatalogAge. It must be called with the lock held and before this
// run creates anything: the curated, symlink, spill and checks temporaries are written
// only under the lock, so any found then belongs to a dead run.
func removeStale(lake string, now time.Time) error {
	var errs []error
	remove := func(path string) {
		if err := os.RemoveAll(path); err != nil {
			errs = append(errs, err)
		}
	}
	entries, err := os.ReadDir(lake)
	if err != nil {
		return fmt.Errorf("remove stale temporaries: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, tmpCurated), strings.HasPrefix(name, tmpCuratedLink), strings.HasPrefix(name, tmpSpill):
			remove(filepath.Join(lake, name))
		case strings.HasPrefix(name, tmpCatalog):
			if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleCatalogAge {
				remove(filepath.Join(lake, name))
			}
		}
	}
	checks, err := os.ReadDir(filepath.Join(lake, checksDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	for _, e := range checks {
		if strings.HasPrefix(e.Name(), tmpChecks) {
			remove(filepath.Join(lake, checksDir, e.Name()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove stale temporaries: %w", err)
	}
	return nil
}

// ErrNoCuratedData is returned by DataYears when the lake has no curated state, or
// one without a dated row: there is nothing to compute indicators from.
var ErrNoCuratedData = errors.New("no curated data (run 'safetyrisk ingest' and 'safetyrisk transform' first)")

// DataYears returns the first and the last year of the current curated state, from
// the year=YYYY partitions of the tables with a time column (the year of that column,
// local time). It reads folder names only.
func DataYears(lake string) (first, last int, err error) {
	dir := CuratedDir(lake)
	if _, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, 0, fmt.Errorf("%s: %w", lake, ErrNoCuratedData)
		}
		return 0, 0, fmt.Errorf("data years: %w", err)
	}
	for _, t := range safetyrisk.Tables() {
		if t.TimeCol == "" {
			continue
		}
		parts, err := os.ReadDir(filepath.Join(dir, t.Name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, 0, fmt.Errorf("data years: %w", err)
		}
		for _, p := range parts {
			y, ok := strings.CutPrefix(p.Name(), "year=")
			n, err := strconv.Atoi(y)
			if !ok || err != nil || !p.IsDir() {
				continue
			}
			if first == 0 || n < first {
				first = n
			}
			if n > last {
				last = n
			}
		}
	}
	if first == 0 {
		return 0, 0, fmt.Errorf("%s: %w", lake, ErrNoCuratedData)
	}
	return first, last, nil
}
