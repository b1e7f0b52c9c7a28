package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// The ingest of one file, step by step: open it, skip it when the manifest has it,
// find its header and table, map its columns, run the pipeline over its records, and
// publish the batch under the lake's lock.

// preHashSize is the size under which a text file is hashed before it is read.
const preHashSize = 64 << 20

// opened is a source file opened for ingest.
type opened struct {
	path  string
	src   source
	sum   string // the file's sha256; "" until the pipeline has read it all (a large file)
	sheet string // the XLSX sheet read
	size  int64
	// manifest is the manifest as open read it, to look the file up in: read only for
	// a file hashed before it is read; nil else.
	manifest []lake.Batch
}

// header is what the first records of a source say.
type header struct {
	table *safetyrisk.Table
	cells []string
	// A JSON source's first record is data, read with its keys: it goes to the
	// pipeline first (with its error, when it had one).
	first    []string
	firstRow int64
	firstErr *recordError
}

func (in *Ingester) file(ctx context.Context, path string, res *Result) error {
	f, err := in.open(path)
	if err != nil {
		return err
	}
	defer f.src.Close()
	if f.sum != "" && holds(f.manifest, f.sum, f.sheet, res) {
		return nil
	}
	res.Encoding = f.src.Encoding()
	h, err := in.readHeader(f)
	if err != nil {
		return err
	}
	res.Table = h.table.Name
	m, err := in.mapColumns(f, h, res)
	if err != nil {
		return err
	}
	now := in.cfg.Now().Truncate(time.Microsecond)
	p, err := in.newPipeline(f, h, m, now)
	if err != nil {
		return err
	}
	if err := p.run(ctx); err != nil {
		p.w.abort()
		return err
	}
	if f.sum == "" {
		if f.sum, err = f.src.Sum(); err != nil {
			p.w.abort()
			return refuse(path, "%w", err)
		}
	}
	return in.publish(f, h.table, p, now, res)
}

// open opens a source file. A workbook (which excelize reads itself), and a small file
// the manifest may hold, are hashed first, so that one already ingested costs nothing;
// any other is hashed as it is read, in the pipeline's reader, and checked against the
// manifest at the end.
func (in *Ingester) open(path string) (*opened, error) {
	if FormatOf(path) == FormatUnknown {
		return nil, refuse(path, "unsupported file type %q (want .csv, .xlsx, .json, .ndjson or .jsonl)", filepath.Ext(path))
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, refuse(path, "%w", err)
	}
	f := &opened{path: path, size: st.Size()}
	if FormatOf(path) == FormatXLSX || st.Size() < in.preHash {
		if f.manifest, err = lake.ReadManifest(in.cfg.Lake); err != nil {
			return nil, err
		}
		if FormatOf(path) == FormatXLSX || mayHold(f.manifest, st.Size()) {
			if f.sum, err = fileSHA256(path); err != nil {
				return nil, refuse(path, "%w", err)
			}
		}
	}
	if f.src, err = openSource(path, in.cfg.Sheet, f.sum == ""); err != nil {
		return nil, refuse(path, "%w", err)
	}
	if x, ok := f.src.(*xlsxSource); ok {
		f.sheet = x.sheet
	}
	return f, nil
}

// mayHold reports whether the manifest may hold a file of size bytes: it has an entry
// of that size, or one written before entries kept their size. A file of another size
// is new: hashing it first would read it twice, on one core, while the other waits.
func mayHold(manifest []lake.Batch, size int64) bool {
	for _, e := range manifest {
		if e.SourceBytes == size || e.SourceBytes == 0 {
			return true
		}
	}
	return false
}

