package ingest

// Issue 10's failure classes of ingest: bad bytes in every format, records and cells
// past the limits, and reporter identities in any table's file.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// staffRow is a valid staff record, numbered.
func staffRow(i int) string {
	return fmt.Sprintf("S%05d,东胜区,东胜区应急管理局,是,否,%d,是\n", i, i%30)
}

const staffHeader = "人员编号,所属旗区,单位,相关学历,职业资格,实践经验年限,在职\n"

// writeFile writes b to dir/name and returns the path.
func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// quarantineOf ingests path into a new lake and returns the result and the quarantine.
func quarantineOf(t *testing.T, path string, mod ...func(*Config)) (Result, []quarantineRecord, string) {
	t.Helper()
	lakeDir := filepath.Join(t.TempDir(), "lake")
	r := ingestOK(t, newTestIngester(t, lakeDir, mod...), path)
	q := readQuarantine(t, lakeDir, r.Table, r.BatchID)
	for _, rec := range q {
		for _, s := range []string{rec.Raw, rec.Value, rec.Message, rec.Column} {
			if !utf8.ValidString(s) {
				t.Errorf("quarantine record of row %d holds bytes that are not UTF-8: %q", rec.SourceRow, s)
			}
		}
	}
	return r, q, lakeDir
}

// wantOneError checks that exactly row is quarantined, for rule, naming column.
func wantOneError(t *testing.T, r Result, q []quarantineRecord, row int64, rule, column string) {
	t.Helper()
	if r.Quarantined != 1 || len(q) != 1 || q[0].SourceRow != row || q[0].Rule != rule || q[0].Column != column {
		t.Fatalf("result %+v, quarantine %+v: want row %d quarantined for %s in column %q", r, q, row, rule, column)
	}
}

// TestInvalidUTF8AfterSniff is issue 10 item 3: a bad byte after the first 64 KiB of a
// UTF-8 file was accepted into raw, and every later run failed on the Parquet.
func TestInvalidUTF8AfterSniff(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(staffHeader)
	for i := 1; b.Len() < 100<<10; i++ {
		b.WriteString(staffRow(i))
	}
	n := strings.Count(b.String(), "\n") // the bad row's number
	b.WriteString("S99999,东胜区,东胜区应急\xff管理局,是,否,3,是\n")
	b.WriteString(staffRow(100000))
	path := writeFile(t, t.TempDir(), "staff.csv", b.Bytes())
	r, q, _ := quarantineOf(t, path)
	wantOneError(t, r, q, int64(n+1), RuleEncoding, "department")
	if r.Encoding != "utf-8" || !strings.Contains(q[0].Message, "0xff") || !strings.Contains(q[0].Raw, `\xFF`) {
		t.Errorf("encoding %s, message %q, raw %q: want the byte named and shown as \\xFF", r.Encoding, q[0].Message, q[0].Raw)
	}
}

// TestInvalidUTF8SmallFile: the same byte in a small file gave a misleading "no header
// row" (the file was read as GB18030).
func TestInvalidUTF8SmallFile(t *testing.T) {
	path := writeFile(t, t.TempDir(), "staff.csv", []byte(staffHeader+staffRow(1)+"S2,东胜区,东胜区应急管理局\xe4\xb8,是,否,3,是\n"+staffRow(3)))
	r, q, _ := quarantineOf(t, path)
	wantOneError(t, r, q, 3, RuleEncoding, "department")
	if r.Encoding != "utf-8" || r.Accepted != 2 {
		t.Errorf("read as %s, %d accepted", r.Encoding, r.Accepted)
	}
}

// TestInvalidGBK: a byte that is not GB18030 was decoded to U+FFFD silently.
func TestInvalidGBK(t *testing.T) {
	enc, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(staffHeader + staffRow(1)))
	if err != nil {
		t.Fatal(err)
	}
	bad, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("S2,东胜区,应急局"))
	tail, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(",是,否,3,是\n"))
	enc = append(append(append(enc, bad...), 0xff), tail...)
	path := writeFile(t, t.TempDir(), "staff.csv", enc)
	r, q, _ := quarantineOf(t, path)
	wantOneError(t, r, q, 3, RuleEncoding, "department")
	if r.Encoding != "gb18030" || !strings.Contains(q[0].Message, "not GB18030") {
		t.Errorf("read as %s; message %q", r.Encoding, q[0].Message)
	}
}

