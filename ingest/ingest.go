package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
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
	zstd    *zstdCodec
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
	return &Ingester{cfg: cfg, loc: loc, log: cfg.Logger, preHash: preHashSize, zstd: newZstdCodec()}, nil
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
	TopReasons      []lake.Reason
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
			if !e.IsDir() && !lake.Hidden(e.Name()) && Supported(e.Name()) {
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

// removeStale removes the temporaries a killed ingest left in the lake (readers never
// see them; this frees the space).
func (in *Ingester) removeStale() {
	for _, p := range lake.RemoveStaleIngest(in.cfg.Lake, staleAge, time.Now()) {
		in.log.Info("removed the leftover of an interrupted ingest", "path", p)
	}
}