// holds reports whether the manifest holds the file (sha256 and sheet), and fills res
// from its entry.
func holds(manifest []lake.Batch, sum, sheet string, res *Result) bool {
	for _, e := range manifest {
		if e.SourceSHA256 == sum && e.SourceSheet == sheet {
			res.AlreadyIngested, res.BatchID, res.Table = true, e.BatchID, e.Table
			return true
		}
	}
	return false
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readHeader finds the header: the first record that names enough columns (title rows
// above it are skipped), or the keys of a JSON source. Its cells must be UTF-8.
func (in *Ingester) readHeader(f *opened) (*header, error) {
	var h *header
	var err error
	if _, isJSON := f.src.(*jsonSource); isJSON {
		h, err = in.jsonHeader(f)
	} else {
		h, err = in.tabularHeader(f)
	}
	if err != nil {
		return nil, err
	}
	for j, c := range h.cells {
		if !utf8.ValidString(c) {
			at := firstInvalidUTF8([]byte(c))
			return nil, refuse(f.path, "header cell %d: byte 0x%02x at byte %d is not UTF-8", j+1, c[at], at)
		}
	}
	return h, nil
}

// jsonHeader reads a JSON source's first record: its keys are the header.
func (in *Ingester) jsonHeader(f *opened) (*header, error) {
	h := &header{}
	row, cells, err := f.src.Next()
	var re *recordError
	switch {
	case errors.As(err, &re):
		h.firstErr = re
	case err == io.EOF:
		return nil, refuse(f.path, "no records")
	case err != nil:
		return nil, refuse(f.path, "%w", err)
	}
	h.cells = f.src.Keys()
	h.first, h.firstRow = append([]string(nil), cells...), row
	if h.table = headerTable(in.cfg.Table, h.cells); h.table == nil {
		return nil, refuse(f.path, "the keys of the first object (%s) name no %s", strings.Join(h.cells, ", "), tableWord(in.cfg.Table))
	}
	return h, nil
}

// tabularHeader reads a CSV or sheet down to its header row, at most maxTitleRows.
func (in *Ingester) tabularHeader(f *opened) (*header, error) {
	h := &header{}
	var skipped error // the first record above the header that could not be read
	for n := 0; ; n++ {
		_, cells, err := f.src.Next()
		var re *recordError
		if errors.As(err, &re) {
			if skipped == nil {
				skipped = re
			}
			continue
		}
		if err == io.EOF || n >= maxTitleRows {
			return nil, refuse(f.path, "no header row naming %s in the first %d rows%s", tableWord(in.cfg.Table), maxTitleRows, headerHint(f.src, skipped))
		}
		if err != nil {
			return nil, refuse(f.path, "%w", err)
		}
		if h.table = headerTable(in.cfg.Table, cells); h.table != nil {
			h.cells = append([]string(nil), cells...)
			break
		}
	}
	if cs, ok := f.src.(*csvSource); ok {
		cs.r.maxFields = len(h.cells)
	}
	return h, nil
}

// headerHint says what may have hidden the header: a record above it that could not
// be read, or a first 64 KiB that is not UTF-8 (so read as GB18030).
func headerHint(src source, skipped error) string {
	var hints []string
	if cs, ok := src.(*csvSource); ok && cs.badAt >= 0 {
		hints = append(hints, fmt.Sprintf("the file was read as %s: byte offset %d is not UTF-8", cs.enc, cs.badAt))
	}
	if skipped != nil {
		hints = append(hints, "a record above could not be read: "+escapeInvalid(skipped.Error()))
	}
	if len(hints) == 0 {
		return ""
	}
	return " (" + strings.Join(hints, "; ") + ")"
}

func tableWord(t *safetyrisk.Table) string {
	if t == nil {
		return "the columns of any table"
	}
	return fmt.Sprintf("the columns of table %s (%s) with its key %s", t.Name, t.Chinese, strings.Join(t.Key, ", "))
}

// mapColumns maps the header to the table's columns. A file without a required column,
// or with reporter identities and no key to hash them, is refused; unknown headers are
// logged, assumed units logged and recorded as the file's warnings.
func (in *Ingester) mapColumns(f *opened, h *header, res *Result) (*mapping, error) {
	t := h.table
	m := newMapping(t)
	if err := m.extend(h.cells); err != nil {
		return nil, refuse(f.path, "%w", err)
	}
	if miss := m.missingRequired(); len(miss) > 0 {
		return nil, refuse(f.path, "required columns missing: %s", strings.Join(miss, ", "))
	}
	if pii := m.hasPII(); len(pii) > 0 && len(in.cfg.PIIKey) == 0 {
		return nil, refuse(f.path, "columns %s hold reporter identities, which are stored only as keyed hashes (M57): set SAFETYRISK_PII_KEY or --pii-key-file", strings.Join(pii, ", "))
	}
	if len(m.unknown) > 0 {
		in.log.Warn("headers ignored", "file", f.path, "table", t.Name, "headers", strings.Join(m.unknown, ", "))
	}
	// Issue 11 item 8: a money header without its unit is read as yuan, and said so.
	for _, w := range m.assumed {
		in.log.Warn("unit assumed", "file", f.path, "table", t.Name, "assumption", w)
	}
	res.Warnings = append(res.Warnings, m.assumed...)
	return m, nil
}

// newPipeline sets up the pipeline of one file: its converters and its batch writer.
// Converters run in parallel on the batches of a tabular source; a JSON source's
// columns can grow record by record, so it has one.
func (in *Ingester) newPipeline(f *opened, h *header, m *mapping, now time.Time) (*pipeline, error) {
	t := h.table
	schema, err := newRawSchema(t)
	if err != nil {
		return nil, err
	}
	seed := maphash.MakeSeed()
	workers := min(runtime.GOMAXPROCS(0), maxWorkers)
	if _, isJSON := f.src.(*jsonSource); isJSON {
		workers = 1
	}
	p := &pipeline{in: in, path: f.path, src: f.src, reasons: map[string]int64{}}
	if _, isCSV := f.src.(*csvSource); isCSV {
		p.size = f.size
	}
	for range workers + 1 { // the last is the ordered stage's
		c := newConverter(t, in.cfg.Profile, in.loc, now, in.cfg.PIIKey, m.clone(), schema, seed)
		if cs, ok := f.src.(*csvSource); ok {
			c.dec = cs.dec // nil unless GB18030
		}
		p.convs = append(p.convs, c)
	}
	if p.w, err = in.newBatchWriter(t, schema); err != nil {
		return nil, err
	}
	if h.first != nil || h.firstErr != nil {
		p.pending, p.pendingRow, p.pendingErr = h.first, h.firstRow, h.firstErr
	}
	return p, nil
}

// publish commits the batch and adds it to the manifest under the lake's lock, checking
// the manifest again: another ingest may have taken the same file meanwhile.
func (in *Ingester) publish(f *opened, t *safetyrisk.Table, p *pipeline, now time.Time, res *Result) error {
	unlock, err := lake.LockIngest(in.cfg.Lake)
	if err != nil {
		p.w.abort()
		return fmt.Errorf("lock: %w", err)
	}
	defer unlock()
	manifest, err := lake.ReadManifest(in.cfg.Lake)
	if err != nil || holds(manifest, f.sum, f.sheet, res) {
		p.w.abort()
		return err
	}
	batch := lake.BatchID(now, f.sum)
	res.BatchID = batch
	res.Read, res.Accepted, res.Quarantined = p.read, p.accepted, p.quarantined
	res.TopReasons = topReasons(p.reasons, 5)
	res.Examples = p.examples
	if err := p.w.commit(batch); err != nil {
		return err
	}
	entry := lake.Batch{BatchID: batch, Table: t.Name, SourcePath: f.path, SourceSHA256: f.sum, SourceSheet: f.sheet, SourceBytes: f.size,
		RowsRead: res.Read, RowsAccepted: res.Accepted, RowsQuarantined: res.Quarantined,
		IngestedAt: now.UTC(), TopReasons: res.TopReasons, Warnings: res.Warnings}
	if entry.TopReasons == nil {
		entry.TopReasons = []lake.Reason{}
	}
	return lake.AppendManifest(in.cfg.Lake, entry)
}
