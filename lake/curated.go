package lake

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// RawFiles lists a table's raw Parquet files, sorted (so by batch, oldest first),
// skipping hidden names. A table never ingested has none.
func RawFiles(lake, table string) ([]string, error) {
	dir := RawDir(lake, table)
	batches, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list raw %s: %w", table, err)
	}
	var out []string
	for _, b := range batches {
		if _, ok := BatchOfDir(b.Name()); !ok || !b.IsDir() || Hidden(b.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, b.Name()))
		if err != nil {
			return nil, fmt.Errorf("list raw %s: %w", table, err)
		}
		for _, f := range files {
			if f.Type().IsRegular() && !Hidden(f.Name()) && strings.HasSuffix(f.Name(), ".parquet") {
				out = append(out, filepath.Join(dir, b.Name(), f.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// ErrNoCuratedData is returned when the lake has no curated state, or one without a
// dated row: there is nothing to compute indicators from.
var ErrNoCuratedData = errors.New("no curated data (run 'safetyrisk ingest' and 'safetyrisk transform' first)")

// CuratedFiles lists the Parquet files of a table in the current curated state, with
// the curated symlink resolved once, so that a reader stays on one run even if
// transform swaps the link meanwhile. A lake never transformed has no files (its
// indicators are zeros); a lake folder that is missing or cannot be read, a broken
// symlink, or a table folder that cannot be read is an error, never an empty table.
func CuratedFiles(lake, table string) ([]string, error) {
	if _, err := os.Stat(lake); err != nil {
		return nil, fmt.Errorf("lake: %w", err)
	}
	link := CuratedDir(lake)
	if _, err := os.Lstat(link); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	run, err := filepath.EvalSymlinks(link)
	if err != nil {
		return nil, fmt.Errorf("curated %s: %w", table, err)
	}
	dir := filepath.Join(run, table)
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if p != dir && Hidden(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".parquet") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("curated %s: %w", table, err)
	}
	return files, nil
}

// SwapCurated points the curated symlink at curated.<runID> atomically (a temporary
// symlink renamed over the old one) and returns the run id it pointed at before ("" if
// none).
func SwapCurated(lake, runID string) (string, error) {
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
	tmp := filepath.Join(lake, tmpCuratedLink+runID)
	_ = os.Remove(tmp)
	if err := os.Symlink(curatedPrefix+runID, tmp); err != nil {
		return "", fmt.Errorf("swap curated: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("swap curated: %w", err)
	}
	if err := SyncDir(lake); err != nil {
		return "", fmt.Errorf("swap curated: %w", err)
	}
	return prev, nil
}

// CurrentRun returns the run id the curated symlink points at, or "".
func CurrentRun(lake string) string {
	target, err := os.Readlink(CuratedDir(lake))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(filepath.Base(target), curatedPrefix)
}

// PruneCurated removes the curated.* folders other than keep (the new state and the
// previous one, which a reader may still be in). Temporary leftovers of killed runs are
// removed by RemoveStale.
func PruneCurated(lake string, keep ...string) error {
	entries, err := os.ReadDir(lake)
	if err != nil {
		return fmt.Errorf("prune curated: %w", err)
	}
	var errs []error
	for _, e := range entries {
		id, ok := strings.CutPrefix(e.Name(), curatedPrefix)
		if !ok || !e.IsDir() || contains(keep, id) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(lake, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("prune curated: %w", err)
	}
	return nil
}

func contains(keep []string, id string) bool {
	for _, k := range keep {
		if k != "" && k == id {
			return true
		}
	}
	return false
}

// Temporary names a transform writes (readers skip them as Hidden).
const (
	tmpCurated     = TmpPrefix + curatedPrefix // .tmp-curated.<run_id>/: the state being built
	tmpCuratedLink = TmpPrefix + "curated-"    // .tmp-curated-<run_id>: the symlink being swapped in
	tmpSpill       = TmpPrefix + "duckdb-"     // .tmp-duckdb-<run_id>/: DuckDB's spill folder
	tmpCatalog     = TmpPrefix + "catalog-"    // .tmp-catalog-*.duckdb[.wal]: a catalog being built
	tmpQueries     = TmpPrefix + "queries-"    // .tmp-queries-<pid>-<random>/: an indicators run's or a server's spill folder
)

// QuerySpillDir names a spill folder of the calling process's own in the lake's
// temporary area, for DuckDB's temp_directory (made only when it spills). Its name
// carries the process id, so that RemoveStale removes it once that process is gone, and
// never while it runs: an indicators run or a server may spill at any time, without the
// transform lock. random tells two engines of one process apart.
func QuerySpillDir(lake, random string) string {
	return filepath.Join(lake, fmt.Sprintf("%s%d-%s", tmpQueries, os.Getpid(), random))
}

// spillOwner is the process id in a query spill folder's name; ok false for another name.
func spillOwner(name string) (pid int, ok bool) {
	rest, found := strings.CutPrefix(name, tmpQueries)
	if !found {
		return 0, false
	}
	digits, _, found := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(digits)
	return pid, found && err == nil && pid > 0
}

// staleCatalogAge is how old a temporary catalog must be to count as a leftover.
// A catalog is also built without the transform lock (after 'safetyrisk indicators'),
// so a young one may belong to a build in progress; a build takes seconds.
const staleCatalogAge = time.Hour

// RemoveStale removes what killed transforms left behind: the curated state they were
// building, their symlink and spill folder, their checks file, and temporary catalogs
// older than staleCatalogAge; and the spill folders of query processes that are gone
// (QuerySpillDir). It must be called with LockTransform held and before the
// run creates anything: the curated, symlink, spill and checks temporaries are written
// only under the lock, so any found then belongs to a dead run.
func RemoveStale(lake string, now time.Time) error {
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
		case strings.HasPrefix(name, tmpQueries):
			// A killed indicators run's or server's: its process is gone.
			if pid, ok := spillOwner(name); ok && !processAlive(pid) {
				remove(filepath.Join(lake, name))
			}
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
		if strings.HasPrefix(e.Name(), TmpPrefix) {
			remove(filepath.Join(lake, checksDir, e.Name()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove stale temporaries: %w", err)
	}
	return nil
}

// DataYears returns the first and the last year of the current curated state, from the
// year=YYYY partitions of the tables with a time column (the year of that column, local
// time). It reads folder names only.
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

// RemoveStaleIngest removes the temporary files and folders a killed ingest left under
// raw/, quarantine/ and manifest/ that are older than age (younger ones may belong to an
// ingest still running), and returns what it removed. Readers never see them; this
// frees the space. A folder that cannot be listed is skipped: the clean-up is best
// effort and the next ingest tries again.
func RemoveStaleIngest(lake string, age time.Duration, now time.Time) []string {
	var dirs []string
	for _, top := range []string{rawDir, quarantineDir} {
		ents, _ := os.ReadDir(filepath.Join(lake, top))
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(lake, top, e.Name()))
			}
		}
	}
	dirs = append(dirs, filepath.Join(lake, manifestDir))
	var removed []string
	for _, d := range dirs {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || !strings.HasPrefix(e.Name(), TmpPrefix) || now.Sub(info.ModTime()) < age {
				continue
			}
			if err := os.RemoveAll(filepath.Join(d, e.Name())); err == nil {
				removed = append(removed, filepath.Join(d, e.Name()))
			}
		}
	}
	return removed
}
