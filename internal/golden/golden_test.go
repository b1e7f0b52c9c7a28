package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeT records a failure instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatalf(string, ...any) { f.failed = true }
func (f *fakeT) Name() string          { return "TestFake" }
func (f *fakeT) Fatal(...any)          { f.failed = true }

// TestCheck: equal output passes, a different one fails, and -update writes the file.
func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "x.golden")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	same := &fakeT{TB: t}
	Check(same, path, []byte("a\nb\n"))
	differ := &fakeT{TB: t}
	Check(differ, path, []byte("a\nc\n"))
	if same.failed || !differ.failed {
		t.Errorf("same failed %v, different failed %v", same.failed, differ.failed)
	}
	if d := Diff("a\nb\n", "a\nc\n"); d != "- b\n+ c\n" {
		t.Errorf("Diff = %q", d)
	}
	*update = true
	defer func() { *update = false }()
	Check(&fakeT{TB: t}, path, []byte("new\n"))
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Errorf("-update wrote %q", b)
	}
}
