package lake

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Check is one data-quality result of checks/latest.parquet.
type Check struct {
	Table    string
	Check    string // unique, not_null, accepted_values, relationships, flag, stats_year, freshness, row_count
	Column   string // the column checked ("" for table-wide checks)
	Status   string // pass, warn or fail
	Failures int64  // rows (or keys) that fail
	Detail   string // a few examples, or the numbers behind the status
}

// Checks is the stored result of the last transform's checks.
type Checks struct {
	RunID   string
	AsOf    string // YYYY-MM-DD
	Results []Check
}

// ErrNoChecks is returned (wrapped, with fs.ErrNotExist) when the lake has no check
// results yet.
var ErrNoChecks = errors.New("no data-quality checks in the lake yet (run 'safetyrisk transform')")

// checkColumns are the columns of the checks file; the optional ones may be absent from
// a file of an older transform.
var checkColumns = []struct {
	name     string
	optional bool
}{{"seq", true}, {"run_id", true}, {"as_of", true}, {"table", false}, {"check", false},
	{"column", true}, {"status", false}, {"failures", false}, {"detail", true}}

// ReadChecks reads checks/latest.parquet by column name, whatever the writer's physical
// types (DuckDB's COPY writes nullable columns, parquet-go required ones), in the
// order they were written. A missing file is an error wrapping both ErrNoChecks and
// fs.ErrNotExist.
func ReadChecks(lake string) (*Checks, error) {
	path := ChecksPath(lake)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read checks: %w (%w)", ErrNoChecks, err)
		}
		return nil, fmt.Errorf("read checks: %w", err)
	}
	defer f.Close()
	out, err := readChecks(f)
	if err != nil {
		return nil, fmt.Errorf("read checks %s: %w", path, err)
	}
	return out, nil
}

func readChecks(f *os.File) (*Checks, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return nil, err
	}
	col := map[int]string{}
	for _, c := range checkColumns {
		leaf, ok := pf.Schema().Lookup(c.name)
		if !ok {
			if c.optional {
				continue
			}
			return nil, fmt.Errorf("no column %q", c.name)
		}
		col[leaf.ColumnIndex] = c.name
	}
	out := &Checks{}
	var seqs []int64
	buf := make([]parquet.Row, 256)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				c, seq := checkOfRow(row, col, out)
				out.Results = append(out.Results, c)
				seqs = append(seqs, seq)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return nil, err
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	idx := make([]int, len(seqs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return seqs[idx[a]] < seqs[idx[b]] })
	sorted := make([]Check, len(idx))
	for i, j := range idx {
		sorted[i] = out.Results[j]
	}
	out.Results = sorted
	return out, nil
}

// checkOfRow decodes one row; run_id and as_of go to the file's header fields.
func checkOfRow(row parquet.Row, col map[int]string, out *Checks) (Check, int64) {
	var c Check
	var seq int64
	row.Range(func(i int, vs []parquet.Value) bool {
		if len(vs) == 0 || vs[0].IsNull() {
			return true
		}
		v := vs[0]
		switch col[i] {
		case "table":
			c.Table = v.String()
		case "check":
			c.Check = v.String()
		case "column":
			c.Column = v.String()
		case "status":
			c.Status = v.String()
		case "detail":
			c.Detail = v.String()
		case "run_id":
			out.RunID = v.String()
		case "as_of":
			out.AsOf = dateString(v)
		case "failures":
			c.Failures = intOf(v)
		case "seq":
			seq = intOf(v)
		}
		return true
	})
	return c, seq
}

// intOf reads an integer column whatever its physical type.
func intOf(v parquet.Value) int64 {
	switch v.Kind() {
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Float:
		return int64(v.Float())
	case parquet.Double:
		return int64(v.Double())
	}
	return 0
}

// dateString reads a DATE (INT32 days) or a string column as YYYY-MM-DD.
func dateString(v parquet.Value) string {
	if v.Kind() == parquet.Int32 {
		return DateFromDays(v.Int32()).Format(time.DateOnly)
	}
	return v.String()
}
