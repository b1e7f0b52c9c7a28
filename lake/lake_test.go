package lake

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// TestManifest: a lake without a manifest has no batches (the one meaning of a missing
// file); appends come back sorted by batch id; a broken file is an error naming it.
func TestManifest(t *testing.T) {
	dir := t.TempDir()
	if m, err := ReadManifest(dir); err != nil || m != nil {
		t.Fatalf("no manifest: %v, %v; want no batches and no error", m, err)
	}
	at := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	later := Batch{BatchID: BatchID(at.Add(time.Hour), "bbbbbbbbbbbb"), Table: "hazards", SourceSheet: "隐患", RowsRead: 3,
		TopReasons: []Reason{{Rule: "required", Count: 1}}}
	earlier := Batch{BatchID: BatchID(at, "aaaaaaaaaaaa"), Table: "accidents", RowsRead: 2}
	for _, b := range []Batch{later, earlier} {
		if err := AppendManifest(dir, b); err != nil {
			t.Fatal(err)
		}
	}
	m, err := ReadManifest(dir)
	if err != nil || len(m) != 2 || m[0].BatchID != earlier.BatchID || m[1].SourceSheet != "隐患" || m[1].TopReasons[0].Count != 1 {
		t.Fatalf("manifest = %+v, %v", m, err)
	}
	if err := os.WriteFile(ManifestPath(dir), []byte("[{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadManifest(dir); err == nil || !strings.Contains(err.Error(), ManifestPath(dir)) {
		t.Errorf("broken manifest: %v", err)
	}
}

// TestRunID: run and batch ids sort by time and read back as their time; the older
// second-precision ids still read; anything else is an error.
func TestRunID(t *testing.T) {
	at := time.Date(2024, 12, 1, 2, 3, 4, 567000, time.UTC)
	for _, id := range []string{NewRunID(at), BatchID(at, "0123456789abcdef")} {
		if got, err := RunTime(id); err != nil || !got.Equal(at) {
			t.Errorf("RunTime(%s) = %v, %v", id, got, err)
		}
	}
	if got, err := RunTime("20241201T020304Z"); err != nil || !got.Equal(at.Truncate(time.Second)) {
		t.Errorf("old run id: %v, %v", got, err)
	}
	if _, err := RunTime("latest"); err == nil {
		t.Error("a name that is not a run id read as a time")
	}
	if NewRunID(at) >= NewRunID(at.Add(time.Microsecond)) {
		t.Error("run ids do not sort by time")
	}
}

// TestCuratedFiles: a lake never transformed has no files; a missing lake folder, a
// broken curated symlink and an unreadable table folder are errors, never an empty
// table (an all-zero snapshot).
func TestCuratedFiles(t *testing.T) {
	dir := t.TempDir()
	if files, err := CuratedFiles(dir, "hazards"); err != nil || files != nil {
		t.Fatalf("never transformed: %v, %v", files, err)
	}
	if _, err := CuratedFiles(filepath.Join(dir, "missing"), "hazards"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing lake: %v", err)
	}
	run := "20240301T080000.000000Z"
	part := filepath.Join(CuratedRunDir(dir, run), "hazards", "year=2024", PartFile)
	hidden := filepath.Join(CuratedRunDir(dir, run), "hazards", ".tmp-x", PartFile)
	for _, p := range []string{part, hidden} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := SwapCurated(dir, run); err != nil {
		t.Fatal(err)
	}
	files, err := CuratedFiles(dir, "hazards")
	if err != nil || len(files) != 1 || !strings.HasSuffix(files[0], filepath.Join("year=2024", PartFile)) {
		t.Errorf("curated hazards = %v, %v", files, err)
	}
	if files, err := CuratedFiles(dir, "staff"); err != nil || files != nil {
		t.Errorf("a table without files: %v, %v", files, err)
	}
	if os.Geteuid() != 0 {
		year := filepath.Dir(part)
		if err := os.Chmod(year, 0); err != nil {
			t.Fatal(err)
		}
		_, err := CuratedFiles(dir, "hazards")
		os.Chmod(year, 0o755)
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("unreadable table folder: %v", err)
		}
	}
	// As root the chmod above cannot make a folder unreadable; a curated state that is a
	// file where a folder should be cannot be read by anyone.
	odd := t.TempDir()
	if err := os.WriteFile(CuratedDir(odd), []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CuratedFiles(odd, "hazards"); err == nil {
		t.Error("a curated file in place of a folder read as an empty lake")
	}
	if err := os.RemoveAll(CuratedRunDir(dir, run)); err != nil {
		t.Fatal(err)
	}
	if _, err := CuratedFiles(dir, "hazards"); err == nil {
		t.Error("a broken curated symlink read as an empty lake")
	}
}

// TestChecksMissing: a lake without checks says so, as ErrNoChecks and fs.ErrNotExist.
func TestChecksMissing(t *testing.T) {
	_, err := ReadChecks(t.TempDir())
	if !errors.Is(err, ErrNoChecks) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("no checks: %v", err)
	}
}

