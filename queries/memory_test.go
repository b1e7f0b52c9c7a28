package queries

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The engine bounds DuckDB's memory and spills into the lake's temporary area, in a
// folder of its own that Close removes (issue 15: every stage within 1 GB).
func TestEngineMemoryLimitSpillsInLake(t *testing.T) {
	ctx := context.Background()
	lake := testLake(t)
	e, err := Open(ctx, Config{Lake: lake, Profile: testProfile(t), MemoryLimit: "32MB"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var limit, tmp string
	if err := e.conn.QueryRowContext(ctx, "SELECT current_setting('memory_limit'), current_setting('temp_directory')").Scan(&limit, &tmp); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(limit, "30.5 MiB") && !strings.HasPrefix(limit, "32.0 MB") {
		t.Errorf("memory_limit = %q, want 32MB", limit)
	}
	abs, _ := filepath.Abs(lake)
	if filepath.Dir(tmp) != abs || !strings.HasPrefix(filepath.Base(tmp), ".tmp-queries-") {
		t.Fatalf("temp_directory = %q, want a .tmp-queries- folder in %s", tmp, abs)
	}
	// A sort several times the limit: it must spill to the folder, not fail.
	if _, err := e.conn.ExecContext(ctx, "CREATE TEMP TABLE big AS SELECT i, md5(i::VARCHAR) AS h FROM range(1000000) t(i) ORDER BY h"); err != nil {
		t.Fatalf("sort past the memory limit: %v", err)
	}
	if _, err := os.Stat(tmp); err != nil {
		t.Errorf("no spill folder after a sort past the limit: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("spill folder %s left after Close: %v", tmp, err)
	}
}

func TestConfigDefaultMemoryLimit(t *testing.T) {
	c := Config{Lake: "x"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.MemoryLimit != DefaultMemoryLimit {
		t.Errorf("MemoryLimit = %q, want %q", c.MemoryLimit, DefaultMemoryLimit)
	}
}
