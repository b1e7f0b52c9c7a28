package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"unsafe"
)

// Limits on one CSV record (docs/ingest.md). A quoted field may hold line breaks (a
// description typed with Alt+Enter), but a stray quote must not swallow the rest of
// the file: a quoted field that runs past maxRecordLines physical lines, past
// maxRowBytes, to the end of the file, or that ends in a quoting error or with more
// fields than the header, is an error for the line where it opened, and reading goes
// on at the next physical line. A line longer than maxRowBytes is an error of its own
// and is never held in memory whole.
const maxRecordLines = 50

// errRunaway is a quoted field that does not close where a record can end.
var errRunaway = fmt.Errorf("%w: a quoted field is not closed", csv.ErrQuote)

// errLineTooLong is a physical line longer than maxRowBytes.
var errLineTooLong = errors.New("line too long")

// csvError is a record that could not be read; raw is the text of its first physical
// line (cut to rawLimit).
type csvError struct {
	line   int64 // the physical line where the record began
	raw    string
	err    error // wraps csv.ErrQuote, csv.ErrBareQuote or errLineTooLong
	detail string
}

func (e *csvError) Error() string {
	if e.detail != "" {
		return fmt.Sprintf("line %d: %s", e.line, e.detail)
	}
	return fmt.Sprintf("line %d: %v", e.line, e.err)
}

func (e *csvError) Unwrap() error { return e.err }

// pendingLine is a physical line read past the first line of a quoted record that
// turned out a runaway: it is read again as a line of its own.
type pendingLine struct {
	text []byte
	long int64 // the line's full length when it was longer than maxRowBytes (text is cut), else 0
}

// csvParser reads RFC 4180 records as encoding/csv does with FieldsPerRecord -1 and
// ReuseRecord (empty lines skipped, "\r\n" read as "\n", quoted fields spanning lines),
// but splits a record without quotes straight from the read buffer: one string per
// record and no copying field by field, which is most of the cost of reading a large
// export. It differs from encoding/csv where encoding/csv would merge lines silently:
// see maxRecordLines. FuzzCSVParser holds it to encoding/csv with that rule.
type csvParser struct {
	r      *bufio.Reader
	comma  byte
	line   []byte // a line longer than the reader's buffer
	buf    []byte // a quoted record being unquoted
	ends   []int
	fields []string
	arena  []byte // the unquoted lines, copied end to end and never changed (see text)

	lineNo    int64         // the number of the last physical line read
	long      int64         // the last line's length when it was cut at maxRowBytes, else 0
	pending   []pendingLine // lines to read again, in order
	spill     []pendingLine // the lines after the first of the quoted record being read
	first     []byte        // the first line of that record
	maxFields int           // a record spanning lines with more fields is a runaway; 0 for no limit
}

func newCSVParser(r io.Reader, comma byte) *csvParser {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &csvParser{r: br, comma: comma}
}

// readLine returns the next physical line without its "\n" (or "\r\n"); the slice is
// valid until the next call. A line longer than maxRowBytes is returned cut, with
// p.long set to its length.
func (p *csvParser) readLine() ([]byte, error) {
	p.lineNo++
	p.long = 0
	if len(p.pending) > 0 {
		l := p.pending[0]
		p.pending = p.pending[1:]
		p.long = l.long
		return l.text, nil
	}
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.line = append(p.line[:0], line...)
		n := int64(len(line))
		for err == bufio.ErrBufferFull {
			line, err = p.r.ReadSlice('\n')
			n += int64(len(line))
			if len(p.line) < maxRowBytes {
				p.line = append(p.line, line[:min(len(line), maxRowBytes-len(p.line))]...)
			}
		}
		if n > maxRowBytes {
			p.long = n
			if err == io.EOF {
				err = nil
			}
			return p.line, err
		}
		line = p.line
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
		if line[len(line)-1] == '\r' { // as encoding/csv: a final "\r" without "\n" is dropped
			line = line[:len(line)-1]
		}
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line, err
}

