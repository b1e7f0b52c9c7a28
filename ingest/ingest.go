package ingest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"golang.org/x/sync/errgroup"
)

// Config is what an Ingester needs; cmd builds it from flags and the environment.
type Config struct {
	Lake    string              // the lake directory
	Table   *safetyrisk.Table   // the table of every file; nil to detect it from each file's headers
	Profile *safetyrisk.Profile // regions and sectors; nil for the built-in Ordos profile
	PIIKey  []byte              // HMAC key for reporter identities (M57); files with such columns are refused without it
	Sheet   string              // the XLSX sheet to read; "" for the first
	Now     func() time.Time    // the clock (ingest time, "not in the future"); nil for time.Now
	Logger  *slog.Logger        // nil to discard
	// Progress, when not nil, receives a progress line ("\r...") about once a second
	// on long files; cmd passes stderr when it is a terminal.
	Progress io.Writer
}

// MinPIIKeyLen is the shortest accepted HMAC key, in bytes.
const MinPIIKeyLen = 16

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Lake == "" {
		return errors.New("lake directory is required")
	}
	if c.Profile != nil {
		if err := c.Profile.Validate(); err != nil {
			return fmt.Errorf("profile: %w", err)
		}
	}
	if len(c.PIIKey) > 0 && len(c.PIIKey) < MinPIIKeyLen {
		return fmt.Errorf("pii key: %d bytes, want at least %d", len(c.PIIKey), MinPIIKeyLen)
	}
	return nil
}

// Ingester validates source files into the lake. It is not safe for concurrent use, and
// one lake should have one ingest at a time (the manifest is rewritten whole).
type Ingester struct {
	cfg     Config
	loc     *time.Location
	log     *slog.Logger
	cleaned bool
	preHash int64 // files smaller than this are hashed before they are read
}

// New returns an Ingester for cfg.
func New(cfg Config) (*Ingester, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Profile == nil {
		cfg.Profile = safetyrisk.Ordos()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	loc, err := time.LoadLocation(cfg.Profile.Timezone)
	if err != nil {
		if cfg.Profile.Timezone != "Asia/Shanghai" {
			return nil, fmt.Errorf("profile time zone: %w", err)
		}
		loc = time.FixedZone("CST", 8*3600) // no tzdata here; China has kept UTC+8 without DST since 1992
	}
	return &Ingester{cfg: cfg, loc: loc, log: cfg.Logger, preHash: preHashSize}, nil
}

// Result is what became of one source file. Source row numbers (in errors, the
// quarantine's source_row and raw's _source_row) are: for CSV the record number with the
// header record (and any title records above it) counted, so the first data record
// under a header on the first line is 2; for XLSX the row number Excel shows; for a JSON
// array the 1-based element; for NDJSON the 1-based line.
type Result struct {
	Path            string
	Table           string // canonical table name ("" when refused before it was known)
	BatchID         string
	Format          string // csv, xlsx, json, ndjson
	Encoding        string // utf-8, utf-8-bom, gb18030, xlsx, json, ndjson
	Read            int64  // data rows read (blank rows are not rows)
	Accepted        int64
	Quarantined     int64 // rows rejected; each has one quarantine record per error
	TopReasons      []ReasonCount
	Examples        []string // the first few error messages, for the summary
	Warnings        []string // assumptions made for the whole file (a money header without its unit)
	AlreadyIngested bool     // the file's sha256 was in the manifest: nothing was done
	Refused         error    // non-nil when the file was refused whole and nothing of it written
	Duration        time.Duration
}

// RefusedError says why a whole file was refused.
type RefusedError struct {
	Path   string
	Reason error
}

func (e *RefusedError) Error() string { return fmt.Sprintf("%s: refused: %v", e.Path, e.Reason) }
func (e *RefusedError) Unwrap() error { return e.Reason }

func refuse(path string, format string, a ...any) *RefusedError {
	return &RefusedError{Path: path, Reason: fmt.Errorf(format, a...)}
}

// Supported reports whether a directory's file is one that Paths ingests: .csv, .xlsx,
// .json, .ndjson or .jsonl (File also reads .tsv and .xlsm named explicitly).
func Supported(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".xlsx", ".json", ".ndjson", ".jsonl":
		return true
	}
	return false
}

