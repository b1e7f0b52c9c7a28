package safetyrisk

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// Kind is the type of a column's values, in the source and in the lake.
type Kind int

const (
	KindString     Kind = iota // free text
	KindInt                    // whole number (counts, years); stored as INT64
	KindFloat                  // amount (yuan, 亿元, 万吨); stored as DOUBLE
	KindBool                   // 是/否, Y/N, true/false, 1/0; stored as BOOLEAN
	KindDate                   // calendar date; stored as INT32 days since 1970-01-01 with the DATE logical type
	KindTime                   // instant; input in Asia/Shanghai, stored as INT64 microseconds UTC (TIMESTAMP, adjusted to UTC)
	KindEnum                   // one code of Column.Enum (the code or the Chinese name accepted)
	KindEnumSet                // one or more codes of Column.Enum, stored sorted and joined by ","
	KindRegion                 // a region of the jurisdiction profile (code, full or short name); stored as its code
	KindSector                 // a sector of the jurisdiction profile (code or name); stored as its code
	KindCreditCode             // unified social credit code, 18 characters, GB 32100 check digit
	KindPII                    // a reporter's identity: replaced at ingest by HMAC-SHA256 (hex); M57
)

var kindNames = [...]string{"string", "int", "float", "bool", "date", "time", "enum", "enum_set", "region", "sector", "credit_code", "pii"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// SQLType is the DuckDB type of the column in the lake.
func (k Kind) SQLType() string {
	switch k {
	case KindInt:
		return "BIGINT"
	case KindFloat:
		return "DOUBLE"
	case KindBool:
		return "BOOLEAN"
	case KindDate:
		return "DATE"
	case KindTime:
		return "TIMESTAMPTZ"
	default:
		return "VARCHAR"
	}
}

// EnumValue is one allowed value: a stable ASCII code (what the lake and metric labels
// hold), the Chinese name an office writes, and other spellings seen in real files.
type EnumValue struct {
	Code    string
	Name    string
	Aliases []string
}

// Enum is a closed list of values.
type Enum struct {
	Name   string
	Label  string // in Chinese, what the values are, for a breakdown's title (事故等级); an indicator's DimEnum needs one
	Values []EnumValue
}

// Lookup returns the code for s, which may be a code, a Chinese name or an alias
// (compared after NormalizeHeader-style folding: width, case, spaces).
func (e *Enum) Lookup(s string) (string, bool) {
	k := FoldKey(s)
	for _, v := range e.Values {
		if FoldKey(v.Code) == k || FoldKey(v.Name) == k {
			return v.Code, true
		}
		for _, a := range v.Aliases {
			if FoldKey(a) == k {
				return v.Code, true
			}
		}
	}
	return "", false
}

// Codes lists the codes in definition order.
func (e *Enum) Codes() []string {
	out := make([]string, len(e.Values))
	for i, v := range e.Values {
		out[i] = v.Code
	}
	return out
}

// NameOf returns the Chinese name of a code ("" when unknown).
func (e *Enum) NameOf(code string) string {
	for _, v := range e.Values {
		if v.Code == code {
			return v.Name
		}
	}
	return ""
}

// HeaderAlias is another header accepted for a column; Scale multiplies numeric values
// read under it (a 万元 header is scaled by 10000 to yuan). Zero means 1.
type HeaderAlias struct {
	Header string
	Scale  float64
	// Assumed, when set, is a unit the header does not state and ingest assumes, with
	// a warning per file ("yuan" for a bare 直接经济损失; issue 11 item 8).
	Assumed string
}

// Column is one column of an input table: everything ingest, the templates, the lake and
// the catalog need to know about it.
type Column struct {
	Name      string        // canonical English name, the lake's column name
	Header    string        // the Chinese header a government spreadsheet uses
	Aliases   []HeaderAlias // other accepted headers (variants, units)
	Kind      Kind
	Enum      *Enum // for KindEnum and KindEnumSet
	Required  bool
	NotFuture bool // a date or time that cannot be after the ingest time
	HasMin    bool // numeric values below Min are rejected
	Min       float64
	HasMax    bool // numeric values above Max are rejected
	Max       float64
	Doc       string // English description, for the catalog's column comments
	// Few marks free text of few distinct values (a department's name, a hazard's
	// category): the raw lake stores it dictionary-encoded, which is smaller and, since
	// zstd then has a page of small indices to compress instead of the text, faster to
	// write.
	Few bool
	// RequiredWhen, when set, makes the column required in the rows where another
	// column holds a code (a 补报's casualties: notifications.deaths when kind is
	// supplementary). Ingest rejects such a row with the rule required.
	RequiredWhen *Condition
	// Default is the code an enum column reads as when a cell is blank or a file has no
	// such column (a log kept before the column existed): transform writes it into the
	// curated table, so that no curated value is null. "" for none.
	Default string
}

// Condition is "column Column holds the code Code".
type Condition struct {
	Column, Code string
}

// OrderRule says that column Later, when both are present, is not before column Earlier
// (rectified not before found, reported not before occurred).
type OrderRule struct {
	Later, Earlier string
}

// Derivation is how ingest computes a derived raw column from an input column.
type Derivation int

const (
	// DeriveTimeKnown is a BOOLEAN: whether the source gave a time of day for the
	// KindTime column From (false for a date alone, or an Excel serial without a
	// fraction; null when From is null). Issue 11 item 3: a date alone is no evidence
	// of a late report.
	DeriveTimeKnown Derivation = iota + 1
)

// DerivedColumn is a raw column that ingest computes; no header names it, templates
// leave it out, and a source cannot fill it in. It follows the input columns in the
// raw Parquet schema.
type DerivedColumn struct {
	Name   string
	Kind   Kind // the lake type (KindBool for DeriveTimeKnown)
	From   string
	Derive Derivation
	Doc    string
}

// Table is the one definition of an input table.
type Table struct {
	Name    string // canonical name: the lake folder and --table value
	Chinese string // the Chinese name
	Doc     string // English description
	Key     []string
	TimeCol string // the date or time that partitions curated/ by year ("" for none)
	// Curated are the columns transform adds to the curated table after Columns
	// (curated.go): flags and values derived from the record and its relations.
	Curated []Column
	Columns []Column
	Order   []OrderRule
	Derived []DerivedColumn // raw columns ingest derives from Columns
}

// HasPII reports whether some column holds a reporter's identity, so that ingest
// needs the hashing key (M57).
func (t *Table) HasPII() bool {
	for _, c := range t.Columns {
		if c.Kind == KindPII {
			return true
		}
	}
	return false
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Index returns the position of the named column, or -1.
func (t *Table) Index(name string) int {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i
		}
	}
	return -1
}

