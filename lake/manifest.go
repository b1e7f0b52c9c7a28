package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"time"
)

// Batch is one entry of manifest/batches.json: one source file (or one sheet of a
// workbook) ingested into one table.
type Batch struct {
	BatchID         string    `json:"batch_id"`
	Table           string    `json:"table"`
	SourcePath      string    `json:"source_path"`
	SourceSHA256    string    `json:"source_sha256"`
	SourceSheet     string    `json:"source_sheet,omitempty"` // the XLSX sheet read: one workbook may hold several tables
	SourceBytes     int64     `json:"source_bytes,omitempty"` // the file's size; 0 in entries written before it was kept
	RowsRead        int64     `json:"rows_read"`
	RowsAccepted    int64     `json:"rows_accepted"`
	RowsQuarantined int64     `json:"rows_quarantined"`
	IngestedAt      time.Time `json:"ingested_at"`
	TopReasons      []Reason  `json:"top_reasons"`
	Warnings        []string  `json:"warnings,omitempty"` // assumptions ingest made for the file (a unit a header does not state)
}

// Reason is a quarantine rule and how many rows of a batch it rejected.
type Reason struct {
	Rule  string `json:"rule"`
	Count int64  `json:"count"`
}

// ReadManifest reads the ingest manifest. A lake without one has no batches yet: that
// is nil and no error (the one meaning of a missing manifest, for every reader).
func ReadManifest(lake string) ([]Batch, error) {
	b, err := os.ReadFile(ManifestPath(lake))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m []Batch
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", ManifestPath(lake), err)
	}
	return m, nil
}

// WriteManifest replaces the manifest with m, sorted by batch id, atomically. The
// caller holds LockIngest.
func WriteManifest(lake string, m []Batch) error {
	sort.SliceStable(m, func(i, j int) bool { return m[i].BatchID < m[j].BatchID })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := WriteFileAtomic(ManifestPath(lake), append(b, '\n')); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// AppendManifest adds one batch to the manifest. The caller holds LockIngest.
func AppendManifest(lake string, e Batch) error {
	m, err := ReadManifest(lake)
	if err != nil {
		return err
	}
	return WriteManifest(lake, append(m, e))
}
