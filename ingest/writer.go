package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// batchWriter writes one batch: the raw part in a hidden directory that is renamed to
// batch=<id> when complete, and the quarantine file (created on the first bad row). The
// batch id is known only at commit, when the file's sha256 is.
type batchWriter struct {
	lake, table string
	tmpDir      string
	part        *lake.TempFile
	buf         *bufio.Writer
	raw         *parquet.Writer
	mu          sync.Mutex // row groups are committed to raw one at a time
	q           *lake.TempFile
	qbuf        *bufio.Writer
	qw          *parquet.GenericWriter[quarantineRecord]
	zstd        *zstdCodec // the ingester's, for the quarantine too
}

func (in *Ingester) newBatchWriter(t *safetyrisk.Table, s *rawSchema) (*batchWriter, error) {
	w := &batchWriter{lake: in.cfg.Lake, table: t.Name, zstd: in.zstd}
	dir, err := lake.TempDir(lake.RawBatchDir(in.cfg.Lake, t.Name, ""))
	if err != nil {
		return nil, err
	}
	w.tmpDir = dir
	if w.part, err = lake.CreateTemp(filepath.Join(dir, lake.PartFile)); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	w.buf = bufio.NewWriterSize(w.part, 1<<20)
	w.raw = parquet.NewWriter(w.buf, writerOptions(s, in.zstd)...)
	return w, nil
}

func (w *batchWriter) quarantine(recs []quarantineRecord) error {
	if w.qw == nil {
		var err error
		w.q, err = lake.CreateTemp(lake.QuarantinePath(w.lake, w.table, ""))
		if err != nil {
			return err
		}
		w.qbuf = bufio.NewWriterSize(w.q, 256<<10)
		// The ingester's kept encoders: parquet.Zstd's pool loses its encoders, 8 MB
		// windows each, at every garbage collection.
		w.qw = parquet.NewGenericWriter[quarantineRecord](w.qbuf, parquet.Compression(w.zstd),
			parquet.MaxRowsPerRowGroup(rowGroupRows), parquet.CreatedBy("safetyrisk", "ingest", ""))
	}
	_, err := w.qw.Write(recs)
	return err
}

// commit closes both files and renames them into place: the raw directory first, then
// the quarantine file; the manifest entry comes last.
func (w *batchWriter) commit(batch string) error {
	finalDir := lake.RawBatchDir(w.lake, w.table, batch)
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
	if err := lake.RenameDir(w.tmpDir, finalDir); err != nil {
		w.abort()
		return err
	}
	if w.q != nil {
		if err := w.q.CommitAs(lake.QuarantinePath(w.lake, w.table, batch)); err != nil {
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