// Paths ingests files and directories in order; a directory contributes its supported
// files (not recursively), sorted by name, skipping names that begin with "_" or ".". A
// refused file does not stop the others; an error (the lake cannot be written, the
// context is done) does, and the results so far are returned with it.
func (in *Ingester) Paths(ctx context.Context, paths []string) ([]Result, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			files = append(files, p) // File refuses what it cannot open
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		var names []string
		for _, e := range ents {
			if !e.IsDir() && !hidden(e.Name()) && Supported(e.Name()) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, filepath.Join(p, n))
		}
	}
	var out []Result
	for _, f := range files {
		r, err := in.File(ctx, f)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// File ingests one source file: accepted rows to raw/<table>/batch=<id>/, rejected ones
// to quarantine/<table>/batch=<id>.parquet, the batch to the manifest. A file already in
// the manifest (same sha256) is skipped. A file whose structure cannot be read is
// refused (Result.Refused) with nothing written. The error is for the rest: the lake
// cannot be written, or ctx is done.
func (in *Ingester) File(ctx context.Context, path string) (Result, error) {
	start := time.Now()
	res := Result{Path: path, Format: FormatOf(path).String()}
	err := in.file(ctx, path, &res)
	res.Duration = time.Since(start)
	if !in.cleaned {
		in.cleaned = true
		in.removeStale()
	}
	var ref *RefusedError
	switch {
	case errors.As(err, &ref):
		res.Refused = ref
		res.Read, res.Accepted, res.Quarantined, res.TopReasons, res.Examples = 0, 0, 0, nil, nil
		return res, nil // the caller reports it, once
	case err != nil:
		return res, fmt.Errorf("ingest %s: %w", path, err)
	}
	if res.AlreadyIngested {
		in.log.Info("already ingested", "file", path, "batch", res.BatchID)
	} else {
		in.log.Info("ingested", "file", path, "table", res.Table, "batch", res.BatchID, "encoding", res.Encoding,
			"read", res.Read, "accepted", res.Accepted, "quarantined", res.Quarantined, "duration", res.Duration.Round(time.Millisecond))
	}
	return res, nil
}

// staleAge is how old a temporary file must be before removeStale takes it for the
// leftover of a crashed ingest rather than the work of one still running.
const staleAge = time.Hour

// removeStale removes the temporary files and directories that a killed ingest left
// under raw/, quarantine/ and manifest/ (readers never see them; this frees the space).
func (in *Ingester) removeStale() {
	var dirs []string
	for _, top := range []string{rawDir, quarantineDir} {
		ents, _ := os.ReadDir(filepath.Join(in.cfg.Lake, top))
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(in.cfg.Lake, top, e.Name()))
			}
		}
	}
	dirs = append(dirs, filepath.Join(in.cfg.Lake, manifestDir))
	for _, d := range dirs {
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			info, err := e.Info()
			if err != nil || !strings.HasPrefix(e.Name(), tmpPrefix) || time.Since(info.ModTime()) < staleAge {
				continue
			}
			if err := os.RemoveAll(filepath.Join(d, e.Name())); err == nil {
				in.log.Info("removed the leftover of an interrupted ingest", "path", filepath.Join(d, e.Name()))
			}
		}
	}
}

// preHashSize is the size under which a text file is hashed before it is read.
const preHashSize = 64 << 20

