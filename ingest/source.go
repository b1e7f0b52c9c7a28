package ingest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// A source yields the records of one file in order, with the row number a person
// finds them at: the CSV record number (title and header records counted), the
// spreadsheet row Excel shows, the JSON array element, the NDJSON line.
type source interface {
	// Next returns the next record. The cells slice is reused by the next call (the
	// strings are not). At the end it returns io.EOF. A *recordError is a bad record
	// that the caller quarantines before calling Next again; any other error makes
	// the file unreadable.
	Next() (row int64, cells []string, err error)
	// Keys returns the column names of a source whose header is not a record (JSON);
	// it may grow as records bring new keys. Tabular sources return nil.
	Keys() []string
	// Encoding names what was detected, for the log ("utf-8", "gb18030", "xlsx", ...).
	Encoding() string
	// Sum returns the hex sha256 of the whole file when the source was opened to hash
	// what it reads ("" otherwise), reading what is left of the file first.
	Sum() (string, error)
	Close() error
}

// hashingReader hashes what is read through it, so that a large file is read once.
type hashingReader struct {
	r io.Reader
	h hash.Hash
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	return n, err
}

// sum drains the rest of the input and returns the hex digest.
func (h *hashingReader) sum() (string, error) {
	if h == nil {
		return "", nil
	}
	if _, err := io.Copy(io.Discard, h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.h.Sum(nil)), nil
}

// input opens path, hashing what is read when hash is set.
func input(path string, hash bool) (*os.File, io.Reader, *hashingReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	if !hash {
		return f, f, nil, nil
	}
	hr := &hashingReader{r: f, h: sha256.New()}
	return f, hr, hr, nil
}

// recordError is one record that could not be read as cells (a CSV quoting error, a
// JSON element that is not an object); the file goes on.
type recordError struct {
	row    int64
	raw    string
	rule   string
	err    error
	column string // the source header or JSON key of the cell at fault, "" for the record
}

func (e *recordError) Error() string { return e.err.Error() }

// Format is a source file format.
type Format int

const (
	FormatUnknown Format = iota
	FormatCSV
	FormatXLSX
	FormatJSON   // a JSON array of objects
	FormatNDJSON // one JSON object a line
)

var formatNames = [...]string{"unknown", "csv", "xlsx", "json", "ndjson"}

func (f Format) String() string { return formatNames[f] }

// FormatOf tells the format of a path by its extension (FormatUnknown when unsupported).
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv":
		return FormatCSV
	case ".xlsx", ".xlsm":
		return FormatXLSX
	case ".json":
		return FormatJSON
	case ".ndjson", ".jsonl":
		return FormatNDJSON
	}
	return FormatUnknown
}

// openSource opens path in its format. sheet names the XLSX sheet ("" for the first).
// With hash, a text source hashes the file as it reads it (Sum).
func openSource(path string, sheet string, hash bool) (source, error) {
	switch FormatOf(path) {
	case FormatCSV:
		return openCSV(path, hash)
	case FormatXLSX:
		return openXLSX(path, sheet)
	case FormatJSON, FormatNDJSON:
		return openJSON(path, hash)
	}
	return nil, fmt.Errorf("unsupported file type %q (want .csv, .xlsx, .json, .ndjson or .jsonl)", filepath.Ext(path))
}

// sniffSize is how much of a text file decides its encoding.
const sniffSize = 64 << 10

// csvSource reads CSV in UTF-8 (with or without BOM) or GB18030 (a superset of GBK),
// detected from the first 64 KiB.
type csvSource struct {
	f     *os.File
	hr    *hashingReader
	r     *csvParser
	n     int64
	enc   string
	badAt int             // the byte offset of the first byte that is not UTF-8 in the first 64 KiB, -1 for none
	dec   *gb18030Decoder // a GB18030 file's decoder, nil else
}

func openCSV(path string, hash bool) (*csvSource, error) {
	f, in, hr, err := input(path, hash)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(in, 256<<10)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		f.Close()
		return nil, err
	}
	s := &csvSource{f: f, hr: hr, enc: "utf-8", badAt: -1}
	var rd io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		head = head[3:]
		s.enc = "utf-8-bom"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		f.Close()
		return nil, errors.New("UTF-16 text is not supported: save the file as CSV UTF-8")
	case !validUTF8Prefix(head, len(head) == sniffSize):
		if !mostlyUTF8(head) {
			gr := newGB18030Reader(br)
			rd, s.dec, s.enc = gr, gr.d, "gb18030"
		}
		s.badAt = firstInvalidUTF8Prefix(head)
	}
	if _, ok := rd.(*bufio.Reader); !ok {
		rd = bufio.NewReaderSize(rd, 256<<10)
	}
	s.r = newCSVParser(rd, sniffComma(head))
	return s, nil
}

