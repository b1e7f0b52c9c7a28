package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk/internal/testdir"
)

// runCLI runs one subcommand in process and returns its standard output; a status
// outside ok fails the test.
func runCLI(t *testing.T, ctx context.Context, ok []int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(nil, &out, &errb)
	code := m.Run(ctx, args)
	for _, c := range ok {
		if c == code {
			return out.String()
		}
	}
	t.Fatalf("safetyrisk %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	return ""
}

type seriesKey struct{ indicator, region, sector, window, dim string }

// indicatorsJSON runs `indicators --format json --no-write` as of a date.
func indicatorsJSON(t *testing.T, ctx context.Context, lake, asOf string) map[seriesKey]float64 {
	t.Helper()
	out := runCLI(t, ctx, []int{exitOK}, "indicators", "--lake", lake, "--as-of", asOf, "--format", "json", "--no-write")
	vals := map[seriesKey]float64{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			Indicator, Region, Sector, Window string
			DimValue                          string `json:"dim_value"`
			AsOf                              string `json:"as_of"`
			Value                             float64
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("indicators json: %v: %s", err, sc.Text())
		}
		if r.AsOf != asOf {
			t.Fatalf("as_of %s in the output of --as-of %s", r.AsOf, asOf)
		}
		vals[seriesKey{r.Indicator, r.Region, r.Sector, r.Window, r.DimValue}] = r.Value
	}
	if len(vals) == 0 {
		t.Fatal("indicators printed nothing")
	}
	return vals
}

var seven7 testdir.Once

// lakeSeed7 is the lake of generate --scale 0.05 --seed 7 for 2022 to 2024, run as of
// 2024-12-31, built once per test binary (TestMain removes it): TestEndToEndPrometheus
// and TestMeasuresStoriesOnDemo read the same data set. Tests only read it.
func lakeSeed7(t *testing.T) (inbox, lake string) {
	t.Helper()
	dir := seven7.Get(t, "safetyrisk-seed7-*", func(dir string) error {
		inbox, lake, key := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake"), filepath.Join(dir, "pii.key")
		// A key file, not $SAFETYRISK_PII_KEY: the lake does not depend on the test that builds it.
		if err := os.WriteFile(key, []byte("seed7-test-key-0123456789"), 0o600); err != nil {
			return err
		}
		var errb bytes.Buffer
		m := NewMain(nil, io.Discard, &errb)
		ctx := context.Background()
		if c := m.Run(ctx, []string{"generate", "--out", inbox, "--scale", "0.05", "--seed", "7", "--from", "2022-01-01", "--to", "2024-12-31"}); c != exitOK {
			return fmt.Errorf("generate: exit %d: %s", c, errb.String())
		}
		if c := m.Run(ctx, []string{"run", "--lake", lake, "--inbox", inbox, "--as-of", "2024-12-31", "--pii-key-file", key}); c != exitOK {
			return fmt.Errorf("run: exit %d: %s", c, errb.String())
		}
		return nil
	})
	return filepath.Join(dir, "inbox"), filepath.Join(dir, "lake")
}