// Headers lists the Chinese headers in column order (the template's header row).
func (t *Table) Headers() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Header
	}
	return out
}

// ColumnNames lists the canonical names in column order.
func (t *Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// MatchHeader finds the column a source header names: the canonical name, the Chinese
// header or an alias, compared after folding (full-width to half-width, case, spaces,
// a leading "*" for required marks, "（）" as "()"). It returns the column index and the
// scale to apply to numeric values (1 when none), or -1.
func (t *Table) MatchHeader(h string) (int, float64) {
	i, a := t.MatchHeaderAlias(h)
	return i, a.Scale
}

// MatchHeaderAlias is MatchHeader returning the alias matched (Scale 1 and no
// assumption for the canonical name and the Chinese header).
func (t *Table) MatchHeaderAlias(h string) (int, HeaderAlias) {
	k := FoldKey(h)
	if k == "" {
		return -1, HeaderAlias{}
	}
	if index, ok := headerIndexes()[t]; ok {
		if m, ok := index[k]; ok {
			return m.col, m.alias
		}
		return -1, HeaderAlias{}
	}
	return t.matchHeaderScan(k)
}

// headerMatch is the column a folded header names, and the alias it is.
type headerMatch struct {
	col   int
	alias HeaderAlias
}

// headerIndexes maps each folded header of each table of Tables() to what
// matchHeaderScan returns for it, built once: header detection matches every header of
// a file against every table. A table not among them (a test's modified copy) is
// scanned.
var headerIndexes = sync.OnceValue(func() map[*Table]map[string]headerMatch {
	out := map[*Table]map[string]headerMatch{}
	for _, t := range Tables() {
		index := map[string]headerMatch{}
		for _, c := range t.Columns {
			headers := []string{c.Name, c.Header}
			for _, a := range c.Aliases {
				headers = append(headers, a.Header)
			}
			for _, h := range headers {
				if k := FoldKey(h); k != "" {
					if _, done := index[k]; !done {
						i, a := t.matchHeaderScan(k)
						index[k] = headerMatch{col: i, alias: a}
					}
				}
			}
		}
		out[t] = index
	}
	return out
})

// matchHeaderScan is MatchHeaderAlias for the folded header k, column by column: the
// first column whose name, header or alias folds to k.
func (t *Table) matchHeaderScan(k string) (int, HeaderAlias) {
	for i, c := range t.Columns {
		if FoldKey(c.Name) == k || FoldKey(c.Header) == k {
			return i, HeaderAlias{Header: c.Header, Scale: 1}
		}
		for _, a := range c.Aliases {
			if FoldKey(a.Header) == k {
				if a.Scale == 0 {
					a.Scale = 1
				}
				return i, a
			}
		}
	}
	return -1, HeaderAlias{}
}

// FoldKey folds a header or an enum spelling for comparison: full-width characters to
// half-width, ASCII to lower case, spaces, underscores-vs-nothing kept, a leading "*"
// (templates mark required columns so) and line breaks removed.
func FoldKey(s string) string {
	if keyFolded(s) {
		return s // a canonical name or header: no copy
	}
	return foldKeyPlain(s)
}

// foldKeyPlain is FoldKey rune by rune, without keyFolded's fast path.
func foldKeyPlain(s string) string {
	s = FoldWidth(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '*':
			continue
		}
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// keyFolded reports whether FoldKey would return s as it is: valid UTF-8 without an
// upper-case ASCII letter, a space, tab, line break or '*', a full-width form
// (U+FF01..U+FF5E, whose lead byte is EF) or an ideographic space (U+3000, E3 80 80).
// Header detection folds every column name and alias of every table for each header,
// and those are folded already.
func keyFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c == ' ', c == '\t', c == '\n', c == '\r', c == '*', c == 0xEF:
			return false
		case c == 0xE3 && strings.HasPrefix(s[i:], "\u3000"):
			return false
		}
	}
	return utf8.ValidString(s)
}

