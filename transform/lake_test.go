package transform

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/lake"
)

// TestTransformRemovesStaleTemporaries: a transform killed half-way leaves the curated
// state it was building, its DuckDB spill folder, its symlink and checks file being
// swapped in, and a temporary catalog (issue 10, point 8). The next transform, holding
// the lock, removes them all; a temporary catalog young enough to belong to a build in
// progress elsewhere is kept.
func TestTransformRemovesStaleTemporaries(t *testing.T) {
	lakeDir := demoLake(t)
	dead := "20240101T000000.000000Z"
	old := time.Now().Add(-2 * time.Hour) // older than the hour a catalog build may take
	write := func(rel string, mtime time.Time) string {
		t.Helper()
		p := filepath.Join(lakeDir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("left by a killed run"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := []string{
		write(".tmp-curated."+dead+"/hazards/year=2024/part-00000.parquet", old),
		write(".tmp-duckdb-"+dead+"/duckdb_temp_storage-0.tmp", old),
		write("checks/.tmp-"+dead+"-latest.parquet", old),
		write(".tmp-catalog-123456.duckdb", old),
		write(".tmp-catalog-123456.duckdb.wal", old),
	}
	link := filepath.Join(lakeDir, ".tmp-curated-"+dead)
	if err := os.Symlink("curated."+dead, link); err != nil {
		t.Fatal(err)
	}
	stale = append(stale, link, filepath.Join(lakeDir, ".tmp-curated."+dead), filepath.Join(lakeDir, ".tmp-duckdb-"+dead))
	young := write(".tmp-catalog-999999.duckdb", time.Now())

	runTransform(t, lakeDir, "2024-03-01")

	for _, p := range stale {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s still there after a transform (%v)", p, err)
		}
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("a temporary catalog of a build that may be in progress was removed: %v", err)
	}
	// A second run finds nothing more to remove and still works.
	runTransform(t, lakeDir, "2024-03-01")
}

// TestDataYears: the years of the curated partitions; a lake never transformed, and a
// transformed lake without a dated row, have no data to compute indicators from.
func TestDataYears(t *testing.T) {
	lakeDir := demoLake(t)
	runTransform(t, lakeDir, "2024-03-01")
	if first, last, err := lake.DataYears(lakeDir); err != nil || first != 2023 || last != 2024 {
		t.Errorf("DataYears = %d, %d, %v; want 2023, 2024", first, last, err)
	}
	empty := t.TempDir()
	if _, _, err := lake.DataYears(empty); !errors.Is(err, lake.ErrNoCuratedData) {
		t.Errorf("a lake never transformed: %v", err)
	}
	runTransform(t, empty, "2024-03-01")
	if _, _, err := lake.DataYears(empty); !errors.Is(err, lake.ErrNoCuratedData) {
		t.Errorf("a transformed lake without rows: %v", err)
	}
	if _, _, err := lake.DataYears(filepath.Join(empty, "missing")); !errors.Is(err, lake.ErrNoCuratedData) {
		t.Errorf("a missing lake: %v", err)
	}
}
