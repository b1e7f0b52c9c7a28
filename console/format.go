package console

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/width"
)

// Formats of the console's output.
const (
	FormatTable = "table"
	FormatCSV   = "csv"
	FormatJSON  = "json"
)

// resultWriter writes one result as it streams: the header, rows one by one, then
// the end. None of them holds more than tableSample rows.
type resultWriter interface {
	header(cols []string, numeric []bool) error
	row(cells []Cell) error
	end(rows int64) error
}

func newResultWriter(format string, w *bufio.Writer) resultWriter {
	switch format {
	case FormatCSV:
		return &csvWriter{w: csv.NewWriter(w)}
	case FormatJSON:
		return &jsonWriter{w: w}
	default:
		return &tableWriter{w: w}
	}
}

// DisplayWidth is the number of terminal columns s takes: East Asian wide and
// full-width characters (Chinese) take two.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			if r >= 0x20 {
				n++
			}
		}
	}
	return n
}

// tableSample is how many rows the table format reads before it fixes the column
// widths; later, wider cells overflow their column rather than being held back.
const tableSample = 1000

// tableWriter writes an aligned text table (Chinese counted as two columns), numbers
// right-aligned, and a row count.
type tableWriter struct {
	w       *bufio.Writer
	cols    []string
	numeric []bool
	widths  []int
	sample  [][]string
	fixed   bool
}

var tableCell = strings.NewReplacer("\n", `\n`, "\t", " ", "\r", `\r`)

func (t *tableWriter) header(cols []string, numeric []bool) error {
	t.cols, t.numeric = cols, numeric
	t.widths = make([]int, len(cols))
	for j, c := range cols {
		t.widths[j] = DisplayWidth(c)
	}
	return nil
}

func (t *tableWriter) row(cells []Cell) error {
	r := make([]string, len(cells))
	for j, c := range cells {
		if c.Kind == KindNull {
			r[j] = "NULL"
		} else {
			r[j] = tableCell.Replace(c.Text)
		}
	}
	if t.fixed {
		return t.line(r)
	}
	for j, s := range r {
		t.widths[j] = max(t.widths[j], DisplayWidth(s))
	}
	t.sample = append(t.sample, r)
	if len(t.sample) >= tableSample {
		return t.flush()
	}
	return nil
}

// flush fixes the widths and writes the header and the sampled rows.
func (t *tableWriter) flush() error {
	if t.fixed {
		return nil
	}
	t.fixed = true
	if err := t.line(t.cols); err != nil {
		return err
	}
	for j := range t.cols {
		if j > 0 {
			t.w.WriteString("-+-")
		}
		t.w.WriteString(strings.Repeat("-", t.widths[j]))
	}
	t.w.WriteString("\n")
	for _, r := range t.sample {
		if err := t.line(r); err != nil {
			return err
		}
	}
	t.sample = nil
	return nil
}

func (t *tableWriter) line(vals []string) error {
	for j, v := range vals {
		if j > 0 {
			t.w.WriteString(" | ")
		}
		pad := strings.Repeat(" ", max(0, t.widths[j]-DisplayWidth(v)))
		switch {
		case t.numeric[j]:
			t.w.WriteString(pad + v)
		case j == len(vals)-1:
			t.w.WriteString(v) // no trailing spaces
		default:
			t.w.WriteString(v + pad)
		}
	}
	_, err := t.w.WriteString("\n")
	return err
}

func (t *tableWriter) end(rows int64) error {
	if err := t.flush(); err != nil {
		return err
	}
	noun := "rows"
	if rows == 1 {
		noun = "row"
	}
	_, err := fmt.Fprintf(t.w, "(%d %s)\n", rows, noun)
	return err
}

// csvWriter writes CSV with a header row. NULL is an empty cell.
type csvWriter struct {
	w   *csv.Writer
	rec []string
}

func (c *csvWriter) header(cols []string, _ []bool) error {
	c.rec = make([]string, len(cols))
	return c.w.Write(cols)
}

func (c *csvWriter) row(cells []Cell) error {
	for j, x := range cells {
		c.rec[j] = CSVCell(x)
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) end(int64) error {
	c.w.Flush()
	return c.w.Error()
}

// CSVCell is a cell's CSV text. A text cell that a spreadsheet would read as a
// formula (starting with =, +, -, @, a tab or a carriage return) gets a leading
// single quote, the OWASP "CSV injection" convention; numbers, such as -3 in a
// numeric column, are written as they are.
func CSVCell(x Cell) string {
	switch x.Kind {
	case KindNull:
		return ""
	case KindString:
		if x.Text != "" && strings.ContainsRune("=+-@\t\r", rune(x.Text[0])) {
			return "'" + x.Text
		}
	}
	return x.Text
}

// jsonWriter writes a JSON array of objects, keys in column order; numbers and
// booleans stay JSON numbers and booleans, times are strings.
type jsonWriter struct {
	w    *bufio.Writer
	keys []string
	n    int64
}

func (j *jsonWriter) header(cols []string, _ []bool) error {
	j.keys = make([]string, len(cols))
	for i, c := range cols {
		k, err := json.Marshal(c)
		if err != nil {
			return err
		}
		j.keys[i] = string(k)
	}
	_, err := j.w.WriteString("[")
	return err
}

func (j *jsonWriter) row(cells []Cell) error {
	if j.n > 0 {
		j.w.WriteString(",")
	}
	j.n++
	j.w.WriteString("\n  {")
	for i, x := range cells {
		if i > 0 {
			j.w.WriteString(", ")
		}
		j.w.WriteString(j.keys[i])
		j.w.WriteString(": ")
		switch x.Kind {
		case KindNull:
			j.w.WriteString("null")
		case KindNumber, KindBool:
			if x.Text == "NaN" || strings.HasSuffix(x.Text, "Inf") { // not JSON numbers
				b, _ := json.Marshal(x.Text)
				j.w.Write(b)
			} else {
				j.w.WriteString(x.Text)
			}
		default:
			b, err := json.Marshal(x.Text)
			if err != nil {
				return err
			}
			j.w.Write(b)
		}
	}
	_, err := j.w.WriteString("}")
	return err
}

func (j *jsonWriter) end(int64) error {
	if j.n > 0 {
		j.w.WriteString("\n")
	}
	_, err := j.w.WriteString("]\n")
	return err
}