// TestInvalidJSON: encoding/json replaced a bad byte, and a lone surrogate escape,
// by U+FFFD silently.
func TestInvalidJSON(t *testing.T) {
	dir := t.TempDir()
	obj := func(id, dept string) string {
		return `{"staff_id":"` + id + `","region":"东胜区","department":"` + dept + `","active":"是"}`
	}
	for _, c := range []struct{ name, text string }{
		{"array.json", "[" + obj("S1", "应急局") + ",\n" + obj("S2", "应急\xff局") + "," + obj("S3", `应急\ud800局`) + "," + obj("S4", "局") + "]"},
		{"lines.ndjson", obj("S1", "应急局") + "\n" + obj("S2", "应急\xff局") + "\n" + obj("S3", `应急\ud800局`) + "\n" + obj("S4", "局") + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, q, _ := quarantineOf(t, writeFile(t, dir, c.name, []byte(c.text)))
			if r.Read != 4 || r.Accepted != 2 || len(q) != 2 {
				t.Fatalf("%+v %+v", r, q)
			}
			for i, rec := range q {
				if rec.SourceRow != int64(i+2) || rec.Rule != RuleEncoding || rec.Column != "department" {
					t.Errorf("quarantine %+v: want row %d, encoding, department", rec, i+2)
				}
			}
			if off := strings.Index(c.text, "\xff"); !strings.Contains(q[0].Message, fmt.Sprintf("byte offset %d", off)) {
				t.Errorf("message %q does not name byte offset %d", q[0].Message, off)
			}
		})
	}
}

// rewriteZip copies the zip at path with each entry's text passed through edit.
func rewriteZip(t testing.TB, path string, edit func(name string, b []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(edit(f.Name, b))
	}
	zr.Close()
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// staffXLSX writes a staff workbook whose second record's department is PLACEHOLDER.
func staffXLSX(t testing.TB, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"人员编号", "所属旗区", "单位", "在职"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"S1", "东胜区", "应急局", "是"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"S2", "东胜区", "PLACEHOLDER", "是"})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestInvalidXLSX: a bad byte in a workbook's shared strings is a refusal naming the
// part and the byte offset (excelize dropped the rest of the strings silently).
func TestInvalidXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "staff.xlsx")
	staffXLSX(t, path)
	rewriteZip(t, path, func(name string, b []byte) []byte {
		return bytes.Replace(b, []byte("PLACEHOLDER"), []byte("PLACE\xffHOLDER"), 1)
	})
	r, err := newTestIngester(t, filepath.Join(t.TempDir(), "lake")).File(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Refused == nil || !strings.Contains(r.Refused.Error(), "sharedStrings.xml: byte 0xff at byte offset") {
		t.Fatalf("refused = %v, want the byte and its offset named", r.Refused)
	}
}

