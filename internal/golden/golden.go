// Package golden compares a test's output with a committed file, and rewrites the file
// instead when the test binary runs with -update (go test ./pkg -update, then review
// the diff before committing it). It is the one -update flag of every test binary that
// imports it.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files from the current output (then review the diff)")

// Update reports whether the tests run with -update, for a test that regenerates
// committed files of its own kind (dashboards, docs) rather than calling Check.
func Update() bool { return *update }

// Check compares got with the file at path. With -update it first writes got there.
// A difference fails the test with the lines that differ.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (go test -run '%s' -update, then review the diff):\n%s",
			path, t.Name(), Diff(string(want), string(got)))
	}
}

// Diff lists the lines of want that got lacks ("- ") and the lines of got that want
// lacks ("+ "): enough to read what changed in a golden file of independent lines.
func Diff(want, got string) string {
	lines := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := lines(want), lines(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
