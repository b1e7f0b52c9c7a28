package ingest

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk/lake"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// readAllBoth reads s with encoding/csv and csvParser up to the first error or the end.
func readAllBoth(s string, comma byte) (want, got [][]string, wantErr, gotErr error) {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	r.Comma = rune(comma)
	for {
		rec, err := r.Read()
		if err != nil {
			if err != io.EOF {
				wantErr = err
			}
			break
		}
		want = append(want, rec)
	}
	p := newCSVParser(strings.NewReader(s), comma)
	for {
		rec, err := p.Read()
		if err != nil {
			if err != io.EOF {
				gotErr = err
			}
			break
		}
		got = append(got, slices.Clone(rec))
	}
	return
}

func TestCSVParser(t *testing.T) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"a,b\r\n1,2\r\n",
		"a,b\n\n\n1,2", // empty lines skipped, no final newline
		`a,"b,c","d""e"` + "\n",
		"a,\"multi\nline\",c\nx,y,z\n",
		"a,\"multi\r\nline\"\n",
		"a,\"\",b\n",
		",,\n",
		"\"quoted at end\"",
		"东胜区,煤矿,“中文引号”\n",
		"a,b\r",
	} {
		want, got, werr, gerr := readAllBoth(s, ',')
		if !slices.EqualFunc(want, got, slices.Equal) || (werr == nil) != (gerr == nil) {
			t.Errorf("%q: encoding/csv %q %v, csvParser %q %v", s, want, werr, got, gerr)
		}
	}
	for _, s := range []string{"a,b\"c\n", "\"a\"b,c\n", "\"unterminated\n"} {
		if _, _, werr, gerr := readAllBoth(s, ','); werr == nil || gerr == nil ||
			!(errors.Is(gerr, csv.ErrQuote) || errors.Is(gerr, csv.ErrBareQuote)) {
			t.Errorf("%q: encoding/csv %v, csvParser %v", s, werr, gerr)
		}
	}
}

// strictRecord is one record of strictRead: its fields, or an error.
type strictRecord struct {
	fields []string
	err    bool
	line   int // the physical line it begins on
}

// strictRead is the reference csvParser is held to: encoding/csv, strict about
// quotes, read one record at a time from the start of a physical line, with the rule
// of maxRecordLines: a record that spans lines is one only when encoding/csv reads it
// without error, within maxRecordLines lines and with at most width fields (width 0:
// no limit); otherwise its first line is an error and reading goes on at the next
// line. It is slow (each record starts a reader) and plainly right.
func strictRead(s string, comma byte, width int) []strictRecord {
	var starts []int // the offset of each physical line
	for i := 0; i < len(s); {
		starts = append(starts, i)
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	var out []strictRecord
	for li := 0; li < len(starts); {
		pos := starts[li]
		r := csv.NewReader(strings.NewReader(s[pos:]))
		r.FieldsPerRecord = -1
		r.Comma = rune(comma)
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		end := pos + int(r.InputOffset())
		// The lines the record spans: from the first line that is not empty.
		first := li
		for first < len(starts) && (starts[first] == len(s) || s[starts[first]] == '\n' || strings.HasPrefix(s[starts[first]:], "\r\n")) {
			first++
		}
		last := first
		for last+1 < len(starts) && starts[last+1] < end {
			last++
		}
		span := last - first + 1
		if span > 1 && (err != nil || (width > 0 && len(rec) > width) || span > maxRecordLines) {
			out = append(out, strictRecord{err: true, line: first + 1})
			li = first + 1
			continue
		}
		out = append(out, strictRecord{fields: slices.Clone(rec), err: err != nil, line: first + 1})
		li = last + 1
	}
	return out
}

// parseAll reads s with csvParser: its records, an error standing for a record that
// could not be read.
func parseAll(t testing.TB, s string, comma byte, width int) []strictRecord {
	p := newCSVParser(strings.NewReader(s), comma)
	p.maxFields = width
	var out []strictRecord
	for {
		rec, err := p.Read()
		if err == io.EOF {
			return out
		}
		var ce *csvError
		switch {
		case errors.As(err, &ce):
			out = append(out, strictRecord{err: true, line: int(ce.line)})
		case err != nil:
			t.Fatalf("%q: %v", s, err)
		default:
			out = append(out, strictRecord{fields: slices.Clone(rec), line: int(p.lineNo)})
		}
	}
}

func sameRecords(a, b []strictRecord) bool {
	return slices.EqualFunc(a, b, func(x, y strictRecord) bool {
		return x.err == y.err && (x.err || slices.Equal(x.fields, y.fields))
	})
}

// fuzzHeader is the header of the files FuzzCSVParser ingests: the staff table's.
const fuzzHeader = "人员编号,所属旗区,单位,相关学历,职业资格,实践经验年限,在职\n"

// FuzzCSVParser feeds CSV with stray quotes, CRs and bad bytes to csvParser and to a
// whole ingest. csvParser gives the records strictRead gives, error for error; the
// ingest of the text under a staff header reads one row per record that is not blank
// (rows read = accepted + quarantined = strictRead's count), each at its record
// number, or refuses the file and writes nothing. The ingest's goroutines make its
// coverage vary from run to run, so run it with -fuzzminimizetime=5x (as the Makefile
// does), or the fuzzer spends its time minimising inputs that only look new.
func FuzzCSVParser(f *testing.F) {
	for _, s := range []string{
		"S1,东胜区,应急局,是,是,3,是\nS2,东胜区,应急局,否,是,1,是\n",
		"S1,东胜区,\"应急\n管理局\",是,是,3,是\n",
		"S1,东胜区,\"应急局,是,是,3,是\nS2,东胜区,应急局,否,是,1,是\nS3,康巴什区,应急局,否,否,2,否\n",
		"S1,东胜区,应急\"局,是,是,3,是\r\nS2,\"x\"y,z\n",
		"S1,东胜区,\"a\nb\",c\"d\n\nS2,东胜区,应急局,否,是,1,是",
		"S1,东胜区,\xff应急局,是,是,3,是\nS2,东胜区,应急局\xe4\xb8,否,是,1,是\n",
		"\r\n\n,,,,,,\n\"\n",
		"S1,\"a\"\"b\",\"\",是,是,3,是\rS2\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 4096 {
			return
		}
		want := strictRead(body, ',', 7)
		if got := parseAll(t, body, ',', 7); !sameRecords(got, want) {
			t.Fatalf("%q:\ncsvParser  %v\nstrictRead %v", body, got, want)
		}
		fuzzIngest(t, body)
	})
}