// TestOversize covers the limits of limits.go in each format: a record error for a
// cell or line too large, reading going on after it; a refusal where the format
// cannot resume (a JSON array element, a workbook).
func TestOversize(t *testing.T) {
	dir := t.TempDir()
	bigCell := strings.Repeat("长", maxCellBytes/3+1)
	t.Run("csv cell", func(t *testing.T) {
		p := writeFile(t, dir, "cell.csv", []byte(staffHeader+staffRow(1)+"S2,东胜区,"+bigCell+",是,否,3,是\n"+staffRow(3)))
		r, q, _ := quarantineOf(t, p)
		wantOneError(t, r, q, 3, RuleTooLarge, "department")
		if len(q[0].Raw) > 2*rawLimit || len(q[0].Value) > 2*valueLimit {
			t.Errorf("the quarantine holds %d bytes of raw and %d of value", len(q[0].Raw), len(q[0].Value))
		}
	})
	t.Run("csv line", func(t *testing.T) {
		p := writeFile(t, dir, "line.csv", []byte(staffHeader+staffRow(1)+"S2,"+strings.Repeat("x,", maxRowBytes/2)+"\n"+staffRow(3)))
		r, q, _ := quarantineOf(t, p)
		wantOneError(t, r, q, 3, RuleTooLarge, "")
		if r.Accepted != 2 || !strings.Contains(q[0].Message, "line 3") {
			t.Errorf("%+v %s", r, q[0].Message)
		}
	})
	obj := func(id, dept string) string {
		return `{"staff_id":"` + id + `","region":"东胜区","department":"` + dept + `"}`
	}
	t.Run("ndjson cell", func(t *testing.T) {
		p := writeFile(t, dir, "cell.ndjson", []byte(obj("S1", "局")+"\n"+obj("S2", bigCell)+"\n"+obj("S3", "局")+"\n"))
		r, q, _ := quarantineOf(t, p)
		wantOneError(t, r, q, 2, RuleTooLarge, "department")
	})
	t.Run("ndjson line", func(t *testing.T) {
		p := writeFile(t, dir, "line.ndjson", []byte(obj("S1", "局")+"\n"+obj("S2", strings.Repeat("x", maxRowBytes))+"\n"+obj("S3", "局")+"\n"))
		r, q, _ := quarantineOf(t, p)
		wantOneError(t, r, q, 2, RuleTooLarge, "")
	})
	t.Run("json element", func(t *testing.T) {
		// 1.5 MiB: a row error, after which the next element is still read.
		p := writeFile(t, dir, "big.json", []byte("["+obj("S1", "局")+","+obj("S2", strings.Repeat("x", maxRowBytes*3/2))+","+obj("S3", "局")+"]"))
		r, q, _ := quarantineOf(t, p)
		wantOneError(t, r, q, 2, RuleTooLarge, "")
	})
	t.Run("json element past the budget", func(t *testing.T) {
		p := writeFile(t, dir, "huge.json", []byte("["+obj("S1", "局")+","+obj("S2", strings.Repeat("x", 3*maxRowBytes))+"]"))
		r, err := newTestIngester(t, filepath.Join(t.TempDir(), "lake")).File(context.Background(), p)
		if err != nil || r.Refused == nil || !strings.Contains(r.Refused.Error(), "element 2") || !strings.Contains(r.Refused.Error(), "larger than") {
			t.Fatalf("refused = %v (%v), want element 2 named as too large", r.Refused, err)
		}
	})
	t.Run("xlsx cell", func(t *testing.T) {
		p := filepath.Join(dir, "cell.xlsx")
		staffXLSX(t, p)
		rewriteZip(t, p, func(name string, b []byte) []byte {
			return bytes.Replace(b, []byte("PLACEHOLDER"), []byte(bigCell), 1)
		})
		r, err := newTestIngester(t, filepath.Join(t.TempDir(), "lake")).File(context.Background(), p)
		if err != nil || r.Refused == nil || !strings.Contains(r.Refused.Error(), "shared string 9 is longer than") {
			t.Fatalf("refused = %v (%v)", r.Refused, err)
		}
	})
}

// TestMoneyUnits is issue 11 item 8: templates write the unit, 万元 headers are scaled,
// and a bare header is read as yuan with a warning naming the assumption.
func TestMoneyUnits(t *testing.T) {
	for _, tab := range []*safetyrisk.Table{safetyrisk.Accidents, safetyrisk.Enforcement, safetyrisk.Reports} {
		b, err := TemplateCSV(tab)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "(元)") {
			t.Errorf("%s template: no money header with its unit: %s", tab.Name, b)
		}
	}
	dir := t.TempDir()
	row := "A1,2024-03-05 14:30,东胜区,煤矿,冒顶片帮,1,%s\n"
	for _, c := range []struct {
		header, value string
		want          float64
		warn          bool
	}{
		{"直接经济损失(元)", "1200", 1200, false},
		{"直接经济损失（万元）", "1200", 12000000, false},
		{"直接经济损失", "1200", 1200, true},
	} {
		t.Run(c.header, func(t *testing.T) {
			var logs bytes.Buffer
			p := writeFile(t, dir, "acc.csv", []byte("事故编号,发生时间,所属旗区,行业领域,事故类别,死亡人数,"+c.header+"\n"+fmt.Sprintf(row, c.value)))
			lakeDir := filepath.Join(t.TempDir(), "lake")
			r := ingestOK(t, newTestIngester(t, lakeDir, func(cfg *Config) { cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil)) }), p)
			if got := rawFloat(t, lakeDir, r, "direct_loss"); got != c.want {
				t.Errorf("direct_loss %v, want %v", got, c.want)
			}
			m, _ := lake.ReadManifest(lakeDir)
			warned := len(r.Warnings) == 1 && strings.Contains(r.Warnings[0], "yuan") && strings.Contains(r.Warnings[0], c.header) &&
				strings.Contains(logs.String(), "unit assumed") && len(m) == 1 && len(m[0].Warnings) == 1
			if warned != c.warn {
				t.Errorf("warnings %q, manifest %+v, log %s: want a warning %v", r.Warnings, m, logs.String(), c.warn)
			}
		})
	}
}

