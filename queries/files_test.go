package queries

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/safetyrisk/safetyrisk"
)

// TestFiles: every embedded .sql file has its header, documents its parameters, names
// catalogue ids only, and together with the Go-derived ids they cover the catalogue. That
// every file runs is TestComputeHandLake (Compute runs them all and fails on any error).
func TestFiles(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 8 {
		t.Fatalf("%d files", len(files))
	}
	covered := map[string]string{}
	for _, id := range DerivedIDs() {
		covered[id] = "riskindex.go"
	}
	for _, f := range files {
		if !strings.HasPrefix(f.SQL, "-- family:") || len(f.IDs) == 0 {
			t.Errorf("%s: header missing", f.Name)
		}
		for _, id := range f.IDs {
			if _, ok := safetyrisk.IndicatorByID(id); !ok {
				t.Errorf("%s: %q is not a catalogue id", f.Name, id)
			}
			if prev, dup := covered[id]; dup && id != "veto" {
				t.Errorf("%s: %s also computed by %s", f.Name, id, prev)
			}
			covered[id] = f.Name
		}
	}
	for _, in := range safetyrisk.Catalogue() {
		if covered[in.ID] == "" {
			t.Errorf("catalogue id %s: no file computes it", in.ID)
		}
	}
	if _, err := parseFile("bad.sql", "SELECT 1"); err == nil {
		t.Error("a file without header: no error")
	}
	if _, err := parseFile("bad.sql", "-- family: x\n-- ids: deaths\n-- measures: x\n-- unit: x\n-- worse: up\n-- M: M1\n-- params: $as_of\nSELECT $as_of, $city"); err == nil {
		t.Error("an undocumented parameter: no error")
	}
}

// coverage says which catalogue ids lack a file computing them or a records block, and
// which blocks name an id the catalogue does not have or repeat one.
func coverage(files []File) []string {
	var bad []string
	computed, blocks := map[string]bool{}, map[string]int{}
	for _, id := range DerivedIDs() {
		computed[id] = true
	}
	for _, f := range files {
		for _, id := range f.IDs {
			computed[id] = true
		}
		for _, b := range f.Records {
			blocks[b.ID]++
			if _, ok := safetyrisk.IndicatorByID(b.ID); !ok {
				bad = append(bad, f.Name+": records block of "+b.ID+", not a catalogue id")
			}
		}
	}
	for _, in := range safetyrisk.Catalogue() {
		if !computed[in.ID] {
			bad = append(bad, in.ID+": no file computes it (ids line)")
		}
		if blocks[in.ID] != 1 {
			bad = append(bad, fmt.Sprintf("%s: %d records blocks, want 1", in.ID, blocks[in.ID]))
		}
	}
	return bad
}

// TestRecordsBlocks: every catalogue indicator has exactly one records block, so explain
// can show the records behind each number; a block with an unknown source, an unknown or
// foreign id, a parameter explain does not bind or stray words is refused.
func TestRecordsBlocks(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range coverage(files) {
		t.Error(msg)
	}
	// the check fails when a block is missing
	var doctored []File
	for _, f := range files {
		f.Records = slices.DeleteFunc(slices.Clone(f.Records), func(b RecordsBlock) bool { return b.ID == "deaths" })
		doctored = append(doctored, f)
	}
	if got := coverage(doctored); len(got) != 1 || !strings.HasPrefix(got[0], "deaths: 0 records blocks") {
		t.Errorf("deaths' block removed: %v", got)
	}
	const head = "-- family: x\n-- ids: deaths\n-- measures: x\n-- unit: x\n-- worse: up\n-- M: M17\n-- params: $as_of\n"
	if f, err := parseFile("good.sql", head+"-- records deaths: accidents where deaths_incl_missing > 0\n--   AND deaths_incl_missing < 9\nSELECT $as_of"); err != nil ||
		len(f.Records) != 1 || f.Records[0] != (RecordsBlock{ID: "deaths", Source: "accidents", Where: "deaths_incl_missing > 0 AND deaths_incl_missing < 9"}) {
		t.Errorf("good block: %+v, %v", f.Records, err)
	}
	for name, block := range map[string]string{
		"unknown source":    "-- records deaths: accident_log\n",
		"id not computed":   "-- records serious_injuries: accidents\n",
		"unknown id":        "-- records no_such: accidents\n",
		"unbound parameter": "-- records deaths: accidents where region = $city\n",
		"stray words":       "-- records deaths: accidents grade\n",
		"derived source":    "-- records deaths: components\n",
		"two blocks":        "-- records deaths: accidents\n-- records deaths: accidents\n",
	} {
		if _, err := parseFile("bad.sql", head+block+"SELECT $as_of"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