// validUTF8Prefix reports whether b is UTF-8, allowing a rune cut at the end of a
// partial read.
func validUTF8Prefix(b []byte, partial bool) bool {
	if partial {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if utf8.Valid(b) {
				return true
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// mostlyUTF8 tells a UTF-8 file with a few bad bytes from a GBK one: GBK text read as
// UTF-8 is mostly invalid, with a valid multi-byte sequence only by chance, while a
// UTF-8 file with a stray byte has many valid multi-byte characters for each bad one.
// The bad bytes of a file taken for UTF-8 are row errors (converter.row), never
// decoded as GBK into other characters.
func mostlyUTF8(b []byte) bool {
	multi, bad := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			if len(b) >= utf8.UTFMax || utf8.FullRune(b) {
				bad++
			}
		} else {
			multi++
		}
		b = b[n:]
	}
	return multi >= 4*bad
}

// firstInvalidUTF8 returns the offset of the first byte of b that is not UTF-8, or -1.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// firstInvalidUTF8Prefix is firstInvalidUTF8 for the first bytes of a file: a rune
// cut at the end of b is not counted.
func firstInvalidUTF8Prefix(b []byte) int {
	i := firstInvalidUTF8(b)
	if i >= 0 && len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:]) {
		return firstInvalidUTF8(b[:i])
	}
	return i
}

// sniffComma picks tab or semicolon when the first line has them and no comma.
func sniffComma(head []byte) byte {
	line := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		line = head[:i]
	}
	if bytes.IndexByte(line, ',') < 0 {
		if bytes.IndexByte(line, '\t') >= 0 {
			return '\t'
		}
		if bytes.IndexByte(line, ';') >= 0 {
			return ';'
		}
	}
	return ','
}

func (s *csvSource) Next() (int64, []string, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	s.n++
	if err != nil {
		return s.csvError(err)
	}
	return s.n, rec, nil
}

// csvError turns a record the parser could not read into a *recordError; any other
// error makes the file unreadable. (Apart from Next: errors.As would move its target
// to the heap on every record.)
func (s *csvSource) csvError(err error) (int64, []string, error) {
	var ce *csvError
	if errors.As(err, &ce) {
		rule := RuleSyntax
		if errors.Is(err, errLineTooLong) {
			rule = RuleTooLarge
		}
		return s.n, nil, &recordError{row: s.n, raw: ce.raw, rule: rule, err: ce}
	}
	return s.n, nil, err
}

func (s *csvSource) Sum() (string, error) { return s.hr.sum() }
func (s *csvSource) Keys() []string       { return nil }
func (s *csvSource) Encoding() string     { return s.enc }
func (s *csvSource) Close() error         { return s.f.Close() }

// xlsxSource streams one sheet with excelize's row iterator, raw cell values (so that
// dates come as Excel serial numbers whatever their display format).
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	n     int64
}

func openXLSX(path, sheet string) (*xlsxSource, error) {
	if err := scanXLSX(path); err != nil {
		return nil, err
	}
	// Sheets and shared strings larger than xlsxXMLInMemory are unzipped to temporary
	// files and streamed; the rows iterator reads one row at a time.
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxXLSXPartBytes, UnzipXMLSizeLimit: xlsxXMLInMemory})
	if err != nil {
		return nil, fmt.Errorf("not a readable xlsx workbook: %w", err)
	}
	sheets := f.GetSheetList()
	if sheet == "" {
		if len(sheets) == 0 {
			f.Close()
			return nil, errors.New("the workbook has no sheet")
		}
		sheet = sheets[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		f.Close()
		return nil, fmt.Errorf("no sheet %q in the workbook (sheets: %s)", sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	return &xlsxSource{f: f, rows: rows, sheet: sheet}, nil
}

func (s *xlsxSource) Next() (int64, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, fmt.Errorf("sheet %q: %w", s.sheet, err)
		}
		return 0, nil, io.EOF
	}
	s.n++ // the iterator yields empty rows for gaps, so this is Excel's row number
	cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return s.n, nil, fmt.Errorf("sheet %q row %d: %w", s.sheet, s.n, err)
	}
	return s.n, cells, nil
}

