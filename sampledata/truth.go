package sampledata

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// TruthDir is the folder, under the output folder, where the generator records what it
// planted. Its name starts with "_", so ingest skips it when given the whole folder.
const TruthDir = "_truth"

// The truth files (UTF-8 CSV with a header row).
const (
	// DirtyFile lists every dirty row: file, row, table, key, kind, column, value
	// (the planted cell), clean (the cell as it would have been), expect (accept|reject).
	DirtyFile = "dirty.csv"
	// OrphansFile lists the planted broken references: file, row, table, key, column,
	// value, refers_to (table.column that has no such value).
	OrphansFile = "orphans.csv"
	// StoriesFile lists the story records: story, table, key, region, sector, detail.
	StoriesFile = "stories.csv"
	// FilesFile lists the output files: file, table, encoding, rows, dirty.
	FilesFile = "files.csv"
)

// Truth file headers.
var (
	dirtyHeader   = []string{"file", "row", "table", "key", "kind", "column", "value", "clean", "expect"}
	orphansHeader = []string{"file", "row", "table", "key", "column", "value", "refers_to"}
	storiesHeader = []string{"story", "table", "key", "region", "sector", "detail"}
	filesHeader   = []string{"file", "table", "encoding", "rows", "dirty"}
)

// truthFile is one CSV of the truth folder, written through a buffer.
type truthFile struct {
	path, tmp string
	f         *os.File
	bw        *bufio.Writer
	cw        *csv.Writer
}

func createTruthFile(dir, name string, header []string) (*truthFile, error) {
	t := &truthFile{path: filepath.Join(dir, name), tmp: filepath.Join(dir, "."+name+".tmp")}
	f, err := os.Create(t.tmp)
	if err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	t.f, t.bw = f, bufio.NewWriterSize(f, 64<<10)
	t.cw = csv.NewWriter(t.bw)
	if err := t.cw.Write(header); err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	return t, nil
}

func (t *truthFile) write(rec []string) error {
	if err := t.cw.Write(rec); err != nil {
		return fmt.Errorf("truth %s: %w", filepath.Base(t.path), err)
	}
	return nil
}

func (t *truthFile) close() error {
	t.cw.Flush()
	err := t.cw.Error()
	if err == nil {
		err = t.bw.Flush()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(t.tmp, t.path)
	}
	if err != nil {
		os.Remove(t.tmp)
		return fmt.Errorf("truth %s: %w", filepath.Base(t.path), err)
	}
	return nil
}

func (t *truthFile) abort() {
	t.f.Close()
	os.Remove(t.tmp)
}

// truth writes the truth folder as the data is generated.
type truth struct {
	dirtyF, orphansF, storiesF *truthFile
}

func openTruth(out string) (*truth, error) {
	dir := filepath.Join(out, TruthDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	t := &truth{}
	var err error
	if t.dirtyF, err = createTruthFile(dir, DirtyFile, dirtyHeader); err != nil {
		return nil, err
	}
	if t.orphansF, err = createTruthFile(dir, OrphansFile, orphansHeader); err != nil {
		t.abort()
		return nil, err
	}
	if t.storiesF, err = createTruthFile(dir, StoriesFile, storiesHeader); err != nil {
		t.abort()
		return nil, err
	}
	return t, nil
}

func (t *truth) dirty(d dirtyRow) error {
	return t.dirtyF.write([]string{d.file, strconv.FormatInt(d.row, 10), d.table, d.key, d.kind, d.column, d.value, d.clean, d.expect})
}

func (t *truth) orphan(ref rowRef, table, key, column, value, refersTo string) error {
	return t.orphansF.write([]string{ref.File, strconv.FormatInt(ref.Row, 10), table, key, column, value, refersTo})
}

func (t *truth) story(story, table, key, region, sector, detail string) error {
	return t.storiesF.write([]string{story, table, key, region, sector, detail})
}

func (t *truth) close() error {
	var first error
	for _, f := range []*truthFile{t.dirtyF, t.orphansF, t.storiesF} {
		if f == nil {
			continue
		}
		if err := f.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (t *truth) abort() {
	for _, f := range []*truthFile{t.dirtyF, t.orphansF, t.storiesF} {
		if f != nil {
			f.abort()
		}
	}
}

func writeFilesList(out string, files []fileInfo) error {
	f, err := createTruthFile(filepath.Join(out, TruthDir), FilesFile, filesHeader)
	if err != nil {
		return err
	}
	for _, fi := range files {
		if err := f.write([]string{fi.Name, fi.Table, fi.Encoding, strconv.FormatInt(fi.Rows, 10), strconv.FormatInt(fi.Dirty, 10)}); err != nil {
			f.abort()
			return err
		}
	}
	return f.close()
}
