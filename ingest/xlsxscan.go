package ingest

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// scanXLSX reads the worksheets and the shared strings of a workbook as a stream,
// before excelize opens it, and refuses the workbook when one of them holds a cell
// larger than maxCellBytes, a row with more than maxRowCells values or larger than
// maxRowBytes of inline text, a tag or a text run larger than maxCellBytes, or a byte
// that is not UTF-8: excelize would hold such a value whole in memory (a 150 MB cell
// took 1.4 GB), and decode a bad byte silently. Memory stays at the read buffer's.
func scanXLSX(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("not a readable xlsx workbook: %w", err)
	}
	defer zr.Close()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxXLSXPartBytes {
			return fmt.Errorf("the workbook unpacks to more than %d bytes", uint64(maxXLSXPartBytes))
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !(strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml")) && name != "xl/sharedstrings.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("not a readable xlsx workbook: %s: %w", f.Name, err)
		}
		err = scanXML(bufio.NewReaderSize(io.LimitReader(rc, maxXLSXPartBytes), 64<<10))
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

// xmlScan is the state of scanXML.
type xmlScan struct {
	r        *bufio.Reader
	off      int64 // bytes read
	row      int64 // the current <row>'s number, 0 outside one
	rowText  int64 // text bytes of the current row
	rowCells int   // values (<v>, <is>) of the current row
	item     int64 // text bytes of the current <c> or <si>
	items    int64 // <si> seen (the shared string's index + 1)
	inSI     bool
	// UTF-8: the sequence being read
	seq   [utf8.UTFMax]byte
	seqN  int
	want  int
	seqAt int64
}

var errXMLTooLarge = errors.New("too large")

// scanXML checks one XML part. It knows just enough of XML to count: text, tags
// (with their quoted attribute values), comments, CDATA and processing instructions.
func scanXML(r *bufio.Reader) error {
	st := &xmlScan{r: r}
	var tag []byte // the current tag's first bytes, enough for its name and row number
	run := int64(0)
	for {
		b, err := st.next()
		if err == io.EOF {
			return st.endUTF8()
		}
		if err != nil {
			return err
		}
		if b != '<' {
			run++
			if err := st.text(1, run); err != nil {
				return err
			}
			continue
		}
		run = 0
		// A tag, a comment, CDATA or a processing instruction.
		tag = tag[:0]
		n, cdata, err := st.markup(&tag)
		if err != nil {
			return err
		}
		if cdata {
			if err := st.text(n, n); err != nil {
				return err
			}
			continue
		}
		if n > maxCellBytes {
			return fmt.Errorf("a tag of %d bytes or more at byte offset %d: %w (the limit is %d)", n, st.off-n, errXMLTooLarge, maxCellBytes)
		}
		if err := st.element(tag); err != nil {
			return err
		}
	}
}

// next reads a byte, checking that the bytes form UTF-8.
func (st *xmlScan) next() (byte, error) {
	b, err := st.r.ReadByte()
	if err != nil {
		return 0, err
	}
	st.off++
	if st.want == 0 && b < utf8.RuneSelf {
		return b, nil
	}
	if err := st.utf8(b); err != nil {
		return 0, err
	}
	return b, nil
}

func (st *xmlScan) utf8(b byte) error {
	if st.want > 0 {
		if b&0xC0 != 0x80 {
			return st.badUTF8()
		}
		st.seq[st.seqN] = b
		st.seqN++
		if st.seqN < st.want {
			return nil
		}
		ok := utf8.Valid(st.seq[:st.seqN])
		st.want, st.seqN = 0, 0
		if !ok {
			return st.badUTF8()
		}
		return nil
	}
	st.seqAt = st.off - 1
	st.seq[0], st.seqN = b, 1
	switch {
	case b&0xE0 == 0xC0:
		st.want = 2
	case b&0xF0 == 0xE0:
		st.want = 3
	case b&0xF8 == 0xF0:
		st.want = 4
	default:
		return st.badUTF8()
	}
	return nil
}

func (st *xmlScan) badUTF8() error {
	return fmt.Errorf("byte 0x%02x at byte offset %d is not UTF-8", st.seq[0], st.seqAt)
}

func (st *xmlScan) endUTF8() error {
	if st.want > 0 {
		return st.badUTF8()
	}
	return nil
}

// text counts n bytes of text, run being the length of the text run so far.
func (st *xmlScan) text(n, run int64) error {
	st.item += n
	if st.row > 0 {
		st.rowText += n
	}
	switch {
	case st.item > maxCellBytes && st.inSI:
		return fmt.Errorf("shared string %d is longer than %d bytes (at byte offset %d): %w", st.items-1, maxCellBytes, st.off, errXMLTooLarge)
	case st.item > maxCellBytes && st.row > 0:
		return fmt.Errorf("a cell of row %d is longer than %d bytes (at byte offset %d): %w", st.row, maxCellBytes, st.off, errXMLTooLarge)
	case run > maxCellBytes:
		return fmt.Errorf("a text of more than %d bytes at byte offset %d: %w", maxCellBytes, st.off, errXMLTooLarge)
	case st.rowText > maxRowBytes:
		return fmt.Errorf("row %d holds more than %d bytes of text (at byte offset %d): %w", st.row, maxRowBytes, st.off, errXMLTooLarge)
	}
	return nil
}

// markup reads what follows a '<' up to its end, keeping its first bytes in tag, and
// returns its length and whether it was CDATA (whose length is text).
func (st *xmlScan) markup(tag *[]byte) (int64, bool, error) {
	var n int64
	var quote byte
	var last [3]byte
	end := ""
	for {
		b, err := st.next()
		if err == io.EOF {
			return n, false, nil // a truncated part: excelize reports it
		}
		if err != nil {
			return n, false, err
		}
		n++
		last[0], last[1], last[2] = last[1], last[2], b
		if len(*tag) < 32 {
			*tag = append(*tag, b)
			switch string(*tag) {
			case "!--":
				end = "-->"
			case "![CDATA[":
				end = "]]>"
			case "?":
				end = "?>"
			}
		}
		if n > maxCellBytes+16 && end != "]]>" {
			return n, false, nil // the caller reports the size
		}
		switch {
		case end != "":
			if b == '>' && n > int64(len(end)) && strings.HasSuffix(string(last[:]), end) {
				if end == "]]>" {
					return n - 8 - 3, true, nil
				}
				return n, false, nil
			}
			if end == "]]>" && n > maxCellBytes+16 {
				return n, true, nil
			}
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '>':
			return n, false, nil
		}
	}
}

// element updates the counts for a start or end tag.
func (st *xmlScan) element(tag []byte) error {
	s := string(tag)
	name := s
	if i := strings.IndexAny(s, " \t\r\n/>"); i > 0 {
		name = s[:i]
	} else if i == 0 && strings.HasPrefix(s, "/") {
		if j := strings.IndexAny(s[1:], " \t\r\n>"); j >= 0 {
			name = s[:j+1]
		}
	}
	selfClosing := strings.HasSuffix(s, "/>")
	switch name {
	case "row":
		st.row++
		if i := strings.Index(s, ` r="`); i >= 0 {
			if v, n := digits(s, i+4, 9); n > 0 {
				st.row = int64(v)
			}
		}
		st.rowText, st.rowCells = 0, 0
	case "/row":
		st.row = 0
	case "c", "si":
		st.item = 0
		if name == "si" {
			st.items++
			st.inSI = !selfClosing
		}
	case "/si":
		st.inSI = false
	case "v", "is":
		if st.row > 0 {
			st.rowCells++
			if st.rowCells > maxRowCells {
				return fmt.Errorf("row %d has more than %d cells with a value (at byte offset %d): %w", st.row, maxRowCells, st.off, errXMLTooLarge)
			}
		}
	}
	return nil
}