// rawFloat reads the first row's value of a DOUBLE column of a raw batch.
func rawFloat(t *testing.T, lakeDir string, r Result, col string) float64 {
	t.Helper()
	tab := safetyrisk.TableByName(r.Table)
	s, err := newRawSchema(tab)
	if err != nil {
		t.Fatal(err)
	}
	rows := rawRowsOf(t, lakeDir, r)
	return rows[0][s.leaf[tab.Index(col)]].Double()
}

// TestPIINeverInClearAnyTable is issue 10 item 5 and its must-show 3: a file of any
// table, in every format, that carries reporter columns keeps not one clear byte of
// the identities anywhere in the lake, the log or an error; without a key it is
// refused, and the refusal does not name them either.
func TestPIINeverInClearAnyTable(t *testing.T) {
	formats := []string{"utf8.csv", "gbk.csv", "xlsx", "json", "ndjson"}
	for _, tab := range safetyrisk.Tables() {
		for _, format := range formats {
			t.Run(tab.Name+"/"+format, func(t *testing.T) {
				header, rows, secrets := piiRecords(t, tab)
				path := writePIIFile(t, t.TempDir(), tab.Name, format, header, rows)
				for _, key := range [][]byte{testKey, nil} {
					var logs bytes.Buffer
					lakeDir := filepath.Join(t.TempDir(), "lake")
					in := newTestIngester(t, lakeDir, func(c *Config) {
						c.PIIKey = key
						c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					})
					r, err := in.File(context.Background(), path)
					if err != nil {
						t.Fatal(err)
					}
					if key == nil && r.Refused == nil {
						t.Fatalf("no key: not refused (%d rows read)", r.Read)
					}
					if key != nil {
						if r.Refused != nil {
							t.Fatalf("refused: %v", r.Refused)
						}
						checkCounts(t, r)
						if r.Quarantined == 0 {
							t.Errorf("nothing quarantined: the raw text of rejected rows went untested")
						}
					}
					hay := map[string][]byte{"log": logs.Bytes(), "result": []byte(fmt.Sprintf("%v %q %q", r.Refused, r.Examples, r.Warnings))}
					if _, err := os.Stat(lakeDir); err == nil {
						filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
							if err != nil || info.IsDir() {
								return err
							}
							b, _ := os.ReadFile(p)
							hay[p] = b
							if strings.HasSuffix(p, ".parquet") {
								hay[p+" (values)"] = []byte(strings.Join(parquetStrings(t, p), "\n"))
							}
							return nil
						})
					}
					for where, b := range hay {
						for _, s := range secrets {
							if bytes.Contains(b, []byte(s)) {
								t.Errorf("key %v: %s holds %q in clear", key != nil, where, s)
							}
							if g, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s)); !bytes.Equal(g, []byte(s)) && bytes.Contains(b, g) {
								t.Errorf("key %v: %s holds %q in clear (GB18030)", key != nil, where, s)
							}
						}
					}
				}
			})
		}
	}
}