func (s *xlsxSource) Sum() (string, error) { return "", nil }
func (s *xlsxSource) Keys() []string       { return nil }
func (s *xlsxSource) Encoding() string     { return "xlsx" }
func (s *xlsxSource) Close() error {
	err := s.rows.Close()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// jsonSource reads a JSON array of objects (streaming, element by element) or
// NDJSON (line by line); which one is told by the first non-space byte.
type jsonSource struct {
	f      *os.File
	hr     *hashingReader
	br     *bufio.Reader
	dec    *json.Decoder // array form
	budget *budgetReader // what the decoder may read for one element
	base   int64         // the file offset where the decoder or the NDJSON lines start
	off    int64         // NDJSON: the file offset of the next line
	line   []byte        // NDJSON: the current line
	ndjson bool
	n      int64
	keys   []string
	keyIdx map[string]int
	cells  []string
	enc    string
}

// budgetReader fails a read past its budget: the JSON decoder holds a whole element in
// memory, so an element larger than maxRowBytes is refused before it is read whole.
type budgetReader struct {
	r    io.Reader
	left int64
}

// jsonBudget is what the decoder may read for one element: an element over
// maxRowBytes is a row error, and one that does not end within jsonBudget makes the
// file refused (a JSON array cannot resume after it).
const jsonBudget = 2 * maxRowBytes

var errElementTooLarge = fmt.Errorf("a JSON element is larger than %d bytes", jsonBudget)

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errElementTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func openJSON(path string, hash bool) (*jsonSource, error) {
	f, in, hr, err := input(path, hash)
	if err != nil {
		return nil, err
	}
	s := &jsonSource{f: f, hr: hr, br: bufio.NewReaderSize(in, 256<<10), keyIdx: map[string]int{}}
	if b, _ := s.br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		s.br.Discard(3)
		s.base = 3
	}
	for ; ; s.base++ {
		c, err := s.br.ReadByte()
		if err != nil {
			f.Close()
			if err == io.EOF {
				return nil, errors.New("empty JSON file")
			}
			return nil, err
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			continue
		}
		s.br.UnreadByte()
		switch c {
		case '[':
			s.enc = "json"
			s.budget = &budgetReader{r: s.br, left: maxRowBytes}
			s.dec = json.NewDecoder(s.budget)
			s.dec.UseNumber()
			if _, err := s.dec.Token(); err != nil {
				f.Close()
				return nil, fmt.Errorf("json: %w", err)
			}
		case '{':
			s.enc = "ndjson"
			s.ndjson = true
			s.off = s.base
		default:
			f.Close()
			return nil, fmt.Errorf("json: want an array of objects or one object a line, found %q", c)
		}
		return s, nil
	}
}

func (s *jsonSource) Sum() (string, error) { return s.hr.sum() }
func (s *jsonSource) Keys() []string       { return s.keys }
func (s *jsonSource) Encoding() string     { return s.enc }
func (s *jsonSource) Close() error         { return s.f.Close() }

func (s *jsonSource) Next() (int64, []string, error) {
	if s.ndjson {
		for {
			line, long, err := s.readLine()
			if len(line) == 0 && long == 0 && err != nil {
				if err == io.EOF {
					return 0, nil, io.EOF
				}
				return 0, nil, err
			}
			s.n++
			start := s.off
			s.off += int64(len(line))
			if long > 0 {
				s.off += long - int64(len(line))
				return s.n, nil, &recordError{row: s.n, raw: rawPrefix(line), rule: RuleTooLarge,
					err: fmt.Errorf("line %d (byte offset %d) is %d bytes long, more than the limit of %d", s.n, start, long, maxRowBytes)}
			}
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			return s.object(json.NewDecoder(bytes.NewReader(line)), line, start)
		}
	}
	s.budget.left = jsonBudget // for the white space and comma before the element
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil { // the closing ']'
			return 0, nil, fmt.Errorf("json: element %d: %w", s.n+1, err)
		}
		return 0, nil, io.EOF
	}
	s.n++
	s.budget.left = jsonBudget
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return 0, nil, fmt.Errorf("json: element %d (from byte offset %d): %w", s.n, s.base+s.dec.InputOffset(), err)
	}
	if len(raw) > maxRowBytes {
		return s.n, nil, &recordError{row: s.n, raw: rawPrefix(raw), rule: RuleTooLarge,
			err: fmt.Errorf("element %d (byte offset %d) is %d bytes long, more than the limit of %d", s.n, s.base+s.dec.InputOffset()-int64(len(raw)), len(raw), maxRowBytes)}
	}
	return s.object(json.NewDecoder(bytes.NewReader(raw)), raw, s.base+s.dec.InputOffset()-int64(len(raw)))
}

