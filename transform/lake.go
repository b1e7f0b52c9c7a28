package transform

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// curatedGlob is the glob of a table's curated files under dir (a curated.<run_id>
// folder or the curated symlink), for read_parquet.
func curatedGlob(dir string, t *safetyrisk.Table) string {
	return lake.CuratedGlob(dir, t.Name, t.TimeCol != "")
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
// removes the temporary leftovers of earlier runs before the new run creates its own.
func lockLake(dir string) (func(), error) {
	unlock, err := lake.LockTransform(dir)
	if errors.Is(err, lake.ErrLocked) {
		return nil, fmt.Errorf("another transform is running on %s: %w", dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("lock lake: %w", err)
	}
	if err := lake.RemoveStale(dir, time.Now()); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}
