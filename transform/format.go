package transform

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// Value formats one value of the column typ for people: dates as YYYY-MM-DD,
// timestamps with time zone in loc, NULL as "NULL", whole doubles without exponent.
func Value(v any, typ string, loc *time.Location) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		switch typ {
		case "DATE":
			return x.UTC().Format(time.DateOnly)
		case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
			return x.In(loc).Format("2006-01-02 15:04:05-07")
		case "TIME":
			return x.UTC().Format(time.TimeOnly)
		default:
			return x.UTC().Format(time.DateTime)
		}
	case float64:
		if math.Abs(x) < 1e15 && x == math.Trunc(x) {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return Value(float64(x), typ, loc)
	case []byte:
		return fmt.Sprintf("%x", x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
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

func numeric(typ string) bool {
	switch typ {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE":
		return true
	}
	return strings.HasPrefix(typ, "DECIMAL")
}

// WriteTable writes the result as an aligned text table (Chinese counted as two
// columns), numbers right-aligned, and a row count.
func (rs *ResultSet) WriteTable(w io.Writer, loc *time.Location) error {
	cells := make([][]string, len(rs.Rows))
	widths := make([]int, len(rs.Columns))
	for j, c := range rs.Columns {
		widths[j] = DisplayWidth(c)
	}
	for i, r := range rs.Rows {
		cells[i] = make([]string, len(r))
		for j, v := range r {
			s := strings.NewReplacer("\n", `\n`, "\t", " ").Replace(Value(v, rs.Types[j], loc))
			cells[i][j] = s
			widths[j] = max(widths[j], DisplayWidth(s))
		}
	}
	var b strings.Builder
	line := func(vals []string) {
		for j, v := range vals {
			if j > 0 {
				b.WriteString(" | ")
			}
			pad := strings.Repeat(" ", widths[j]-DisplayWidth(v))
			if numeric(rs.Types[j]) {
				b.WriteString(pad + v)
			} else if j == len(vals)-1 {
				b.WriteString(v) // no trailing spaces
			} else {
				b.WriteString(v + pad)
			}
		}
		b.WriteString("\n")
	}
	line(rs.Columns)
	for j := range rs.Columns {
		if j > 0 {
			b.WriteString("-+-")
		}
		b.WriteString(strings.Repeat("-", widths[j]))
	}
	b.WriteString("\n")
	for _, r := range cells {
		line(r)
	}
	noun := "rows"
	if len(rs.Rows) == 1 {
		noun = "row"
	}
	fmt.Fprintf(&b, "(%d %s)\n", len(rs.Rows), noun)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCSV writes the result as CSV with a header row.
func (rs *ResultSet) WriteCSV(w io.Writer, loc *time.Location) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(rs.Columns); err != nil {
		return err
	}
	rec := make([]string, len(rs.Columns))
	for _, r := range rs.Rows {
		for j, v := range r {
			if v == nil {
				rec[j] = ""
			} else {
				rec[j] = Value(v, rs.Types[j], loc)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the result as a JSON array of objects, keys in column order;
// numbers and booleans stay JSON numbers and booleans, times are strings.
func (rs *ResultSet) WriteJSON(w io.Writer, loc *time.Location) error {
	var b strings.Builder
	b.WriteString("[")
	for i, r := range rs.Rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(rs.Columns[j])
			b.Write(k)
			b.WriteString(": ")
			var val any
			switch x := v.(type) {
			case nil, bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, string:
				val = x
			case float64:
				if math.IsNaN(x) || math.IsInf(x, 0) {
					val = Value(x, rs.Types[j], loc)
				} else {
					val = x
				}
			default:
				val = Value(x, rs.Types[j], loc)
			}
			e, err := json.Marshal(val)
			if err != nil {
				return err
			}
			b.Write(e)
		}
		b.WriteString("}")
	}
	if len(rs.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := io.WriteString(w, b.String())
	return err
}