// Read returns the next record; the slice is reused by the next call. A record that
// cannot be read returns a *csvError, and the next call goes on after it.
func (p *csvParser) Read() ([]string, error) {
	var line []byte
	var err error
	for {
		line, err = p.readLine()
		if len(line) > 0 || err != nil {
			break
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return nil, io.EOF
		}
		if !errors.Is(err, io.EOF) {
			return nil, err
		}
	}
	if p.long > 0 {
		return nil, &csvError{line: p.lineNo, raw: rawPrefix(line), err: errLineTooLong,
			detail: fmt.Sprintf("the line is %d bytes long, more than the limit of %d", p.long, maxRowBytes)}
	}
	if bytes.IndexByte(line, '"') < 0 {
		p.fields = splitFields(p.fields[:0], line, p.text(line), p.comma)
		return p.fields, nil
	}
	return p.readQuoted(line)
}

// rawLimit is how much of a line that cannot be read the quarantine keeps.
const rawLimit = 64 << 10

func rawPrefix(b []byte) string {
	if len(b) > rawLimit {
		return string(b[:rawLimit]) + "…"
	}
	return string(b)
}

// readQuoted parses a record with quotes, reading more lines while a quoted field
// is open.
func (p *csvParser) readQuoted(line []byte) ([]string, error) {
	p.buf = p.buf[:0]
	p.ends = p.ends[:0]
	start := p.lineNo
	first := line // valid until the record needs a second line (then p.first)
	multi := false
	size := len(line)
	var perr error
	for {
		// At the start of a field.
		if len(line) == 0 || line[0] != '"' {
			// Unquoted field: up to the next comma; a quote in it is a bare quote.
			i := bytes.IndexByte(line, p.comma)
			field := line
			if i >= 0 {
				field = line[:i]
			}
			if bytes.IndexByte(field, '"') >= 0 && perr == nil {
				perr = csv.ErrBareQuote
			}
			p.buf = append(p.buf, field...)
			p.ends = append(p.ends, len(p.buf))
			if i < 0 {
				break
			}
			line = line[i+1:]
			continue
		}
		// Quoted field.
		line = line[1:]
		for {
			i := bytes.IndexByte(line, '"')
			if i >= 0 {
				p.buf = append(p.buf, line[:i]...)
				line = line[i+1:]
				switch {
				case len(line) > 0 && line[0] == '"': // "" is a quote
					p.buf = append(p.buf, '"')
					line = line[1:]
					continue
				case len(line) > 0 && line[0] == p.comma:
					line = line[1:]
					p.ends = append(p.ends, len(p.buf))
				case len(line) == 0:
					p.ends = append(p.ends, len(p.buf))
					return p.finish(perr, start, first, multi)
				default: // text after the closing quote
					if perr == nil {
						perr = csv.ErrQuote
					}
					j := bytes.IndexByte(line, p.comma)
					if j < 0 {
						p.buf = append(p.buf, line...)
						p.ends = append(p.ends, len(p.buf))
						return p.finish(perr, start, first, multi)
					}
					p.buf = append(p.buf, line[:j]...)
					p.ends = append(p.ends, len(p.buf))
					line = line[j+1:]
				}
				break
			}
			// The field goes on on the next line.
			if !multi {
				multi = true
				p.first = append(p.first[:0], first...)
				first = p.first
				p.spill = p.spill[:0]
			}
			p.buf = append(p.buf, line...)
			p.buf = append(p.buf, '\n')
			next, err := p.readLineRaw()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return p.runaway(start, "a quoted field opened on this line is not closed before the end of the file")
				}
				return nil, err
			}
			p.spill = append(p.spill, pendingLine{text: bytes.Clone(next), long: p.long})
			size += len(next) + 1
			switch {
			case len(p.spill) >= maxRecordLines:
				return p.runaway(start, fmt.Sprintf("a quoted field opened on this line is not closed within %d lines", maxRecordLines))
			case p.long > 0 || size > maxRowBytes:
				return p.runaway(start, fmt.Sprintf("a quoted field opened on this line is not closed within %d bytes", maxRowBytes))
			}
			line = next
		}
	}
	return p.finish(perr, start, first, multi)
}

// runaway ends a record that spans lines but cannot be one: the record's first line is
// the error, and the lines read after it are read again.
func (p *csvParser) runaway(start int64, why string) ([]string, error) {
	e := &csvError{line: start, raw: rawPrefix(p.first), err: errRunaway,
		detail: why + fmt.Sprintf("; the line is read alone and reading goes on at line %d", start+1)}
	p.pending = append(append([]pendingLine(nil), p.spill...), p.pending...)
	p.spill = p.spill[:0:0]
	p.lineNo = start
	return nil, e
}

// readLineRaw is readLine for the inside of a quoted field, where an empty line is
// part of the field.
func (p *csvParser) readLineRaw() ([]byte, error) {
	line, err := p.readLine()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(line) == 0 && errors.Is(err, io.EOF) {
		p.lineNo--
		return nil, io.EOF
	}
	if line == nil {
		line = []byte{}
	}
	return line, nil
}

func (p *csvParser) finish(perr error, start int64, first []byte, multi bool) ([]string, error) {
	if multi {
		end := p.lineNo
		switch {
		case perr != nil:
			return p.runaway(start, fmt.Sprintf("a quoted field opened on this line ends in a quoting error on line %d (%v)", end, perr))
		case p.maxFields > 0 && len(p.ends) > p.maxFields:
			return p.runaway(start, fmt.Sprintf("a quoted field opened on this line makes a record up to line %d of %d fields, more than the header's %d", end, len(p.ends), p.maxFields))
		}
	}
	if perr != nil {
		return nil, &csvError{line: start, raw: rawPrefix(first), err: perr}
	}
	s := string(p.buf)
	p.fields = p.fields[:0]
	begin := 0
	for _, e := range p.ends {
		p.fields = append(p.fields, s[begin:e])
		begin = e
	}
	return p.fields, nil
}

// splitFields appends the fields of an unquoted record to fields: s is string(line),
// which the fields are cut from. It looks at eight bytes at a time (cells are short,
// so a call of bytes.IndexByte per cell costs more than it saves).
func splitFields(fields []string, line []byte, s string, comma byte) []string {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	pattern := ones * uint64(comma)
	start, i := 0, 0
	for i+8 <= len(line) {
		x := binary.LittleEndian.Uint64(line[i:]) ^ pattern // a zero byte where comma is
		found := (x - ones) &^ x & highs                    // exact up to the first zero byte
		if found == 0 {
			i += 8
			continue
		}
		j := i + bits.TrailingZeros64(found)/8
		fields = append(fields, s[start:j])
		start, i = j+1, j+1
	}
	for ; i < len(line); i++ {
		if line[i] == comma {
			fields = append(fields, s[start:i])
			start = i + 1
		}
	}
	return append(fields, s[start:])
}

// arenaSize is the size of the blocks that text copies lines into.
const arenaSize = 64 << 10

// text returns line as a string, as string(line) does, but copied into a block shared
// with the lines around it: one allocation per block instead of one per line. Bytes of
// a block are never written twice, so the strings over it stay valid; a block lives as
// long as any of its strings (a memo that keeps cells clones them: converter.lookup).
func (p *csvParser) text(line []byte) string {
	if len(line) == 0 || len(line) > arenaSize/8 {
		return string(line)
	}
	if len(p.arena)+len(line) > cap(p.arena) {
		p.arena = make([]byte, 0, arenaSize)
	}
	start := len(p.arena)
	p.arena = append(p.arena, line...)
	return unsafe.String(&p.arena[start], len(line))
}