// fuzzIngest ingests fuzzHeader+body and checks it against strictRead.
func fuzzIngest(t *testing.T, body string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "staff.csv")
	if err := os.WriteFile(path, []byte(fuzzHeader+body), 0o644); err != nil {
		t.Fatal(err)
	}
	lakeDir := filepath.Join(dir, "lake")
	in := newTestIngester(t, lakeDir)
	r, err := in.File(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Refused != nil {
		if _, err := os.Stat(lakeDir); err != nil {
			return // not even made
		}
		if files := lakeSnapshot(t, lakeDir); len(files) != 0 {
			t.Fatalf("%q: refused (%v) but wrote %d files", body, r.Refused, len(files))
		}
		return
	}
	text := fuzzHeader + body
	if r.Encoding == "gb18030" {
		b, _ := simplifiedchinese.GB18030.NewDecoder().Bytes([]byte(text))
		text = string(b)
	}
	var wantRows []int64
	for i, rec := range strictRead(text, ',', 7)[1:] {
		if rec.err || !blank(rec.fields) {
			wantRows = append(wantRows, int64(i+2))
		}
	}
	if r.Read != int64(len(wantRows)) || r.Read != r.Accepted+r.Quarantined {
		t.Fatalf("%q (%s): read %d, accepted %d, quarantined %d; strictRead has %d rows", body, r.Encoding, r.Read, r.Accepted, r.Quarantined, len(wantRows))
	}
	var gotRows []int64
	for _, q := range readQuarantine(t, lakeDir, "staff", r.BatchID) {
		if len(gotRows) == 0 || gotRows[len(gotRows)-1] != q.SourceRow {
			gotRows = append(gotRows, q.SourceRow)
		}
		if !utf8.ValidString(q.Raw) || !utf8.ValidString(q.Value) || !utf8.ValidString(q.Message) {
			t.Fatalf("%q: quarantine record %+v is not UTF-8", body, q)
		}
		if q.Rule == RuleSyntax && q.Raw == "" {
			t.Fatalf("%q: row %d: a record that could not be read has no raw text", body, q.SourceRow)
		}
	}
	gotRows = append(gotRows, rawSourceRows(t, lakeDir, "staff", r.BatchID)...)
	slices.Sort(gotRows)
	if !slices.Equal(gotRows, wantRows) {
		t.Fatalf("%q: rows %v, strictRead %v", body, gotRows, wantRows)
	}
}

// rawSourceRows returns the _source_row values of a raw batch.
func rawSourceRows(t testing.TB, lakeDir, table, batch string) []int64 {
	t.Helper()
	path := filepath.Join(lake.RawBatchDir(lakeDir, table, batch), lake.PartFile)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	lc, ok := pf.Schema().Lookup(SourceRowColumn)
	if !ok {
		t.Fatal("no _source_row")
	}
	var out []int64
	for _, rg := range pf.RowGroups() {
		pages := rg.ColumnChunks()[lc.ColumnIndex].Pages()
		for {
			pg, err := pages.ReadPage()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			vals := make([]parquet.Value, pg.NumValues())
			n, _ := pg.Values().ReadValues(vals)
			for _, v := range vals[:n] {
				out = append(out, v.Int64())
			}
		}
		pages.Close()
	}
	return out
}