// already reports whether the manifest holds the file (sha256 and sheet), and fills res
// from its entry.
func (in *Ingester) already(sum, sheet string, res *Result) (bool, error) {
	if sum == "" {
		return false, nil
	}
	manifest, err := ReadManifest(in.cfg.Lake)
	if err != nil {
		return false, err
	}
	for _, e := range manifest {
		if e.SourceSHA256 == sum && e.SourceSheet == sheet {
			res.AlreadyIngested, res.BatchID, res.Table = true, e.BatchID, e.Table
			return true, nil
		}
	}
	return false, nil
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

func (in *Ingester) file(ctx context.Context, path string, res *Result) error {
	if FormatOf(path) == FormatUnknown {
		return refuse(path, "unsupported file type %q (want .csv, .xlsx, .json, .ndjson or .jsonl)", filepath.Ext(path))
	}
	st, err := os.Stat(path)
	if err != nil {
		return refuse(path, "%w", err)
	}
	// A small file (and a workbook, which excelize reads itself) is hashed first, so
	// that one already ingested costs nothing; a large one is hashed as it is read, in
	// the pipeline's reader, and checked against the manifest at the end.
	sum := ""
	if FormatOf(path) == FormatXLSX || st.Size() < in.preHash {
		if sum, err = fileSHA256(path); err != nil {
			return refuse(path, "%w", err)
		}
	}
	src, err := openSource(path, in.cfg.Sheet, sum == "")
	if err != nil {
		return refuse(path, "%w", err)
	}
	defer src.Close()
	sheet := ""
	if x, ok := src.(*xlsxSource); ok {
		sheet = x.sheet
	}
	if done, err := in.already(sum, sheet, res); done || err != nil {
		return err
	}
	res.Encoding = src.Encoding()

	// The header: the first record that names enough columns (title rows above it are
	// skipped), or the keys of a JSON source.
	var t *safetyrisk.Table
	var headers []string
	var first []string // a JSON source's first record, which is data
	var firstRow int64
	var firstErr *recordError
	if _, isJSON := src.(*jsonSource); isJSON {
		row, cells, err := src.Next()
		var re *recordError
		switch {
		case errors.As(err, &re):
			firstErr = re
		case err == io.EOF:
			return refuse(path, "no records")
		case err != nil:
			return refuse(path, "%w", err)
		}
		headers = src.Keys()
		first, firstRow = append([]string(nil), cells...), row
		if t = headerTable(in.cfg.Table, headers); t == nil {
			return refuse(path, "the keys of the first object (%s) name no %s", strings.Join(headers, ", "), tableWord(in.cfg.Table))
		}
	} else {
		var skipped error // the first record above the header that could not be read
		for n := 0; ; n++ {
			_, cells, err := src.Next()
			var re *recordError
			if errors.As(err, &re) {
				if skipped == nil {
					skipped = re
				}
				continue
			}
			if err == io.EOF || n >= maxTitleRows {
				return refuse(path, "no header row naming %s in the first %d rows%s", tableWord(in.cfg.Table), maxTitleRows, headerHint(src, skipped))
			}
			if err != nil {
				return refuse(path, "%w", err)
			}
			if t = headerTable(in.cfg.Table, cells); t != nil {
				headers = append([]string(nil), cells...)
				break
			}
		}
		if cs, ok := src.(*csvSource); ok {
			cs.r.maxFields = len(headers)
		}
	}
	for j, h := range headers {
		if !utf8.ValidString(h) {
			return refuse(path, "header cell %d: byte 0x%02x at byte %d is not UTF-8", j+1, h[firstInvalidUTF8([]byte(h))], firstInvalidUTF8([]byte(h)))
		}
	}
	res.Table = t.Name
	m := newMapping(t)
	if err := m.extend(headers); err != nil {
		return refuse(path, "%w", err)
	}
	if miss := m.missingRequired(); len(miss) > 0 {
		return refuse(path, "required columns missing: %s", strings.Join(miss, ", "))
	}
	if pii := m.hasPII(); len(pii) > 0 && len(in.cfg.PIIKey) == 0 {
		return refuse(path, "columns %s hold reporter identities, which are stored only as keyed hashes (M57): set SAFETYRISK_PII_KEY or --pii-key-file", strings.Join(pii, ", "))
	}
	if len(m.unknown) > 0 {
		in.log.Warn("headers ignored", "file", path, "table", t.Name, "headers", strings.Join(m.unknown, ", "))
	}
	// Issue 11 item 8: a money header without its unit is read as yuan, and said so.
	for _, w := range m.assumed {
		in.log.Warn("unit assumed", "file", path, "table", t.Name, "assumption", w)
	}
	res.Warnings = append(res.Warnings, m.assumed...)

	now := in.cfg.Now().Truncate(time.Microsecond)
	schema, err := newRawSchema(t)
	if err != nil {
		return err
	}
	seed := maphash.MakeSeed()
	// Converters run in parallel on the batches of a tabular source; a JSON source's
	// columns can grow record by record, so it has one.
	workers := min(runtime.GOMAXPROCS(0), maxWorkers)
	if _, isJSON := src.(*jsonSource); isJSON {
		workers = 1
	}
	p := &pipeline{in: in, path: path, src: src, reasons: map[string]int64{}}
	if _, isCSV := src.(*csvSource); isCSV {
		p.size = st.Size()
	}
	for range workers + 1 { // the last is the ordered stage's
		c := newConverter(t, in.cfg.Profile, in.loc, now, in.cfg.PIIKey, m.clone(), schema, seed)
		c.replaced = src.Encoding() == "gb18030"
		p.convs = append(p.convs, c)
	}
	w, err := in.newBatchWriter(t, schema)
	if err != nil {
		return err
	}
	p.w = w
	if first != nil || firstErr != nil {
		p.pending, p.pendingRow, p.pendingErr = first, firstRow, firstErr
	}
	if err := p.run(ctx); err != nil {
		w.abort()
		return err
	}
	if sum == "" {
		if sum, err = src.Sum(); err != nil {
			w.abort()
			return refuse(path, "%w", err)
		}
	}
	// Publish under the lake's lock, checking the manifest again: another ingest may
	// have taken the same file meanwhile.
	unlock, err := lockLake(in.cfg.Lake)
	if err != nil {
		w.abort()
		return fmt.Errorf("lock: %w", err)
	}
	defer unlock()
	if done, err := in.already(sum, sheet, res); done || err != nil {
		w.abort()
		return err
	}
	batch := BatchID(now, sum)
	res.BatchID = batch
	res.Read, res.Accepted, res.Quarantined = p.read, p.accepted, p.quarantined
	res.TopReasons = topReasons(p.reasons, 5)
	res.Examples = p.examples
	if err := w.commit(batch); err != nil {
		return err
	}
	entry := ManifestEntry{BatchID: batch, Table: t.Name, SourcePath: path, SourceSHA256: sum, SourceSheet: sheet,
		RowsRead: res.Read, RowsAccepted: res.Accepted, RowsQuarantined: res.Quarantined,
		IngestedAt: now.UTC(), TopReasons: res.TopReasons, Warnings: res.Warnings}
	if entry.TopReasons == nil {
		entry.TopReasons = []ReasonCount{}
	}
	if err := appendManifest(in.cfg.Lake, entry); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
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

// batchWriter writes one batch: the raw part in a hidden directory that is renamed to
// batch=<id> when complete, and the quarantine file (created on the first bad row). The
// batch id is known only at commit, when the file's sha256 is.
type batchWriter struct {
	lake, table string
	tmpDir      string
	part        *tempFile
	buf         *bufio.Writer
	raw         *parquet.Writer
	mu          sync.Mutex // row groups are committed to raw one at a time
	q           *tempFile
	qbuf        *bufio.Writer
	qw          *parquet.GenericWriter[quarantineRecord]
}

func (in *Ingester) newBatchWriter(t *safetyrisk.Table, s *rawSchema) (*batchWriter, error) {
	w := &batchWriter{lake: in.cfg.Lake, table: t.Name}
	dir, err := tempDir(filepath.Join(in.cfg.Lake, rawDir, t.Name, "batch"))
	if err != nil {
		return nil, err
	}
	w.tmpDir = dir
	if w.part, err = createTemp(filepath.Join(dir, partFile)); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	w.buf = bufio.NewWriterSize(w.part, 1<<20)
	w.raw = parquet.NewWriter(w.buf, writerOptions(s)...)
	return w, nil
}

func (w *batchWriter) quarantine(recs []quarantineRecord) error {
	if w.qw == nil {
		var err error
		w.q, err = createTemp(filepath.Join(w.lake, quarantineDir, w.table, "batch.parquet"))
		if err != nil {
			return err
		}
		w.qbuf = bufio.NewWriterSize(w.q, 256<<10)
		w.qw = parquet.NewGenericWriter[quarantineRecord](w.qbuf, parquet.Compression(&parquet.Zstd),
			parquet.MaxRowsPerRowGroup(rowGroupRows), parquet.CreatedBy("safetyrisk", "ingest", ""))
	}
	_, err := w.qw.Write(recs)
	return err
}

// commit closes both files and renames them into place: the raw directory first, then
// the quarantine file; the manifest entry comes last.
func (w *batchWriter) commit(batch string) error {
	finalDir := filepath.Join(w.lake, rawDir, w.table, "batch="+batch)
	if _, err := os.Stat(finalDir); err == nil {
		w.abort()
		return fmt.Errorf("batch %s exists already", batch)
	}
	if err := w.raw.Close(); err != nil {
		w.abort()
		return fmt.Errorf("raw parquet: %w", err)
	}
	if err := w.buf.Flush(); err != nil {
		w.abort()
		return err
	}
	if err := w.part.Commit(); err != nil {
		w.abort()
		return err
	}
	if w.qw != nil {
		if err := w.qw.Close(); err != nil {
			w.abort()
			return fmt.Errorf("quarantine parquet: %w", err)
		}
		if err := w.qbuf.Flush(); err != nil {
			w.abort()
			return err
		}
	}
	if err := os.Rename(w.tmpDir, finalDir); err != nil {
		w.abort()
		return err
	}
	if err := syncDir(filepath.Dir(finalDir)); err != nil {
		return err
	}
	if w.q != nil {
		w.q.final = filepath.Join(w.lake, quarantineDir, w.table, "batch="+batch+".parquet")
		if err := w.q.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// abort removes whatever the batch wrote.
func (w *batchWriter) abort() {
	if w.part != nil {
		w.part.Abort()
	}
	if w.q != nil {
		w.q.Abort()
	}
	os.RemoveAll(w.tmpDir)
}

// The pipeline: a reader goroutine parses records into batches; converters validate
// them into column values and quarantine records, in parallel; an ordered stage takes
// the batches back in file order, finds duplicate keys and writes the quarantine;
// encoders write the batches' columns into their own row groups (see encoders).
// Batches are recycled, so memory stays flat whatever the file's size.
const (
	batchRows  = 512
	maxWorkers = 4
)

type recBatch struct {
	seq    int
	n      int
	bytes  int // the cells' bytes
	rows   []int64
	off    []int
	flat   []string
	recErr []*recordError
	keys   []string // a JSON source's keys when the batch was read
	hash   []uint64 // each record's key hash, 0 when none
	outIdx []int    // each record's row in cols, -1 when rejected or blank
	// cols holds the accepted rows column by column (by leaf column index), nOut of
	// each: the encoders hand them to parquet-go's column writers without building rows.
	cols [][]parquet.Value
	nOut int
	drop []bool // rows of cols to drop (duplicate keys), by writeBatch
	bad  []quarantineRecord

	read, accepted, quarantined int64
}

type pipeline struct {
	in    *Ingester
	path  string
	src   source
	convs []*converter // one per worker, then the ordered stage's
	w     *batchWriter
	size  int64 // the size of a CSV file, to size the key set from its first batch; 0 else

	pending    []string
	pendingRow int64
	pendingErr *recordError

	keys                        keySet
	read, accepted, quarantined int64
	reasons                     map[string]int64
	examples                    []string
}

const maxExamples = 5

func (p *pipeline) run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	workers := len(p.convs) - 1
	inFlight := 2*workers + 2 + encoders
	free := make(chan *recBatch, inFlight)
	toConv := make(chan *recBatch, inFlight)
	toWrite := make(chan *recBatch, inFlight)
	width := p.convs[0].schema.width
	for range inFlight {
		vals := make([]parquet.Value, batchRows*width)
		b := &recBatch{cols: make([][]parquet.Value, width)}
		for j := range b.cols {
			b.cols[j] = vals[j*batchRows : (j+1)*batchRows : (j+1)*batchRows]
		}
		free <- b
	}
	g.Go(func() error { defer close(toConv); return p.readStage(ctx, free, toConv) })
	var convs errgroup.Group
	for i := range workers {
		convs.Go(func() error { return p.convStage(ctx, p.convs[i], toConv, toWrite) })
	}
	g.Go(func() error { defer close(toWrite); return convs.Wait() })
	toEnc := make(chan *recBatch, inFlight)
	g.Go(func() error { defer close(toEnc); return p.writeStage(ctx, toWrite, toEnc, free) })
	encs := make([]*encoder, encoders)
	for i := range encs {
		encs[i] = &encoder{rg: p.w.raw.BeginRowGroup(), mu: &p.w.mu}
		g.Go(func() error { return encs[i].run(ctx, toEnc, free) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// The encoders' last row groups, partly filled.
	for _, e := range encs {
		if err := e.commit(); err != nil {
			return err
		}
	}
	return nil
}

// encoders is how many goroutines encode and compress row groups, each its own: the
// Parquet writing is the costliest stage after validation, and row groups are
// independent. Each row group's rows are in file order; the row groups of the
// encoders interleave (no reader relies on the order of rows in a file: _source_row
// orders them).
const encoders = 2

// encoder writes batches' columns into its own row group and commits it to the file
// when full, under the writer's lock.
type encoder struct {
	rg    *parquet.ConcurrentRowGroupWriter
	mu    *sync.Mutex
	rows  int
	bytes int // the source bytes of the row group's batches, to close it at rowGroupBytes
}

func (e *encoder) run(ctx context.Context, in <-chan *recBatch, free chan<- *recBatch) error {
	cws := e.rg.ColumnWriters()
	for b := range in {
		for start := 0; start < b.nOut; {
			n := min(b.nOut-start, rowGroupRows-e.rows)
			for j, cw := range cws {
				if _, err := cw.WriteRowValues(b.cols[j][start : start+n]); err != nil {
					return fmt.Errorf("raw parquet: %w", err)
				}
			}
			start += n
			e.rows += n
			if e.rows == rowGroupRows {
				if err := e.commit(); err != nil {
					return err
				}
			}
		}
		if e.bytes += b.bytes; e.bytes >= rowGroupBytes {
			if err := e.commit(); err != nil {
				return err
			}
		}
		select {
		case free <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// The last row group is committed after all the encoders are done; its last pages
	// are compressed here, in parallel with the other encoders'.
	if err := e.rg.Flush(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	return nil
}

// commit flushes the row group's last pages (compressing them outside the lock) and
// appends it to the file.
func (e *encoder) commit() error {
	if e.rows == 0 {
		return nil
	}
	if err := e.rg.Flush(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := e.rg.Commit(); err != nil {
		return fmt.Errorf("raw parquet: %w", err)
	}
	e.rows, e.bytes = 0, 0
	return nil
}

func (p *pipeline) readStage(ctx context.Context, free <-chan *recBatch, out chan<- *recBatch) error {
	var b *recBatch
	seq := 0
	add := func(row int64, cells []string, re *recordError) {
		b.rows = append(b.rows, row)
		for _, c := range cells {
			b.bytes += len(c)
		}
		b.bytes += len(re.rawText())
		b.flat = append(b.flat, cells...)
		b.off = append(b.off, len(b.flat))
		b.recErr = append(b.recErr, re)
		b.n++
	}
	take := func() error {
		select {
		case b = <-free:
		case <-ctx.Done():
			return ctx.Err()
		}
		b.seq = seq
		seq++
		b.n, b.bytes, b.rows, b.flat, b.recErr, b.bad = 0, 0, b.rows[:0], b.flat[:0], b.recErr[:0], b.bad[:0]
		b.off = append(b.off[:0], 0)
		return nil
	}
	send := func() error {
		b.keys = p.src.Keys()
		select {
		case out <- b:
			b = nil
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := take(); err != nil {
		return err
	}
	if p.pending != nil || p.pendingErr != nil {
		add(p.pendingRow, p.pending, p.pendingErr)
	}
	var re *recordError // declared once: errors.As moves it to the heap
	for {
		row, cells, err := p.src.Next()
		if err == io.EOF {
			break
		}
		re = nil
		if err == nil {
			add(row, cells, nil)
		} else if errors.As(err, &re) {
			add(re.row, nil, re)
		} else {
			if row == 0 {
				return refuse(p.path, "%w", err)
			}
			return refuse(p.path, "row %d: %w", row, err)
		}
		if b.n == batchRows || b.bytes >= batchBytes {
			if err := send(); err != nil {
				return err
			}
			if err := take(); err != nil {
				return err
			}
		}
	}
	if b.n > 0 {
		return send()
	}
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// convStage validates batches with its own converter.
func (p *pipeline) convStage(ctx context.Context, c *converter, in <-chan *recBatch, out chan<- *recBatch) error {
	for b := range in {
		if len(b.keys) > len(c.m.colOf) { // JSON: new keys (one worker, so the mapping is its own)
			had := len(c.m.hasPII())
			if err := c.m.extend(b.keys); err != nil {
				return refuse(p.path, "%w", err)
			}
			if pii := c.m.hasPII(); len(pii) > had && len(p.in.cfg.PIIKey) == 0 {
				return refuse(p.path, "columns %s hold reporter identities, which are stored only as keyed hashes (M57): set SAFETYRISK_PII_KEY or --pii-key-file", strings.Join(pii, ", "))
			}
		}
		b.nOut = 0
		b.hash = b.hash[:0]
		b.outIdx = b.outIdx[:0]
		b.read, b.accepted, b.quarantined = 0, 0, 0
		for k := 0; k < b.n; k++ {
			row := b.rows[k]
			b.hash = append(b.hash, 0)
			b.outIdx = append(b.outIdx, -1)
			if re := b.recErr[k]; re != nil {
				b.read++
				p.reject(c, b, []cellError{c.recordErr(re)}, row, nil)
				continue
			}
			cells := b.flat[b.off[k]:b.off[k+1]]
			if blank(cells) {
				continue
			}
			b.read++
			errs := c.row(row, cells, b.cols, b.nOut)
			b.hash[k] = c.key
			if len(errs) > 0 {
				p.reject(c, b, errs, row, cells)
				continue
			}
			b.accepted++
			b.outIdx[k] = b.nOut
			b.nOut++
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// reject turns a row's errors into quarantine records, one per error. No value or
// raw text holds a byte that is not UTF-8 (it is written \xHH), nor a reporter
// identity (it is its hash, and <redacted> in the message).
func (p *pipeline) reject(c *converter, b *recBatch, errs []cellError, row int64, cells []string) {
	b.quarantined++
	raw := ""
	if cells != nil {
		raw = c.rawJSON(cells)
	}
	for _, e := range errs {
		// The message quotes the value (%q writes a bad byte \xff); the quarantine's
		// value column holds it with bad bytes written \xFF.
		re := RowError{File: p.path, Row: row, Value: clip(e.value, valueLimit), Rule: e.rule, Detail: e.detail}
		value := clip(escapeInvalid(e.value), valueLimit)
		if e.col >= 0 {
			col := &c.t.Columns[e.col]
			re.Column = col.Name
			if src := c.m.srcOf[e.col]; src >= 0 {
				re.Header = c.m.headers[src]
			}
		} else if e.header != "" {
			re.Column = e.header
			if i, _ := c.t.MatchHeader(e.header); i >= 0 {
				re.Column, re.Header = c.t.Columns[i].Name, e.header
			}
		}
		if e.pii {
			re.Value = redacted
			value = c.piiValue(e.value)
		}
		qraw := raw
		if cells == nil {
			qraw = e.value // a record that could not be read: its text (recordErr)
			re.Value = ""  // which travels in raw, not in the message
			value = ""
		}
		b.bad = append(b.bad, quarantineRecord{SourceFile: p.path, SourceRow: row, Column: re.Column,
			Value: value, Rule: e.rule, Message: re.Error(), Raw: qraw})
	}
}

// valueLimit is how much of a cell an error message and the quarantine's value show.
const valueLimit = 1 << 10

// recordErr is the error of a record that could not be read as cells. Its raw text
// is kept, with bad bytes written \xHH, unless the file holds reporter identities or
// the text names one (M57).
func (c *converter) recordErr(re *recordError) cellError {
	raw := re.raw
	if raw != "" && (c.pii || c.m.piiAny || mentionsPII(raw)) {
		raw = redacted + " (the file holds reporter identities, M57)"
	} else {
		raw = clip(escapeInvalid(raw), rawLimit)
	}
	return cellError{col: -1, header: escapeInvalid(re.column), value: raw, rule: re.rule, detail: escapeInvalid(re.err.Error())}
}

// rawText is the text a record error holds, "" for none.
func (re *recordError) rawText() string {
	if re == nil {
		return ""
	}
	return re.raw
}

// writeStage takes the batches back in file order, rejects rows whose key repeats an
// earlier row's (every key read counts, accepted or not: a repeated key is a fault of the
// file whichever of its rows is right), and writes rows and quarantine records.
func (p *pipeline) writeStage(ctx context.Context, in <-chan *recBatch, enc, free chan<- *recBatch) error {
	c := p.convs[len(p.convs)-1]
	waiting := map[int]*recBatch{}
	next := 0
	nextProgress := time.Now().Add(time.Second)
	for b := range in {
		waiting[b.seq] = b
		for {
			b, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			next++
			if err := p.writeBatch(c, b); err != nil {
				return err
			}
			if p.in.cfg.Progress != nil && time.Now().After(nextProgress) {
				fmt.Fprintf(p.in.cfg.Progress, "\r%s: %d rows read, %d quarantined ", filepath.Base(p.path), p.read, p.quarantined)
				nextProgress = time.Now().Add(time.Second)
			}
			to := free
			if b.nOut > 0 {
				to = enc
			}
			select {
			case to <- b:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	if p.in.cfg.Progress != nil && p.read > 0 {
		fmt.Fprintf(p.in.cfg.Progress, "\r%s: %d rows read, %d quarantined \n", filepath.Base(p.path), p.read, p.quarantined)
	}
	return nil
}

// estimateRows guesses the rows of a file of size bytes from its first batch b. The
// key set is sized from it at the start (over-estimating by half at most, as growing
// would): growing late, when the heap is full, would hold the old table and the new
// one at once, the ingest's peak of memory.
func estimateRows(size int64, b *recBatch) int {
	n := 0
	for _, c := range b.flat[:b.off[b.n]] {
		n += len(c) + 1 // and its comma or newline
	}
	if n == 0 {
		return 0
	}
	return int(min(size/int64(n)*int64(b.n), maxReserve))
}

// maxReserve caps estimateRows, which the first rows may mislead: 6M rows take a key
// set of 8M slots, 64 MB; a larger file grows its set as it goes.
const maxReserve = 6 << 20

func (p *pipeline) writeBatch(c *converter, b *recBatch) error {
	if len(b.keys) > len(c.m.colOf) {
		c.m.extend(b.keys) // a JSON source's new keys, checked by the converter already
	}
	dropped := false
	if b.seq == 0 && p.size > 0 && b.n == batchRows {
		p.keys.reserve(estimateRows(p.size, b))
	}
	p.keys.touch(b.hash)
	for k, h := range b.hash {
		if h == 0 {
			continue
		}
		if p.keys.add(h) {
			continue
		}
		cells := b.flat[b.off[k]:b.off[k+1]]
		key := c.keyIdx[0]
		e := cellError{col: key, value: normCell(cells[c.m.srcOf[key]]), rule: RuleDuplicateKey,
			detail: fmt.Sprintf("key (%s) repeats an earlier row of the file", strings.Join(c.t.Key, ", "))}
		if i := b.outIdx[k]; i >= 0 {
			if !dropped {
				b.drop = append(b.drop[:0], make([]bool, b.nOut)...)
			}
			b.drop[i] = true
			dropped = true
			b.accepted--
			p.reject(c, b, []cellError{e}, b.rows[k], cells) // counts the row as quarantined
		} else {
			q := b.quarantined
			p.reject(c, b, []cellError{e}, b.rows[k], cells)
			b.quarantined = q // the row was counted with its other errors
		}
	}
	if dropped {
		n := 0
		for _, col := range b.cols {
			n = 0
			for i, v := range col[:b.nOut] {
				if !b.drop[i] {
					col[n] = v
					n++
				}
			}
		}
		b.nOut = n
		sort.SliceStable(b.bad, func(i, j int) bool { return b.bad[i].SourceRow < b.bad[j].SourceRow })
	} else if len(b.bad) > 0 {
		sort.SliceStable(b.bad, func(i, j int) bool { return b.bad[i].SourceRow < b.bad[j].SourceRow })
	}
	p.read += b.read
	p.accepted += b.accepted
	p.quarantined += b.quarantined
	for _, q := range b.bad {
		p.reasons[q.Rule]++
		if len(p.examples) < maxExamples {
			p.examples = append(p.examples, q.Message)
		}
	}
	if len(b.bad) > 0 {
		if err := p.w.quarantine(b.bad); err != nil {
			return fmt.Errorf("quarantine parquet: %w", err)
		}
	}
	return nil
}
