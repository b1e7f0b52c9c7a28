package ingest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/safetyrisk/safetyrisk"
)

// The lake layout of docs/architecture.md.
const (
	rawDir        = "raw"
	quarantineDir = "quarantine"
	manifestDir   = "manifest"
	manifestFile  = "batches.json"
	partFile      = "part-00000.parquet"
	tmpPrefix     = ".tmp-"

	// SourceRowColumn is the raw Parquet column holding the source row number.
	SourceRowColumn = "_source_row"

	rowGroupRows = 128 << 10
)

// BatchID is <UTC yyyymmddTHHMMSS.ffffffZ>-<first 8 hex of the source sha256>, so that
// sorting batch ids sorts them by ingest time (docs/architecture.md).
func BatchID(t time.Time, sha256hex string) string {
	return t.UTC().Format("20060102T150405.000000Z") + "-" + sha256hex[:8]
}

// rawSchema is the raw Parquet schema of a table: one optional leaf per column, named
// by its canonical name, plus the required _source_row.
type rawSchema struct {
	schema      *parquet.Schema
	leaf        []int // leaf column index of each table column
	derivedLeaf []int // leaf column index of each derived column (Table.Derived)
	rowIdx      int   // leaf column index of _source_row
	width       int
	noBounds    []string // columns without page bounds
}

func newRawSchema(t *safetyrisk.Table) (*rawSchema, error) {
	g := parquet.Group{}
	for _, c := range t.Columns {
		var n parquet.Node
		switch c.Kind {
		case safetyrisk.KindInt:
			n = parquet.Int(64)
		case safetyrisk.KindFloat:
			n = parquet.Leaf(parquet.DoubleType)
		case safetyrisk.KindBool:
			n = parquet.Leaf(parquet.BooleanType)
		case safetyrisk.KindDate:
			n = parquet.Date() // INT32 days: never time.Time (DESIGN.md, known traps)
		case safetyrisk.KindTime:
			n = parquet.Timestamp(parquet.Microsecond) // adjusted to UTC
		case safetyrisk.KindEnum, safetyrisk.KindEnumSet, safetyrisk.KindRegion, safetyrisk.KindSector:
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		default:
			n = parquet.String()
		}
		if _, dup := g[c.Name]; dup {
			return nil, fmt.Errorf("table %s: column %s declared twice", t.Name, c.Name)
		}
		g[c.Name] = parquet.Optional(n)
	}
	for _, d := range t.Derived {
		if _, dup := g[d.Name]; dup || d.Kind != safetyrisk.KindBool {
			return nil, fmt.Errorf("table %s: derived column %s: a duplicate name or not a boolean", t.Name, d.Name)
		}
		g[d.Name] = parquet.Optional(parquet.Leaf(parquet.BooleanType))
	}
	g[SourceRowColumn] = parquet.Int(64)
	s := &rawSchema{schema: parquet.NewSchema(t.Name, g), leaf: make([]int, len(t.Columns))}
	for _, d := range t.Derived {
		lc, _ := s.schema.Lookup(d.Name)
		s.derivedLeaf = append(s.derivedLeaf, lc.ColumnIndex)
	}
	for i, c := range t.Columns {
		switch c.Kind {
		case safetyrisk.KindString, safetyrisk.KindPII, safetyrisk.KindCreditCode:
			s.noBounds = append(s.noBounds, c.Name)
		}
		lc, ok := s.schema.Lookup(c.Name)
		if !ok {
			return nil, fmt.Errorf("table %s: column %s missing from its schema", t.Name, c.Name)
		}
		s.leaf[i] = lc.ColumnIndex
	}
	lc, _ := s.schema.Lookup(SourceRowColumn)
	s.rowIdx = lc.ColumnIndex
	s.width = len(t.Columns) + len(t.Derived) + 1
	return s, nil
}

// zstdFast is zstd at its fastest level: on repetitive administrative data it costs half
// the default level's time for a file a few percent larger.
var zstdFast = zstd.Codec{Level: zstd.SpeedFastest}

func writerOptions(s *rawSchema) []parquet.WriterOption {
	opts := []parquet.WriterOption{
		s.schema,
		parquet.Compression(&zstdFast),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.CreatedBy("safetyrisk", "ingest", ""),
	}
	// Page min/max of free text, identities and ids serve no reader's filter and cost a
	// comparison of every value.
	for _, c := range s.noBounds {
		opts = append(opts, parquet.SkipPageBounds(c)) // one column path each
	}
	return opts
}

