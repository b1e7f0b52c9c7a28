package ingest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/internal/golden"
	"github.com/safetyrisk/safetyrisk/lake"
)

// testNow is the clock of the tests: 2024-06-30 12:00 in Ordos.
var testNow = time.Date(2024, 6, 30, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

var testKey = []byte("test-pii-key-0123456789")

func newTestIngester(t testing.TB, lakeDir string, mod ...func(*Config)) *Ingester {
	t.Helper()
	cfg := Config{Lake: lakeDir, PIIKey: testKey, Now: func() time.Time { return testNow }}
	for _, m := range mod {
		m(&cfg)
	}
	in, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// ingestOK ingests path and checks the invariant rows read = accepted + quarantined
// (docs/architecture.md), and that the file was not refused.
func ingestOK(t testing.TB, in *Ingester, path string) Result {
	t.Helper()
	r, err := in.File(context.Background(), path)
	if err != nil {
		t.Fatalf("ingest %s: %v", path, err)
	}
	if r.Refused != nil {
		t.Fatalf("ingest %s: refused: %v", path, r.Refused)
	}
	checkCounts(t, r)
	return r
}

func checkCounts(t testing.TB, r Result) {
	t.Helper()
	if r.Read != r.Accepted+r.Quarantined {
		t.Errorf("%s: read %d != accepted %d + quarantined %d", r.Path, r.Read, r.Accepted, r.Quarantined)
	}
}

func readQuarantine(t testing.TB, lakeDir, table, batch string) []quarantineRecord {
	t.Helper()
	p := lake.QuarantinePath(lakeDir, table, batch)
	if _, err := os.Stat(p); os.IsNotExist(err) {
		return nil
	}
	recs, err := parquet.ReadFile[quarantineRecord](p)
	if err != nil {
		t.Fatalf("read quarantine: %v", err)
	}
	return recs
}

func rawRows(t testing.TB, lakeDir, table, batch string) int64 {
	t.Helper()
	f, err := os.Open(filepath.Join(lake.RawBatchDir(lakeDir, table, batch), lake.PartFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	return pf.NumRows()
}

// TestTables ingests the good and bad file of each table. Good files are accepted whole;
// the reasons for the bad files' rows are compared with golden files. The tables run in
// parallel, each into its own lake; the rules met are checked once they are all done.
func TestTables(t *testing.T) {
	var mu sync.Mutex
	seenRules := map[string]bool{}
	t.Cleanup(func() { // after the parallel subtests
		for _, r := range []string{RuleRegion, RuleNotFuture, RuleRange, RuleCreditCode, RuleOrder, RuleDuplicateKey, RuleType, RuleEnum, RuleRequired, RuleSector} {
			if !seenRules[r] {
				t.Errorf("no bad test file exercises rule %s", r)
			}
		}
	})
	for _, tab := range safetyrisk.Tables() {
		t.Run(tab.Name, func(t *testing.T) {
			t.Parallel()
			lakeDir := t.TempDir()
			in := newTestIngester(t, lakeDir)
			good := ingestOK(t, in, filepath.Join("testdata", tab.Name+".good.csv"))
			if good.Table != tab.Name || good.Quarantined != 0 || good.Accepted != 3 {
				t.Errorf("good: table %s, %d accepted, %d quarantined (want %s, 3, 0): %v", good.Table, good.Accepted, good.Quarantined, tab.Name, good.Examples)
			}
			if n := rawRows(t, lakeDir, tab.Name, good.BatchID); n != good.Accepted {
				t.Errorf("good: raw parquet has %d rows, want %d", n, good.Accepted)
			}
			badPath := filepath.Join("testdata", tab.Name+".bad.csv")
			bad := ingestOK(t, in, badPath)
			if bad.Quarantined == 0 {
				t.Fatalf("bad: nothing quarantined")
			}
			if n := rawRows(t, lakeDir, tab.Name, bad.BatchID); n != bad.Accepted {
				t.Errorf("bad: raw parquet has %d rows, want %d", n, bad.Accepted)
			}
			recs := readQuarantine(t, lakeDir, tab.Name, bad.BatchID)
			rows := map[int64]bool{}
			var lines []string
			for _, q := range recs {
				rows[q.SourceRow] = true
				mu.Lock()
				seenRules[q.Rule] = true
				mu.Unlock()
				lines = append(lines, fmt.Sprintf("row %d column %s rule %s: %s", q.SourceRow, q.Column, q.Rule, q.Message))
				// Each reason names file, row, column and value.
				if !strings.Contains(q.Message, badPath) || !strings.Contains(q.Message, fmt.Sprintf(":%d:", q.SourceRow)) ||
					(q.Column != "" && !strings.Contains(q.Message, q.Column)) || !strings.Contains(q.Message, q.Rule) {
					t.Errorf("message does not name file, row, column and rule: %s", q.Message)
				}
				if q.Raw == "" || q.Raw[0] != '{' {
					t.Errorf("row %d: raw %q is not a JSON object", q.SourceRow, q.Raw)
				}
			}
			if int64(len(rows)) != bad.Quarantined {
				t.Errorf("quarantine holds %d rows, result says %d", len(rows), bad.Quarantined)
			}
			golden.Check(t, filepath.Join("testdata", tab.Name+".bad.golden"), []byte(strings.Join(lines, "\n")+"\n"))
		})
	}
}

// lakeSnapshot maps every file under the lake to its bytes.
func lakeSnapshot(t *testing.T, lakeDir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIdempotent(t *testing.T) {
	t.Run("hashed first", func(t *testing.T) { testIdempotent(t, preHashSize) })
	t.Run("hashed while read", func(t *testing.T) { testIdempotent(t, 0) })
}

func testIdempotent(t *testing.T, preHash int64) {
	lakeDir := t.TempDir()
	in := newTestIngester(t, lakeDir)
	in.preHash = preHash
	first := ingestOK(t, in, "testdata/hazards.bad.csv")
	before := lakeSnapshot(t, lakeDir)
	again := ingestOK(t, in, "testdata/hazards.bad.csv")
	if !again.AlreadyIngested || again.BatchID != first.BatchID {
		t.Errorf("second ingest: already %v, batch %s (want true, %s)", again.AlreadyIngested, again.BatchID, first.BatchID)
	}
	after := lakeSnapshot(t, lakeDir)
	if len(before) != len(after) {
		t.Fatalf("files: %d before, %d after", len(before), len(after))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed", p)
		}
	}
	m, err := lake.ReadManifest(lakeDir)
	if err != nil || len(m) != 1 {
		t.Fatalf("manifest: %v, %d entries", err, len(m))
	}
	e := m[0]
	if sum, _ := fileSHA256("testdata/hazards.bad.csv"); e.SourceSHA256 != sum {
		t.Errorf("manifest sha256 %s, file's %s", e.SourceSHA256, sum)
	}
	if e.RowsRead != first.Read || e.RowsAccepted != first.Accepted || e.RowsQuarantined != first.Quarantined ||
		!strings.HasSuffix(e.BatchID, e.SourceSHA256[:8]) || len(e.TopReasons) == 0 {
		t.Errorf("manifest entry %+v does not match %+v", e, first)
	}
}

func TestRefused(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	xlsx := filepath.Join(dir, "title.xlsx")
	writeTitleXLSX(t, xlsx)
	whole, _ := os.ReadFile(xlsx)
	cases := []struct {
		name, path, table, sheet, want string
	}{
		{"no header", write("a.csv", "x,y,z\n1,2,3\n"), "", "", "no header row"},
		{"wrong table", "testdata/hazards.good.csv", "accidents", "", "no header row naming the columns of table accidents"},
		{"missing required", write("b.csv", "hazard_id,region\nH1,东胜区\n"), "hazards", "", "required columns missing"},
		{"pii without key", "testdata/reports.good.csv", "", "", "SAFETYRISK_PII_KEY"},
		{"wrong sheet", xlsx, "", "不存在", "no sheet"},
		{"truncated xlsx", write("t.xlsx", string(whole[:len(whole)/2])), "", "", "not a readable xlsx"},
		{"broken json", write("c.json", `[{"hazard_id":"H1","region":"东胜区"}, {"hazard_id": `), "hazards", "", "json"},
		{"unsupported", write("d.pdf", "%PDF"), "", "", "unsupported"},
		{"two headers one column", write("e.csv", "hazard_id,隐患编号,所属旗区\nH1,H2,东胜区\n"), "hazards", "", "both name column hazard_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lakeDir := t.TempDir()
			in := newTestIngester(t, lakeDir, func(cfg *Config) {
				cfg.Table = safetyrisk.TableByName(c.table)
				cfg.Sheet = c.sheet
				if c.name == "pii without key" {
					cfg.PIIKey = nil
				}
			})
			r, err := in.File(context.Background(), c.path)
			if err != nil {
				t.Fatal(err)
			}
			if r.Refused == nil || !strings.Contains(r.Refused.Error(), c.want) {
				t.Fatalf("refused = %v, want a reason containing %q", r.Refused, c.want)
			}
			if files := lakeSnapshot(t, lakeDir); len(files) != 0 {
				t.Errorf("a refused file wrote %v", slices.Collect(mapsKeys(files)))
			}
			left, _ := filepath.Glob(filepath.Join(lakeDir, "*", "*", ".tmp-*"))
			if len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !yield(k) {
				return
			}
		}
	}
}

// TestPIINeverInClear ingests the reports files and looks for every reporter name,
// phone and ID number in every byte under the lake, and in the decompressed values of
// every Parquet column.
func TestPIINeverInClear(t *testing.T) {
	lakeDir := t.TempDir()
	in := newTestIngester(t, lakeDir)
	var secrets []string
	for _, name := range []string{"testdata/reports.good.csv", "testdata/reports.bad.csv"} {
		ingestOK(t, in, name)
		b, _ := os.ReadFile(name)
		for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			cells := strings.Split(line, ",")
			if i == 0 {
				continue
			}
			for _, c := range cells[len(cells)-3:] {
				if c != "" {
					secrets = append(secrets, c, normPII(c))
				}
			}
		}
	}
	if len(secrets) < 10 {
		t.Fatalf("only %d identities in the test input", len(secrets))
	}
	wantHash := HashPII(testKey, "张三丰")
	if HashPII(testKey, "139-1234-5679") != HashPII(testKey, "13912345679") {
		t.Errorf("a phone number's dashes change its hash")
	}
	foundHash := false
	err := filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		hay := []string{string(b)}
		if strings.HasSuffix(p, ".parquet") {
			hay = append(hay, parquetStrings(t, p)...)
		}
		for _, h := range hay {
			for _, s := range secrets {
				if strings.Contains(h, s) {
					t.Errorf("%s holds %q in clear text", p, s)
				}
			}
			foundHash = foundHash || strings.Contains(h, wantHash)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !foundHash {
		t.Errorf("the hash of a reporter's name is nowhere in the lake")
	}
}

// parquetStrings returns every value of every column of a Parquet file as text.
func parquetStrings(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	r := parquet.NewReader(pf)
	defer r.Close()
	rows := make([]parquet.Row, 64)
	for {
		n, err := r.ReadRows(rows)
		for _, row := range rows[:n] {
			for _, v := range row {
				out = append(out, v.String())
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestDirectoryArgument(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"staff.good.csv", "governance.good.csv"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "_skip.csv"), []byte("junk"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.csv"), []byte("junk"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("junk"), 0o644)
	in := newTestIngester(t, t.TempDir())
	rs, err := in.Paths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		checkCounts(t, r)
		got = append(got, filepath.Base(r.Path)+":"+r.Table)
	}
	if want := []string{"governance.good.csv:governance", "staff.good.csv:staff"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRemoveStale(t *testing.T) {
	lakeDir := t.TempDir()
	old := filepath.Join(lake.RawDir(lakeDir, "staff"), ".tmp-batch=x-0001")
	fresh := filepath.Join(lake.RawDir(lakeDir, "staff"), ".tmp-batch=y-0002")
	oldQ := filepath.Join(lake.QuarantineDir(lakeDir, "staff"), ".tmp-batch=x.parquet-123")
	for _, d := range []string{old, fresh} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(old, lake.PartFile), []byte("half"), 0o644)
	os.MkdirAll(filepath.Dir(oldQ), 0o755)
	os.WriteFile(oldQ, []byte("half"), 0o644)
	long := time.Now().Add(-2 * staleAge)
	os.Chtimes(old, long, long)
	os.Chtimes(oldQ, long, long)
	in := newTestIngester(t, lakeDir)
	ingestOK(t, in, "testdata/staff.good.csv")
	for p, want := range map[string]bool{old: false, oldQ: false, fresh: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", p, err == nil, want)
		}
	}
}

// TestPreHashOnlyWhatMayBeIngested: a small file is hashed before it is read only when
// the manifest has an entry of its size, or an entry from before entries kept their
// size; a new file is read once, hashed as it is read.
func TestPreHashOnlyWhatMayBeIngested(t *testing.T) {
	lakeDir := t.TempDir()
	in := newTestIngester(t, lakeDir)
	const src = "testdata/hazards.bad.csv"
	opened := func() bool {
		t.Helper()
		f, err := in.open(src)
		if err != nil {
			t.Fatal(err)
		}
		f.src.Close()
		return f.sum != ""
	}
	if opened() {
		t.Error("an empty lake: the file was hashed before it was read")
	}
	first := ingestOK(t, in, src)
	if !opened() {
		t.Error("after its ingest: the file was not hashed first")
	}
	m, err := lake.ReadManifest(lakeDir)
	if err != nil || len(m) != 1 {
		t.Fatalf("manifest: %v, %d entries", err, len(m))
	}
	st, _ := os.Stat(src)
	if m[0].SourceBytes != st.Size() {
		t.Errorf("manifest source_bytes %d, the file's size %d", m[0].SourceBytes, st.Size())
	}
	m[0].SourceBytes++ // another file's size: this one is new
	if err := lake.WriteManifest(lakeDir, m); err != nil {
		t.Fatal(err)
	}
	if opened() {
		t.Error("a manifest without its size: the file was hashed before it was read")
	}
	m[0].SourceBytes = 0 // an entry written before sizes were kept
	if err := lake.WriteManifest(lakeDir, m); err != nil {
		t.Fatal(err)
	}
	if !opened() {
		t.Error("an entry without a size: the file was not hashed first")
	}
	if again := ingestOK(t, in, src); !again.AlreadyIngested || again.BatchID != first.BatchID {
		t.Errorf("second ingest: already %v, batch %s (want true, %s)", again.AlreadyIngested, again.BatchID, first.BatchID)
	}
}