// TestLockTransform: a second transform lock on a lake is refused at once with
// ErrLocked; after the unlock it is taken.
func TestLockTransform(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockTransform(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockTransform(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second lock: %v, want ErrLocked", err)
	}
	unlock()
	again, err := LockTransform(dir)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}

// TestEnsureProfile: the first ingest records the profile; the same one is accepted,
// another city's is refused with both names.
func TestEnsureProfile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadProfile(dir); !errors.Is(err, ErrNoProfile) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("no profile yet: %v", err)
	}
	ordos := safetyrisk.Ordos()
	if err := EnsureProfile(dir, ordos); err != nil {
		t.Fatal(err)
	}
	if err := EnsureProfile(dir, safetyrisk.Ordos()); err != nil {
		t.Errorf("the same profile again: %v", err)
	}
	got, err := ReadProfile(dir)
	if err != nil || got.City.Code != ordos.City.Code || len(got.Regions) != len(ordos.Regions) {
		t.Fatalf("recorded profile = %+v, %v", got, err)
	}
	other := safetyrisk.Ordos()
	other.City.Code, other.City.Name = "150200", "包头市"
	var mismatch *ProfileMismatchError
	if err := EnsureProfile(dir, other); !errors.As(err, &mismatch) || !strings.Contains(err.Error(), "包头市") || !strings.Contains(err.Error(), ordos.City.Name) {
		t.Errorf("another city's profile: %v", err)
	}
	moved := safetyrisk.Ordos()
	moved.Regions[0].Lat += 0.1
	if err := EnsureProfile(dir, moved); !errors.As(err, &mismatch) {
		t.Errorf("a changed profile of the same city: %v", err)
	}
}

// TestWriteFileAtomic: the file is replaced whole and no temporary is left.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "status", "run.json")
	for _, s := range []string{"first", "second"} {
		if err := WriteFileAtomic(path, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "second" {
		t.Errorf("read %q, %v", b, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left in the folder: %v", entries)
	}
}

// TestRemoveStaleIngest: temporaries of a killed ingest older than the age are removed
// under raw/, quarantine/ and manifest/; young ones and real batches stay.
func TestRemoveStaleIngest(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	mk := func(p string, mtime time.Time) string {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := now.Add(-2 * time.Hour)
	stale := []string{
		mk(filepath.Join(RawDir(dir, "staff"), TmpPrefix+"batch=x-1"), old),
		mk(filepath.Join(QuarantineDir(dir, "staff"), TmpPrefix+"batch=x.parquet-1"), old),
		mk(filepath.Join(dir, "manifest", TmpPrefix+"batches.json-1"), old),
	}
	young := mk(filepath.Join(RawDir(dir, "staff"), TmpPrefix+"batch=y-2"), now)
	kept := mk(filepath.Join(RawBatchDir(dir, "staff", "x"), PartFile), old)
	removed := RemoveStaleIngest(dir, time.Hour, now)
	if len(removed) != len(stale) {
		t.Errorf("removed %v, want %v", removed, stale)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left (%v)", p, err)
		}
	}
	for _, p := range []string{young, kept} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}

// TestRemoveStaleQuerySpills: a query spill folder whose process is gone is removed; the
// running process's, and a name without a process id, stay.
func TestRemoveStaleQuerySpills(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	cmd.Process.Kill()
	cmd.Wait()
	gone := filepath.Join(dir, fmt.Sprintf("%s%d-abc", tmpQueries, dead))
	ours := QuerySpillDir(dir, "def")
	odd := filepath.Join(dir, tmpQueries+"x1-abc")
	for _, d := range []string{gone, ours, odd} {
		if err := os.MkdirAll(filepath.Join(d, "spill"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveStale(dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{gone: false, ours: true, odd: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
