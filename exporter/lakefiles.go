package exporter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
)

// Batch is one entry of lake/manifest/batches.json, written by the ingest
// (docs/architecture.md, Manifest).
type Batch struct {
	BatchID         string        `json:"batch_id"`
	Table           string        `json:"table"`
	SourcePath      string        `json:"source_path"`
	SourceSHA256    string        `json:"source_sha256"`
	RowsRead        int64         `json:"rows_read"`
	RowsAccepted    int64         `json:"rows_accepted"`
	RowsQuarantined int64         `json:"rows_quarantined"`
	IngestedAt      time.Time     `json:"ingested_at"`
	TopReasons      []BatchReason `json:"top_reasons"`
}

// BatchReason is a quarantine rule and how many rows of a batch it rejected.
type BatchReason struct {
	Rule  string `json:"rule"`
	Count int64  `json:"count"`
}

// ManifestPath is the ingest manifest of a lake.
func ManifestPath(lake string) string { return filepath.Join(lake, "manifest", "batches.json") }

// ChecksPath is the data-quality results of the last transform.
func ChecksPath(lake string) string { return filepath.Join(lake, "checks", "latest.parquet") }

// ReadManifest reads the ingest manifest; an error wrapping os.ErrNotExist when the lake
// has none yet.
func ReadManifest(lake string) ([]Batch, error) {
	b, err := os.ReadFile(ManifestPath(lake))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var batches []Batch
	if err := json.Unmarshal(b, &batches); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", ManifestPath(lake), err)
	}
	return batches, nil
}

// tableRows sums the manifest per table.
type tableRows struct {
	batches, read, accepted, quarantined int64
	lastIngest                           time.Time
}

// sumManifest sums batches per table. Tables that are not one of safetyrisk.Tables()
// are dropped (the table label takes only known names), and counted in unknown.
func sumManifest(batches []Batch) (per map[string]*tableRows, unknown int) {
	per = map[string]*tableRows{}
	for _, b := range batches {
		if safetyrisk.TableByName(b.Table) == nil {
			unknown++
			continue
		}
		t := per[b.Table]
		if t == nil {
			t = &tableRows{}
			per[b.Table] = t
		}
		t.batches++
		t.read += b.RowsRead
		t.accepted += b.RowsAccepted
		t.quarantined += b.RowsQuarantined
		if b.IngestedAt.After(t.lastIngest) {
			t.lastIngest = b.IngestedAt
		}
	}
	return per, unknown
}

// Check is one data-quality check result of lake/checks/latest.parquet.
type Check struct {
	Table    string
	Check    string
	Column   string
	Status   string // pass, warn or fail
	Failures int64
	Detail   string
}

// Check statuses; any other value is served as "unknown".
var checkStatuses = []string{"pass", "warn", "fail", "unknown"}

// ReadChecks reads lake/checks/latest.parquet by column name, whatever the writer's
// physical types (DuckDB's COPY writes nullable columns, parquet-go required ones), so it
// does not depend on how transform writes it. An error wrapping os.ErrNotExist when the
// file is absent.
func ReadChecks(lake string) ([]Check, error) {
	path := ChecksPath(lake)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read checks: %w", err)
	}
	pf, err := parquet.OpenFile(f, info.Size())
	if err != nil {
		return nil, fmt.Errorf("read checks %s: %w", path, err)
	}
	idx := map[string]int{}
	for _, name := range []string{"table", "check", "column", "status", "failures", "detail"} {
		leaf, ok := pf.Schema().Lookup(name)
		if !ok {
			if name == "detail" || name == "column" {
				idx[name] = -1
				continue
			}
			return nil, fmt.Errorf("read checks %s: no column %q", path, name)
		}
		idx[name] = leaf.ColumnIndex
	}
	var out []Check
	buf := make([]parquet.Row, 256)
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		for {
			n, err := rows.ReadRows(buf)
			for _, row := range buf[:n] {
				var c Check
				row.Range(func(col int, vs []parquet.Value) bool {
					if len(vs) == 0 || vs[0].IsNull() {
						return true
					}
					v := vs[0]
					switch col {
					case idx["table"]:
						c.Table = v.String()
					case idx["check"]:
						c.Check = v.String()
					case idx["column"]:
						c.Column = v.String()
					case idx["status"]:
						c.Status = v.String()
					case idx["detail"]:
						c.Detail = v.String()
					case idx["failures"]:
						switch v.Kind() {
						case parquet.Int32:
							c.Failures = int64(v.Int32())
						case parquet.Int64:
							c.Failures = v.Int64()
						case parquet.Float:
							c.Failures = int64(v.Float())
						case parquet.Double:
							c.Failures = int64(v.Double())
						}
					}
					return true
				})
				out = append(out, c)
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("read checks %s: %w", path, err)
			}
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("read checks %s: %w", path, err)
		}
	}
	return out, nil
}
