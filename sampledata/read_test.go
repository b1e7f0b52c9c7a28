package sampledata

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/safetyrisk/safetyrisk"
)

// The test helpers read generated files back the way ingest would: by the files list of
// the truth folder, decoding GBK and stripping a BOM, numbering rows by the contract.

// testConfig is a small data set: a few seconds to generate and check.
func testConfig(out string, seed uint64) Config {
	return Config{
		Out: out, Seed: seed, Scale: 0.05, Format: FormatCSV, Dirty: 0.02,
		From: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

func generate(t *testing.T, cfg Config) *Summary {
	t.Helper()
	sum, err := Generate(context.Background(), cfg, nil)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return sum
}

// record is one data row of a generated file.
type record struct {
	file  string
	row   int64
	cells []string
}

// table is all rows of one table across its files.
type table struct {
	t    *safetyrisk.Table
	ix   map[string]int // canonical column name -> index
	hdr  map[string][]string
	recs []record
}

func (tb *table) get(r record, col string) string {
	i, ok := tb.ix[col]
	if !ok {
		panic("no column " + col)
	}
	return r.cells[i]
}

// dataset is a generated folder read back.
type dataset struct {
	dir    string
	files  []fileInfo
	tables map[string]*table
	dirty  map[[2]string]dirtyRow // (file, row) -> planted problem
	orphan map[[2]string][]string
	story  [][]string
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func load(t *testing.T, dir string) *dataset {
	t.Helper()
	ds := &dataset{dir: dir, tables: map[string]*table{}, dirty: map[[2]string]dirtyRow{}, orphan: map[[2]string][]string{}}
	for i, r := range readCSVFile(t, filepath.Join(dir, TruthDir, FilesFile)) {
		if i == 0 {
			continue
		}
		rows, _ := strconv.ParseInt(r[3], 10, 64)
		dirty, _ := strconv.ParseInt(r[4], 10, 64)
		ds.files = append(ds.files, fileInfo{Name: r[0], Table: r[1], Encoding: r[2], Rows: rows, Dirty: dirty})
	}
	for i, r := range readCSVFile(t, filepath.Join(dir, TruthDir, DirtyFile)) {
		if i == 0 {
			continue
		}
		row, _ := strconv.ParseInt(r[1], 10, 64)
		ds.dirty[[2]string{r[0], r[1]}] = dirtyRow{file: r[0], row: row, table: r[2], key: r[3], kind: r[4], column: r[5], value: r[6], clean: r[7], expect: r[8]}
	}
	for i, r := range readCSVFile(t, filepath.Join(dir, TruthDir, OrphansFile)) {
		if i > 0 {
			ds.orphan[[2]string{r[0], r[1]}] = r
		}
	}
	ds.story = readCSVFile(t, filepath.Join(dir, TruthDir, StoriesFile))[1:]
	for _, fi := range ds.files {
		st := safetyrisk.TableByName(fi.Table)
		tb := ds.tables[fi.Table]
		if tb == nil {
			tb = &table{t: st, ix: map[string]int{}, hdr: map[string][]string{}}
			for i, c := range st.Columns {
				tb.ix[c.Name] = i
			}
			ds.tables[fi.Table] = tb
		}
		hdr, recs := readDataFile(t, filepath.Join(dir, fi.Name), fi.Encoding)
		tb.hdr[fi.Name] = hdr
		if int64(len(recs)) != fi.Rows {
			t.Errorf("%s: %d rows, files list says %d", fi.Name, len(recs), fi.Rows)
		}
		// Map the file's columns to the table's (the 万元 variant scaled back to yuan).
		pos := make([]int, len(hdr))
		scale := make([]float64, len(hdr))
		for j, h := range hdr {
			pos[j], scale[j] = st.MatchHeader(h)
			if pos[j] < 0 {
				t.Fatalf("%s: header %q matches no column of %s", fi.Name, h, st.Name)
			}
		}
		for _, r := range recs {
			cells := make([]string, len(st.Columns))
			for j, v := range r.cells {
				if scale[j] != 1 && v != "" {
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						v = strconv.FormatFloat(f*scale[j], 'f', 0, 64)
					}
				}
				cells[pos[j]] = v
			}
			r.cells = cells
			tb.recs = append(tb.recs, r)
		}
	}
	return ds
}

// readDataFile reads a CSV (UTF-8, UTF-8 with BOM or GBK) or JSON file.
func readDataFile(t *testing.T, path, enc string) ([]string, []record) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := filepath.Base(path)
	if strings.HasSuffix(name, ".json") {
		return readJSONFile(t, f, name)
	}
	if strings.HasSuffix(name, ".xlsx") {
		return readXLSXFile(t, f, name)
	}
	var rd io.Reader = bufio.NewReader(f)
	if enc == encGBK {
		rd = transform.NewReader(rd, simplifiedchinese.GBK.NewDecoder())
	}
	cr := csv.NewReader(rd)
	all, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	hdr := all[0]
	hasBOM := strings.HasPrefix(hdr[0], "\uFEFF")
	if hasBOM != (enc == encUTF8BOM) {
		t.Errorf("%s: BOM %v but encoding %s", name, hasBOM, enc)
	}
	hdr[0] = strings.TrimPrefix(hdr[0], "\uFEFF")
	var out []record
	for i, r := range all[1:] {
		out = append(out, record{file: name, row: int64(i + 2), cells: r})
	}
	return hdr, out
}

func readXLSXFile(t *testing.T, f io.Reader, name string) ([]string, []record) {
	t.Helper()
	x, err := excelize.OpenReader(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	hdr := rows[0]
	var out []record
	for i, r := range rows[1:] {
		for len(r) < len(hdr) { // trailing blank cells are not stored
			r = append(r, "")
		}
		out = append(out, record{file: name, row: int64(i + 2), cells: r})
	}
	return hdr, out
}

func readJSONFile(t *testing.T, f io.Reader, name string) ([]string, []record) {
	dec := json.NewDecoder(f)
	var raw []json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var hdr []string
	var out []record
	for i, m := range raw {
		// Keep the key order of the object: decode token by token.
		d := json.NewDecoder(strings.NewReader(string(m)))
		d.Token()
		var keys, vals []string
		for d.More() {
			k, _ := d.Token()
			var v string
			if err := d.Decode(&v); err != nil {
				t.Fatalf("%s element %d: %v", name, i+1, err)
			}
			keys, vals = append(keys, k.(string)), append(vals, v)
		}
		if hdr == nil {
			hdr = keys
		}
		out = append(out, record{file: name, row: int64(i + 1), cells: vals})
	}
	return hdr, out
}

// isDirty reports the planted problem of a record, if any.
func (ds *dataset) isDirty(r record) (dirtyRow, bool) {
	d, ok := ds.dirty[[2]string{r.file, strconv.FormatInt(r.row, 10)}]
	return d, ok
}

// rejected reports whether ingest must quarantine the record.
func (ds *dataset) rejected(r record) bool {
	d, ok := ds.isDirty(r)
	return ok && d.expect == ExpectReject
}

// clean returns the cell as generated, undoing a messy-but-valid planted value.
func (ds *dataset) clean(tb *table, r record, col string) string {
	if d, ok := ds.isDirty(r); ok && d.column == col {
		return d.clean
	}
	return tb.get(r, col)
}

func (ds *dataset) stories(name string) [][]string {
	var out [][]string
	for _, s := range ds.story {
		if s[0] == name {
			out = append(out, s)
		}
	}
	return out
}

func (ds *dataset) storyKeys(name string) map[string]bool {
	out := map[string]bool{}
	for _, s := range ds.stories(name) {
		if s[2] != "" {
			out[s[2]] = true
		}
	}
	return out
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return d
}

func atoi(s string) int64 {
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}

func atof(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}
