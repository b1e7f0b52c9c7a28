package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk/lake"
)

// TestRunErrorSaidOnce: a stage's error names the stage once and the failed step once
// ("transform: swap curated: ..."), never "transform: transform: ..." (issue 12).
func TestRunErrorSaidOnce(t *testing.T) {
	dir := t.TempDir()
	inbox, lakeDir := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake")
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	staff, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "staff.good.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, "staff.csv"), staff, 0o644); err != nil {
		t.Fatal(err)
	}
	// A curated "state" that is a plain file: transform builds, then cannot swap it in.
	if err := os.MkdirAll(lakeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lake.CuratedDir(lakeDir), []byte("not a symlink"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := NewMain(nil, &out, &errb).Run(context.Background(), []string{"run", "--lake", lakeDir, "--inbox", inbox, "--as-of", "2024-12-31"})
	st, rerr := lake.ReadRunStatus(lakeDir)
	if code == exitOK || rerr != nil || st.Success {
		t.Fatalf("run: exit %d, status %+v, %v", code, st, rerr)
	}
	for _, msg := range []string{errb.String(), st.Error} {
		if !strings.Contains(msg, "transform: swap curated: ") || strings.Count(msg, "transform:") != 1 {
			t.Errorf("error said more than once, or not at all: %q", msg)
		}
	}
}
