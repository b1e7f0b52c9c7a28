package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// TestLakeRemembersProfile: the first ingest records its profile in the lake; the
// commands that follow use it without --profile, and a --profile of another city is
// refused on ingest and on the stages after it.
func TestLakeRemembersProfile(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "lake")
	staff := filepath.Join("..", "..", "ingest", "testdata", "staff.good.csv")
	baotou := filepath.Join("..", "..", "profiles", "baotou.json")

	runCLI(t, ctx, []int{exitOK}, "ingest", "--lake", dir, staff)
	p, err := lake.ReadProfile(dir)
	if err != nil || p.City.Name != safetyrisk.Ordos().City.Name {
		t.Fatalf("profile recorded by the first ingest: %+v, %v", p, err)
	}
	for _, args := range [][]string{
		{"ingest", "--lake", dir, "--profile", baotou, staff},
		{"transform", "--lake", dir, "--profile", baotou, "--as-of", "2024-12-31"},
		{"indicators", "--lake", dir, "--profile", baotou, "--as-of", "2024-12-31", "--no-write"},
	} {
		var out, errb bytes.Buffer
		code := NewMain(nil, &out, &errb).Run(ctx, args)
		if code == exitOK || !strings.Contains(errb.String(), "包头市") || !strings.Contains(errb.String(), safetyrisk.Ordos().City.Name) {
			t.Errorf("%s with another city's profile: exit %d, stderr %q", args[0], code, errb.String())
		}
	}
	out := runCLI(t, ctx, []int{exitOK}, "transform", "--lake", dir, "--as-of", "2024-12-31")
	if !strings.Contains(out, "as of 2024-12-31") {
		t.Errorf("transform with the lake's profile: %q", out)
	}
}
