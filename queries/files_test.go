package queries

import (
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
