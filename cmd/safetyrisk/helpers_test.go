package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
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