// readLine reads an NDJSON line with its "\n", holding at most maxRowBytes of it: a
// longer line is returned cut, with its whole length.
func (s *jsonSource) readLine() (line []byte, long int64, err error) {
	line, err = s.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, 0, err
	}
	s.line = append(s.line[:0], line...)
	n := int64(len(line))
	for err == bufio.ErrBufferFull {
		line, err = s.br.ReadSlice('\n')
		n += int64(len(line))
		if len(s.line) < maxRowBytes {
			s.line = append(s.line, line[:min(len(line), maxRowBytes-len(s.line))]...)
		}
	}
	if err == io.EOF {
		err = nil
	}
	if n > maxRowBytes {
		return s.line, n, err
	}
	return s.line, 0, err
}

// object decodes one JSON object into cells aligned with s.keys: strings as they are,
// numbers in their literal form, booleans as true/false, null as empty.
func (s *jsonSource) object(dec *json.Decoder, rawb []byte, offset int64) (int64, []string, error) {
	dec.UseNumber()
	raw := string(rawb)
	bad := func(err error) (int64, []string, error) {
		return s.n, nil, &recordError{row: s.n, raw: raw, rule: RuleSyntax, err: err}
	}
	// encoding/json would replace a byte that is not UTF-8 silently.
	if i := firstInvalidUTF8(rawb); i >= 0 {
		return s.n, nil, &recordError{row: s.n, raw: raw, rule: RuleEncoding, column: jsonKeyAt(rawb, i),
			err: fmt.Errorf("byte 0x%02x at byte offset %d of the file is not UTF-8", rawb[i], offset+int64(i))}
	}
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return bad(fmt.Errorf("not a JSON object: %w", err))
	}
	if dec.More() {
		return bad(errors.New("more than one JSON value on the line"))
	}
	if k, ok := replacedEscape(obj, rawb); ok {
		return s.n, nil, &recordError{row: s.n, raw: raw, rule: RuleEncoding, column: k,
			err: fmt.Errorf("a \\u escape that is not a character (a lone surrogate) in the object at byte offset %d", offset)}
	}
	for i := range s.cells {
		s.cells[i] = ""
	}
	for k, v := range obj {
		i, ok := s.keyIdx[k]
		if !ok {
			i = len(s.keys)
			s.keyIdx[k] = i
			s.keys = append(s.keys, k)
			s.cells = append(s.cells, "")
		}
		switch v := v.(type) {
		case nil:
		case string:
			s.cells[i] = v
		case json.Number:
			s.cells[i] = v.String()
		case bool:
			s.cells[i] = strconv.FormatBool(v)
		default:
			return bad(fmt.Errorf("key %q: a nested value is not a cell", k))
		}
	}
	return s.n, s.cells, nil
}

// jsonKeyAt names the key whose value holds byte i of an object's text ("" when it
// cannot be told).
func jsonKeyAt(raw []byte, i int) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	for k, v := range obj {
		if firstInvalidUTF8(v) >= 0 && utf8.ValidString(k) {
			return k
		}
	}
	return ""
}

// replacedEscape finds a string value where encoding/json put U+FFFD for an escape that
// is not a character (\ud800 alone): more U+FFFD in the values than the text spells.
func replacedEscape(obj map[string]any, raw []byte) (string, bool) {
	const repl = "\uFFFD"
	for k, v := range obj {
		if s, ok := v.(string); ok && strings.Contains(s, repl) {
			spelt := bytes.Count(raw, []byte(repl)) + bytes.Count(bytes.ToLower(raw), []byte(`\ufffd`))
			if strings.Count(s, repl) > spelt {
				return k, true
			}
		}
	}
	return "", false
}
