package lake

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TempFile is a file being written under a temporary name in its final folder: Commit
// renames it into place, Abort removes it.
type TempFile struct {
	*os.File
	final string
}

// CreateTemp creates the folders of final and a temporary file beside it.
func CreateTemp(final string) (*TempFile, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, TmpPrefix+filepath.Base(final)+"-*")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes the file private (0600); the lake's files, dashboards and
	// templates are read by other users (Grafana, analysts).
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &TempFile{File: f, final: final}, nil
}

// Commit syncs and closes the file, renames it into place and syncs its folder, so
// that the new name survives a crash.
func (t *TempFile) Commit() error {
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
	return SyncDir(filepath.Dir(t.final))
}

// CommitAs is Commit to a final name known only now (a batch's id, known when the
// whole file has been read).
func (t *TempFile) CommitAs(final string) error {
	t.final = final
	return t.Commit()
}

// Abort closes and removes the temporary file.
func (t *TempFile) Abort() {
	t.Close()
	os.Remove(t.Name())
}

// WriteFileAtomic writes b to path through a temporary name, so a reader sees the
// whole new file or the old one, never half a file.
func WriteFileAtomic(path string, b []byte) error {
	t, err := CreateTemp(path)
	if err != nil {
		return err
	}
	if _, err := t.Write(b); err != nil { // whole: WriteStream's 1 MiB buffer would only copy it
		t.Abort()
		return err
	}
	return t.Commit()
}

// WriteStream is WriteFileAtomic for a file written piece by piece: fill writes it
// (buffered) under a temporary name, which is renamed into place only when fill and
// the writes succeeded.
func WriteStream(path string, fill func(io.Writer) error) error {
	t, err := CreateTemp(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(t, 1<<20)
	if err := fill(w); err != nil {
		t.Abort()
		return err
	}
	if err := w.Flush(); err != nil {
		t.Abort()
		return err
	}
	return t.Commit()
}

// SyncDir flushes a folder's entries (a rename into it) to disk. A file system that
// cannot sync a folder is not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// TempDir makes a hidden folder beside final, to be renamed to final when complete
// (RenameDir).
func TempDir(final string) (string, error) {
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	var b [6]byte
	rand.Read(b[:])
	dir := filepath.Join(parent, TmpPrefix+filepath.Base(final)+"-"+hex.EncodeToString(b[:]))
	return dir, os.Mkdir(dir, 0o755)
}

// RenameDir renames a complete temporary folder to its final name and syncs the parent.
func RenameDir(tmp, final string) error {
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(final))
}
