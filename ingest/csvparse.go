package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
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
		s := string(line)
		p.fields = p.fields[:0]
		for {
			i := strings.IndexByte(s, p.comma) // vectorised: cells are long, commas few
			if i < 0 {
				break
			}
			p.fields = append(p.fields, s[:i])
			s = s[i+1:]
		}
		p.fields = append(p.fields, s)
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