// piiRecords returns a table's good test records with the three reporter columns
// added (the reports table has them), a rejected copy of the first record (its key
// repeated), and the planted identities.
func piiRecords(t *testing.T, tab *safetyrisk.Table) ([]string, [][]string, []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", tab.Name+".good.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for len(recs) > 0 && headerTable(tab, recs[0]) == nil {
		recs = recs[1:] // title rows
	}
	header, rows := recs[0], recs[1:]
	var secrets []string
	plant := func(i int) []string {
		id := []string{fmt.Sprintf("欧阳秘密%c", '甲'+rune(i)), fmt.Sprintf("1398765%04d", 4321+i), fmt.Sprintf("15060219900101%04d", 7000+i)}
		secrets = append(secrets, id...)
		secrets = append(secrets, normPII(id[1]))
		return id
	}
	if tab.HasPII() {
		for i, r := range rows {
			id := plant(i)
			copy(r[len(r)-3:], id)
		}
	} else {
		header = append(header, "举报人姓名", "举报人电话", "举报人身份证号")
		for i := range rows {
			rows[i] = append(rows[i], plant(i)...)
		}
	}
	dup := append([]string(nil), rows[0]...)
	copy(dup[len(dup)-3:], plant(len(rows)))
	rows = append(rows, dup)
	return header, rows, secrets
}