// quarantineRecord is one error of one rejected row (docs/architecture.md).
type quarantineRecord struct {
	SourceFile string `parquet:"source_file,dict"`
	SourceRow  int64  `parquet:"source_row"`
	Column     string `parquet:"column,dict"`
	Value      string `parquet:"value"`
	Rule       string `parquet:"rule,dict"`
	Message    string `parquet:"message"`
	Raw        string `parquet:"raw"`
}

// tempFile is a file being written under a temporary name in its final directory; Commit
// renames it into place, Abort removes it.
type tempFile struct {
	*os.File
	final string
}

func createTemp(final string) (*tempFile, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, tmpPrefix+filepath.Base(final)+"-*")
	if err != nil {
		return nil, err
	}
	return &tempFile{File: f, final: final}, nil
}

// Commit syncs, closes and renames the file into place.
func (t *tempFile) Commit() error {
	if err := t.Sync(); err != nil {
		t.Abort()
		return err
	}
	if err := t.Close(); err != nil {
		os.Remove(t.Name())
		return err
	}
	if err := os.Rename(t.Name(), t.final); err != nil {
		os.Remove(t.Name())
		return err
	}
	return syncDir(filepath.Dir(t.final))
}

// Abort removes the temporary file.
func (t *tempFile) Abort() {
	t.Close()
	os.Remove(t.Name())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// writeFileAtomic writes b to path through a temporary name.
func writeFileAtomic(path string, b []byte) error {
	t, err := createTemp(path)
	if err != nil {
		return err
	}
	if _, err := t.Write(b); err != nil {
		t.Abort()
		return err
	}
	return t.Commit()
}

// tempDir makes a hidden directory beside final, to be renamed to final when complete.
func tempDir(final string) (string, error) {
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	var b [6]byte
	rand.Read(b[:])
	dir := filepath.Join(parent, tmpPrefix+filepath.Base(final)+"-"+hex.EncodeToString(b[:]))
	return dir, os.Mkdir(dir, 0o755)
}

// ManifestEntry is one batch in manifest/batches.json (docs/architecture.md).
type ManifestEntry struct {
	BatchID         string        `json:"batch_id"`
	Table           string        `json:"table"`
	SourcePath      string        `json:"source_path"`
	SourceSHA256    string        `json:"source_sha256"`
	SourceSheet     string        `json:"source_sheet,omitempty"` // the XLSX sheet read: one workbook may hold several tables
	RowsRead        int64         `json:"rows_read"`
	RowsAccepted    int64         `json:"rows_accepted"`
	RowsQuarantined int64         `json:"rows_quarantined"`
	IngestedAt      time.Time     `json:"ingested_at"`
	TopReasons      []ReasonCount `json:"top_reasons"`
	Warnings        []string      `json:"warnings,omitempty"` // assumptions made for the file (issue 11 item 8)
}

// ReasonCount is how many quarantine records a rule produced.
type ReasonCount struct {
	Rule  string `json:"rule"`
	Count int64  `json:"count"`
}

// ReadManifest reads lake/manifest/batches.json; a lake without one has no batches.
func ReadManifest(lake string) ([]ManifestEntry, error) {
	b, err := os.ReadFile(filepath.Join(lake, manifestDir, manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	var m []ManifestEntry
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return m, nil
}

// appendManifest rewrites the manifest with e added, atomically.
func appendManifest(lake string, e ManifestEntry) error {
	m, err := ReadManifest(lake)
	if err != nil {
		return err
	}
	m = append(m, e)
	sort.SliceStable(m, func(i, j int) bool { return m[i].BatchID < m[j].BatchID })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(lake, manifestDir, manifestFile), append(b, '\n'))
}

// topReasons sorts rule counts, most frequent first, and keeps n.
func topReasons(counts map[string]int64, n int) []ReasonCount {
	out := make([]ReasonCount, 0, len(counts))
	for r, c := range counts {
		out = append(out, ReasonCount{Rule: r, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Rule < out[j].Rule
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// hidden reports a name that readers of the lake skip.
func hidden(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }
