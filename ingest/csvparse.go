package ingest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/bits"
	"unsafe"
)

// csvParser reads RFC 4180 records as encoding/csv does with FieldsPerRecord -1 and
// ReuseRecord (empty lines skipped, "\r\n" read as "\n", quoted fields spanning lines),
// but splits a record without quotes straight from the read buffer: one string per
// record and no copying field by field, which is most of the cost of reading a large
// export. FuzzCSVParser holds it to encoding/csv's results.
type csvParser struct {
	r      *bufio.Reader
	comma  byte
	line   []byte // a line longer than the reader's buffer
	buf    []byte // a quoted record being unquoted
	ends   []int
	fields []string
	arena  []byte // the unquoted lines, copied end to end and never changed (see text)
}

func newCSVParser(r io.Reader, comma byte) *csvParser {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	return &csvParser{r: br, comma: comma}
}

// readLine returns the next line without its "\n" (or "\r\n"); the slice is valid
// until the next call.
func (p *csvParser) readLine() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.line = append(p.line[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = p.r.ReadSlice('\n')
			p.line = append(p.line, line...)
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

// Read returns the next record; the slice is reused by the next call. A malformed
// record returns an error wrapping csv.ErrQuote or csv.ErrBareQuote, and the next call
// goes on after it.
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
	if bytes.IndexByte(line, '"') < 0 {
		p.fields = splitFields(p.fields[:0], line, p.text(line), p.comma)
		return p.fields, nil
	}
	return p.readQuoted(line)
}

// readQuoted parses a record with quotes, reading more lines while a quoted field
// is open.
func (p *csvParser) readQuoted(line []byte) ([]string, error) {
	p.buf = p.buf[:0]
	p.ends = p.ends[:0]
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
					return p.finish(perr)
				default: // text after the closing quote
					if perr == nil {
						perr = csv.ErrQuote
					}
					j := bytes.IndexByte(line, p.comma)
					if j < 0 {
						p.buf = append(p.buf, line...)
						p.ends = append(p.ends, len(p.buf))
						return p.finish(perr)
					}
					p.buf = append(p.buf, line[:j]...)
					p.ends = append(p.ends, len(p.buf))
					line = line[j+1:]
				}
				break
			}
			// The field goes on on the next line.
			p.buf = append(p.buf, line...)
			p.buf = append(p.buf, '\n')
			next, err := p.readLineRaw()
			if err != nil && len(next) == 0 {
				// Unterminated quote at the end of the input.
				p.ends = append(p.ends, len(p.buf))
				return p.finish(csv.ErrQuote)
			}
			line = next
		}
	}
	return p.finish(perr)
}

// readLineRaw is readLine for the inside of a quoted field, where an empty line is
// part of the field.
func (p *csvParser) readLineRaw() ([]byte, error) {
	line, err := p.readLine()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(line) == 0 && errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if line == nil {
		line = []byte{}
	}
	return line, nil
}

func (p *csvParser) finish(perr error) ([]string, error) {
	if perr != nil {
		return nil, perr
	}
	s := string(p.buf)
	p.fields = p.fields[:0]
	start := 0
	for _, e := range p.ends {
		p.fields = append(p.fields, s[start:e])
		start = e
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