// writePIIFile writes header and rows in a format ("utf8.csv", "gbk.csv", "xlsx",
// "json", "ndjson"); the text formats get a record that cannot be read, holding an
// identity, too.
func writePIIFile(t *testing.T, dir, name, format string, header []string, rows [][]string) string {
	t.Helper()
	last := rows[len(rows)-1]
	broken := strings.Join(last[:len(last)-3], ",") + `,"` + strings.Join(last[len(last)-3:], ",") + "\n"
	switch format {
	case "utf8.csv", "gbk.csv":
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Write(header)
		w.WriteAll(rows)
		b.WriteString(broken) // an unclosed quote: the record cannot be read
		out := b.Bytes()
		if format == "gbk.csv" {
			var err error
			if out, err = simplifiedchinese.GB18030.NewEncoder().Bytes(out); err != nil {
				t.Fatal(err)
			}
		}
		return writeFile(t, dir, name+".csv", out)
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		for i, r := range append([][]string{header}, rows...) {
			cells := make([]any, len(r))
			for j, c := range r {
				cells[j] = c
			}
			f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &cells)
		}
		p := filepath.Join(dir, name+".xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var objs []string
	for _, r := range rows {
		m := map[string]string{}
		for j, h := range header {
			if j < len(r) {
				m[h] = r[j]
			}
		}
		b, _ := json.Marshal(m)
		objs = append(objs, string(b))
	}
	// An element that is no object, with an identity in it.
	b, _ := json.Marshal(last[len(last)-3:])
	objs = append(objs, string(b))
	if format == "json" {
		return writeFile(t, dir, name+".json", []byte("["+strings.Join(objs, ",\n")+"]"))
	}
	return writeFile(t, dir, name+".ndjson", []byte(strings.Join(objs, "\n")+"\n"))
}

// rawRowsOf reads the rows of a raw batch, each value at its leaf column's index.
func rawRowsOf(t *testing.T, lakeDir string, r Result) []parquet.Row {
	t.Helper()
	f, err := os.Open(filepath.Join(lake.RawBatchDir(lakeDir, r.Table, r.BatchID), lake.PartFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	rd := parquet.NewReader(pf)
	defer rd.Close()
	var out []parquet.Row
	buf := make([]parquet.Row, 16)
	for {
		n, err := rd.ReadRows(buf)
		for _, row := range buf[:n] {
			out = append(out, row.Clone())
		}
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

const bigCellEnv = "SAFETYRISK_INGEST_BIG_CELL_CHILD"

// bigCellSize is the cell of issue 10 item 8: an xlsx with one 150 MB cell was
// accepted at 1.4 GB of RSS.
const bigCellSize = 150 << 20

// TestBigCellChild is the child of TestBigCell: it ingests the files named in the
// environment and prints what became of each.
func TestBigCellChild(t *testing.T) {
	spec := os.Getenv(bigCellEnv)
	if spec == "" {
		t.Skip("run by TestBigCell")
	}
	parts := strings.Split(spec, "|")
	in := newTestIngester(t, parts[0])
	for _, p := range parts[1:] {
		r, err := in.File(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s: refused %v; read %d, accepted %d, quarantined %d %v\n", filepath.Base(p), r.Refused, r.Read, r.Accepted, r.Quarantined, r.TopReasons)
	}
	// The peak RSS of this process: its own, where the rusage of a child counts the
	// parent's as it was at the fork.
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Println(l)
		}
	}
}

// TestBigCell ingests a 150 MB cell in each format in a child process and checks
// that it is refused or quarantined, never accepted, with the child's peak RSS
// bounded.
func TestBigCell(t *testing.T) {
	if testing.Short() {
		t.Skip("short: writes 600 MB of files")
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "big.xlsx")
	staffXLSX(t, xlsx)
	rewriteZip(t, xlsx, func(name string, b []byte) []byte {
		return bytes.Replace(b, []byte("PLACEHOLDER"), bytes.Repeat([]byte("A"), bigCellSize), 1)
	})
	write := func(name, before, after string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(before)
		chunk := bytes.Repeat([]byte("A"), 1<<20)
		for range bigCellSize >> 20 {
			f.Write(chunk)
		}
		f.WriteString(after)
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	obj := `{"staff_id":"S1","region":"东胜区","department":"局"}`
	files := []string{
		xlsx,
		write("big.csv", staffHeader+staffRow(1)+"S2,东胜区,", ",是,否,3,是\n"+staffRow(3)),
		write("big.ndjson", obj+"\n"+`{"staff_id":"S2","region":"东胜区","department":"`, `"}`+"\n"+strings.Replace(obj, "S1", "S3", 1)+"\n"),
		write("big.json", "["+obj+`,{"staff_id":"S2","region":"东胜区","department":"`, `"}]`),
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"big.xlsx: refused " + files[0] + ": refused: xl/sharedStrings.xml: shared string 9 is longer than",
		"big.csv: refused <nil>; read 3, accepted 2, quarantined 1 [{too_large 1}]",
		"big.ndjson: refused <nil>; read 3, accepted 2, quarantined 1 [{too_large 1}]",
		"big.json: refused " + files[3] + ": refused: json: element 2 (from byte offset 59): a JSON element is larger than",
	}
	for i, f := range files {
		cmd := exec.Command(exe, "-test.run=^TestBigCellChild$", "-test.v")
		cmd.Env = append(os.Environ(), bigCellEnv+"="+filepath.Join(dir, fmt.Sprintf("lake%d", i))+"|"+f, "GOGC=", "GOMEMLIMIT=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		var rss int64 = -1
		if _, after, ok := strings.Cut(string(out), "VmHWM:"); ok {
			fmt.Sscan(after, &rss)
			rss >>= 10 // KiB to MiB
		}
		t.Logf("%s: child peak RSS %d MB", filepath.Base(f), rss)
		if !strings.Contains(string(out), want[i]) {
			t.Errorf("child output lacks %q:\n%s", want[i], out)
		}
		if rss < 0 || rss > 256 {
			t.Errorf("%s: peak RSS %d MB ingesting a 150 MB cell, want at most 256", filepath.Base(f), rss)
		}
	}
}

// TestMostlyUTF8 holds the encoding guess to its boundaries: GBK text is GBK, UTF-8
// with a stray byte is UTF-8 (its bad byte a row error), and a file with no
// multi-byte character at all but a high byte is taken for GB18030.
func TestMostlyUTF8(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.csv")
	writeHazardsCSV(t, path, 500, "m")
	text, _ := os.ReadFile(path)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		b    []byte
		want bool
	}{
		{"gbk hazards", gbk[:min(len(gbk), sniffSize)], false},
		{"empty", nil, true},
		{"utf-8 with a stray byte", append(append([]byte{}, text[:4000]...), 0xff), true},
		{"four characters a bad byte", []byte("东胜区煤\xff"), true},
		{"three characters a bad byte", []byte("东胜区\xff"), false},
		{"ascii and a high byte", []byte("a,b,c\n1,\xe9A,3\n"), false},
	} {
		if got := mostlyUTF8(c.b); got != c.want {
			t.Errorf("%s: mostlyUTF8 = %v, want %v", c.name, got, c.want)
		}
	}
	g, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(gbkHazardsCSV))
	if mostlyUTF8(g) {
		t.Errorf("the GBK test file is taken for UTF-8")
	}
}