// TestStrayQuote is issue 10's case: one stray quote on line 10 of a 13,561-line
// file swallowed about 2,100 rows into one quarantine record with no raw text, and
// shifted every later row number. Now line 10 is one quarantined row with its text,
// and every other line is a row at its own number.
func TestStrayQuote(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hazards.csv")
	writeHazardsCSV(t, path, 13560, "q")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	if len(lines) < 13561 || strings.Contains(string(b), `"`) {
		t.Fatalf("the generated file has %d lines, or quotes", len(lines))
	}
	cells := strings.Split(lines[9], ",")
	cells[8] = `"` + cells[8] // the description of line 10 opens a quote that never closes
	lines[9] = strings.Join(cells, ",")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	lakeDir := filepath.Join(dir, "lake")
	r := ingestOK(t, newTestIngester(t, lakeDir), path)
	// The generator's own bad rows: every 997th has an unknown region.
	bad := map[int64]bool{10: true}
	for i := 0; i < 13560; i += 997 {
		bad[int64(i+2)] = true
	}
	if r.Read != 13560 || r.Quarantined != int64(len(bad)) || r.Accepted != 13560-int64(len(bad)) {
		t.Fatalf("read %d, accepted %d, quarantined %d; want 13560, %d, %d", r.Read, r.Accepted, r.Quarantined, 13560-len(bad), len(bad))
	}
	var syntax []quarantineRecord
	for _, q := range readQuarantine(t, lakeDir, "hazards", r.BatchID) {
		if !bad[q.SourceRow] {
			t.Errorf("row %d quarantined: %s", q.SourceRow, q.Message)
		}
		if q.Rule == RuleSyntax {
			syntax = append(syntax, q)
		}
	}
	if len(syntax) != 1 || syntax[0].SourceRow != 10 || syntax[0].Raw != strings.TrimSuffix(lines[9], "\n") ||
		!strings.Contains(syntax[0].Message, "line 10") {
		t.Fatalf("syntax errors %+v, want row 10's with its text", syntax)
	}
	rows := rawSourceRows(t, lakeDir, "hazards", r.BatchID)
	slices.Sort(rows)
	want := int64(2)
	for i := range rows {
		for bad[want] {
			want++
		}
		if rows[i] != want {
			t.Fatalf("raw row %d has source row %d, want %d", i, rows[i], want)
		}
		want++
	}
	t.Logf("%d rows read, %d accepted, %d quarantined; %s", r.Read, r.Accepted, r.Quarantined, syntax[0].Message)
}

// TestCSVRunaway covers the ends of a quoted field that cannot be a record: past the
// line limit, to the end of the file, a quoting error or more fields than the header
// after a line break, and a line over maxRowBytes; each is an error for its first line
// and reading goes on at the next.
func TestCSVRunaway(t *testing.T) {
	ok := "a,b,c\n"
	longQuoted := "x,\"" + strings.Repeat("line\n", maxRecordLines) + "end\",y\n"
	withinLimit := "x,\"" + strings.Repeat("line\n", maxRecordLines-2) + "end\",y\n"
	cases := []struct {
		name, in string
		want     []string // "!" for an error record
	}{
		{"to the end", ok + "x,\"y,z\n" + ok + ok, []string{"a|b|c", "!", "a|b|c", "a|b|c"}},
		{"within the limit", withinLimit + ok, []string{"x|" + strings.Repeat("line\n", maxRecordLines-2) + "end|y", "a|b|c"}},
		{"past the limit", longQuoted + ok, append(append([]string{"!"}, slices.Repeat([]string{"line"}, maxRecordLines-1)...), "!", "a|b|c")},
		{"quoting error after a break", "x,\"y\nz\"w,v\n" + ok, []string{"!", "!", "a|b|c"}},
		{"more fields than the header", "x,\"y\nz\",1,2,3\n" + ok, []string{"!", "!", "a|b|c"}},
		{"line too long", strings.Repeat("x", maxRowBytes+10) + "\n" + ok, []string{"!", "a|b|c"}},
		{"quoted line too long", "x,\"" + strings.Repeat("y", 300<<10) + "\n" + strings.Repeat("z", maxRowBytes) + "\n" + ok, []string{"!", "!", "a|b|c"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, r := range parseAll(t, c.in, ',', 3) {
				if r.err {
					got = append(got, "!")
				} else {
					got = append(got, strings.Join(r.fields, "|"))
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %.200q, want %.200q", got, c.want)
			}
		})
	}
}

// TestSplitFields checks the word-at-a-time split against strings.Split, at every
// alignment of the commas, with bytes above 0x80 (which must not match) around them.
func TestSplitFields(t *testing.T) {
	for _, s := range []string{"", ",", ",,", "a", "a,b", "东胜区,煤矿,,2024-02-20", "\x80,\xac,\xff\xff\xff\xff\xff\xff\xff\xff,", strings.Repeat("ab,", 40), "0123456789abcdef,", ",0123456789abcdef"} {
		for pad := 0; pad < 9; pad++ {
			line := strings.Repeat("x", pad) + s
			for _, comma := range []byte{',', '\t'} {
				in := strings.ReplaceAll(line, ",", string(comma))
				got := splitFields(nil, []byte(in), in, comma)
				if want := strings.Split(in, string(comma)); !slices.Equal(got, want) {
					t.Errorf("splitFields(%q) = %q, want %q", in, got, want)
				}
			}
		}
	}
}
