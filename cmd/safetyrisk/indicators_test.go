package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/queries"
)

// TestIndicatorsList: every embedded .sql file and every catalogue id is listed.
func TestIndicatorsList(t *testing.T) {
	var out, errb bytes.Buffer
	m := NewMain(nil, &out, &errb)
	if code := m.Run(context.Background(), []string{"indicators", "--list"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	files, err := queries.Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.Contains(out.String(), f.Name) {
			t.Errorf("--list lacks %s", f.Name)
		}
	}
	for _, in := range safetyrisk.Catalogue() {
		if !strings.Contains(out.String(), in.ID) {
			t.Errorf("--list lacks %s", in.ID)
		}
	}
}

// TestIndicatorsEmptyLake: on a lake with nothing curated yet every count is zero, the JSON
// lines carry the contract's fields, and a snapshot is written.
func TestIndicatorsEmptyLake(t *testing.T) {
	lakeDir := t.TempDir()
	var out, errb bytes.Buffer
	m := NewMain(nil, &out, &errb)
	code := m.Run(context.Background(), []string{"indicators", "--lake", lakeDir, "--as-of", "2026-06-30", "--format", "json"})
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 100 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		var o map[string]any
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		for _, k := range []string{"indicator", "region", "sector", "window", "as_of", "value"} {
			if _, ok := o[k]; !ok {
				t.Fatalf("%q lacks %s", l, k)
			}
		}
		if o["as_of"] != "2026-06-30" {
			t.Fatalf("%q: as_of", l)
		}
		if o["indicator"] == "accidents" && o["grade"] == nil {
			t.Fatalf("%q: no grade field", l)
		}
	}
	ids, err := lake.ListSnapshots(lakeDir)
	if err != nil || len(ids) != 1 {
		t.Fatalf("snapshots %v %v", ids, err)
	}
	if code := m.Run(context.Background(), []string{"indicators", "--format", "xml"}); code != exitUsage {
		t.Errorf("--format xml: exit %d", code)
	}
	if code := m.Run(context.Background(), []string{"explain", "nope", "--lake", lakeDir}); code != exitUsage {
		t.Errorf("explain nope: exit %d, want %d (an unknown indicator is wrong usage)", code, exitUsage)
	}
}