// FoldWidth maps full-width ASCII variants (U+FF01..U+FF5E) to ASCII and the
// ideographic space (U+3000) to a space, as offices' spreadsheets often mix them.
func FoldWidth(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - 0x21
		case r == 0x3000:
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TableByName returns the named table (canonical or Chinese name), or nil.
func TableByName(name string) *Table {
	k := FoldKey(name)
	for _, t := range Tables() {
		if FoldKey(t.Name) == k || FoldKey(t.Chinese) == k {
			return t
		}
	}
	return nil
}

// DetectTable picks the table whose columns the headers match best: the one with every
// key column present and the most matched headers. It returns nil when none has its key.
func DetectTable(headers []string) *Table {
	var best *Table
	bestN := 0
	for _, t := range Tables() {
		seen := map[int]bool{}
		for _, h := range headers {
			if i, _ := t.MatchHeader(h); i >= 0 {
				seen[i] = true
			}
		}
		ok := true
		for _, k := range t.Key {
			if !seen[t.Index(k)] {
				ok = false
			}
		}
		// Prefer the table for which the headers cover the largest share of its columns,
		// then the most matches: a hazards file also matches inspection_id, for instance.
		n := len(seen)*1000 + len(seen)*1000/len(t.Columns)
		if ok && n > bestN {
			best, bestN = t, n
		}
	}
	return best
}
