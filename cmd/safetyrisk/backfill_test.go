package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackfillRefusesLakeWithoutData: a lake that does not exist, or was never
// transformed, has nothing to compute indicators from; backfill used to write every
// series as zero and exit 0 (issue 10, point 4). Now it exits 1, says why, and writes
// no file.
func TestBackfillRefusesLakeWithoutData(t *testing.T) {
	dir := t.TempDir()
	never := filepath.Join(dir, "never-transformed")
	if err := os.MkdirAll(filepath.Join(never, "raw"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, lake, want string }{
		{"missing", filepath.Join(dir, "missing"), "not a directory"},
		{"never transformed", never, "no curated data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, c.name+".om")
			var stdout, stderr bytes.Buffer
			code := NewMain(nil, &stdout, &stderr).Run(context.Background(),
				[]string{"backfill", "--lake", c.lake, "--from", "2024-01", "--to", "2024-12", "--out", out})
			if code != exitFailure || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, want %d with %q; stderr %q", code, exitFailure, c.want, stderr.String())
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s written (%v)", out, err)
			}
		})
	}
}

// TestAsOfBeforeData: a date before the lake's first year of data is wrong usage for
// the commands that read the curated lake. The lake here has the curated layout of a
// transform whose first data is of 2023 (transform's own tests check that DataYears
// reads a real transform's folders); the refusal comes before any file is read.
func TestAsOfBeforeData(t *testing.T) {
	lake := t.TempDir()
	run := "curated.20250101T000000.000000Z"
	if err := os.MkdirAll(filepath.Join(lake, run, "hazards", "year=2023"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(run, filepath.Join(lake, "curated")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"backfill", "--lake", lake, "--from", "2022-12", "--to", "2023-02"},
		{"indicators", "--lake", lake, "--as-of", "2022-12-31", "--no-write"},
		{"weights", "--lake", lake, "--as-of", "2022-12-31"},
		{"explain", "accidents", "--lake", lake, "--as-of", "2022-12-31"},
	} {
		var stdout, stderr bytes.Buffer
		code := NewMain(nil, &stdout, &stderr).Run(context.Background(), args)
		if code != exitUsage || !strings.Contains(stderr.String(), "before 2023, the first year of data") {
			t.Errorf("%v: exit %d, want %d; stderr %q", args, code, exitUsage, stderr.String())
		}
	}
}
