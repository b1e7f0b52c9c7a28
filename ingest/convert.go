package ingest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/maphash"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/safetyrisk/safetyrisk"
)

// Rules name why a row was quarantined; they are the quarantine's rule column and the
// manifest's top reasons.
const (
	RuleSyntax       = "syntax"         // the record itself could not be read (CSV quoting, JSON)
	RuleType         = "type"           // not a number, date, time or yes/no
	RuleRequired     = "required"       // a required cell is empty
	RuleEnum         = "enum"           // not a value of the column's list
	RuleRange        = "range"          // below the minimum (negative counts) or above the maximum
	RuleNotFuture    = "not_future"     // a date or time after the ingest time
	RuleOrder        = "order"          // e.g. rectified before found, reported before occurred
	RuleCreditCode   = "credit_code"    // not a GB 32100 unified social credit code
	RuleDuplicateKey = "duplicate_key"  // the key of an earlier row of the same file
	RuleRegion       = "unknown_region" // not a region of the jurisdiction profile
	RuleSector       = "unknown_sector" // not a sector of the jurisdiction profile
	RuleExtraCells   = "extra_cells"    // values beyond the last header
	RuleEncoding     = "encoding"       // a byte that is not a character of the file's encoding
	RuleTooLarge     = "too_large"      // a cell or a record over the limits of limits.go
)

// RowError is one reason a source row was rejected. Its message names the file, the
// row, the column, the value and the rule, like encoding/csv's ParseError; a reporter
// identity's value is never shown.
type RowError struct {
	File   string // source path
	Row    int64  // source row number (see Result)
	Column string // canonical column name ("" for the whole row)
	Header string // the source header of the column
	Value  string // the cell as read; "<redacted>" for identity columns
	Rule   string
	Detail string
}

func (e *RowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: ", e.File, e.Row)
	if e.Column != "" {
		b.WriteString("column " + e.Column)
		if e.Header != "" && e.Header != e.Column {
			b.WriteString(" (" + e.Header + ")")
		}
		b.WriteString(": ")
	}
	if e.Value != "" || e.Column != "" {
		fmt.Fprintf(&b, "value %q: ", e.Value)
	}
	b.WriteString(e.Rule)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	return b.String()
}

const redacted = "<redacted>"

// cellError is an error found in one cell, before file and row are known.
type cellError struct {
	col    int    // table column, -1 for the row or a cell under an unknown header
	header string // the source header of a cell that is no table column
	value  string
	rule   string
	detail string
	pii    bool // value is a reporter identity: shown as <redacted>, kept as its hash
}

// converter turns source records into raw Parquet rows, or into errors. It is used by
// one goroutine at a time.
type converter struct {
	t         *safetyrisk.Table
	prof      *safetyrisk.Profile
	loc       *time.Location
	today     int32 // days since 1970-01-01 in loc
	now       int64 // microseconds
	m         *mapping
	schema    *rawSchema
	mac       hash.Hash              // nil without a key
	pii       bool                   // the table has identity columns (M57)
	cache     []map[string]memoEntry // by column: spelling -> the code's value, levelled; null when unknown
	memo      [][]memoEntry          // by column: a direct-mapped cache in front of cache, nil until used
	raw       [][]memoEntry          // by column: the cells as read that converted, for the columns of few spellings (rawHit)
	rawN      []int                  // by column: the spellings stored in raw
	order     [][2]int               // (later, earlier) table columns
	when      []whenRule             // columns required when another holds a code
	bools     [][2]parquet.Value     // by column: the values of false and true, levelled (bool columns)
	keyIdx    []int
	seed      maphash.Seed
	keyBuf    []byte
	key       uint64          // the hash of the last row's key; 0 when incomplete
	typed     []parquet.Value // by table column, for the columns of order rules and keys
	needTyped []bool
	errs      []cellError
	dec       *gb18030Decoder // a GB18030 file's decoder (U+FFFD then stands for a bad byte), nil else
	text      []bool          // by source cell: stored as text (or hashed, or ignored), so checked whole
	timeGiven []bool          // by table column: the last KindTime value had a time of day
	derived   [][3]int        // (derivation, from column, leaf) of each derived raw column
	plan      []colPlan       // by table column (replan)
	planFor   int             // the source cells the plan was made for; -1 before the first
}

func newConverter(t *safetyrisk.Table, prof *safetyrisk.Profile, loc *time.Location, now time.Time, key []byte, m *mapping, s *rawSchema, seed maphash.Seed) *converter {
	c := &converter{t: t, prof: prof, loc: loc, m: m, schema: s, seed: seed,
		cache: make([]map[string]memoEntry, len(t.Columns)), memo: make([][]memoEntry, len(t.Columns)), typed: make([]parquet.Value, len(t.Columns))}
	local := now.In(loc)
	c.today = int32(daysFromCivil(local.Year(), int(local.Month()), local.Day()))
	c.now = now.UnixMicro()
	c.pii = t.HasPII()
	if len(key) > 0 {
		c.mac = hmac.New(sha256.New, key)
	}
	for i := range c.cache {
		c.cache[i] = map[string]memoEntry{}
	}
	c.raw, c.rawN = make([][]memoEntry, len(t.Columns)), make([]int, len(t.Columns))
	c.bools = make([][2]parquet.Value, len(t.Columns))
	for i, col := range t.Columns {
		switch col.Kind {
		case safetyrisk.KindEnum, safetyrisk.KindEnumSet, safetyrisk.KindRegion, safetyrisk.KindSector, safetyrisk.KindBool:
			c.raw[i] = make([]memoEntry, memoSlots)
		}
		if col.Kind == safetyrisk.KindBool {
			leaf := s.leaf[i]
			c.bools[i] = [2]parquet.Value{parquet.BooleanValue(false).Level(0, 1, leaf), parquet.BooleanValue(true).Level(0, 1, leaf)}
		}
	}
	c.needTyped = make([]bool, len(t.Columns))
	for _, o := range t.Order {
		c.order = append(c.order, [2]int{t.Index(o.Later), t.Index(o.Earlier)})
		c.needTyped[t.Index(o.Later)], c.needTyped[t.Index(o.Earlier)] = true, true
	}
	for i, col := range t.Columns {
		if w := col.RequiredWhen; w != nil {
			on := t.Index(w.Column)
			c.when = append(c.when, whenRule{col: i, on: on, code: w.Code,
				detail: fmt.Sprintf("the column is required when %s is %s (%s)", w.Column, w.Code, t.Columns[on].Enum.NameOf(w.Code))})
			c.needTyped[i], c.needTyped[on] = true, true
		}
	}
	for _, k := range t.Key {
		c.keyIdx = append(c.keyIdx, t.Index(k))
		c.needTyped[t.Index(k)] = true
	}
	c.timeGiven = make([]bool, len(t.Columns))
	c.planFor = -1
	for k, d := range t.Derived {
		c.derived = append(c.derived, [3]int{int(d.Derive), t.Index(d.From), s.derivedLeaf[k]})
	}
	return c
}

// bytesOf views s as bytes without copying; parquet-go copies values it keeps.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// normCell trims a cell and folds full-width characters (safetyrisk.FoldWidth).
func normCell(s string) string {
	if maySpace(s) {
		s = trimSpace(s)
	}
	for i := indexEFE3(s, 0); i >= 0; i = indexEFE3(s, i+1) {
		if (s[i] == 0xEF && i+1 < len(s) && (s[i+1] == 0xBC || s[i+1] == 0xBD)) || (s[i] == 0xE3 && strings.HasPrefix(s[i:], "\u3000")) {
			return strings.TrimSpace(safetyrisk.FoldWidth(s))
		}
	}
	return s
}

// normText trims a free-text cell and folds it only when it holds full-width digits,
// letters or spaces: the full-width punctuation of Chinese prose (，（）) is left as
// written, and the common cell costs no allocation.
func normText(s string) string {
	if maySpace(s) {
		s = trimSpace(s)
	}
	for i := indexEFE3(s, 0); i >= 0 && i+2 < len(s); i = indexEFE3(s, i+1) {
		switch {
		case s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99, // ０-９
			s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0xA1 && s[i+2] <= 0xBA, // Ａ-Ｚ
			s[i] == 0xEF && s[i+1] == 0xBD && s[i+2] >= 0x81 && s[i+2] <= 0x9A, // ａ-ｚ
			s[i] == 0xE3 && s[i+1] == 0x80 && s[i+2] == 0x80:                   // ideographic space
			return strings.TrimSpace(safetyrisk.FoldWidth(s))
		}
	}
	return s
}

// indexEFE3 returns the index of the first byte 0xEF or 0xE3 of s at or after i, or
// -1: the lead bytes of every full-width form (U+FF00-U+FFEF) and of the ideographic
// space (U+3000). It looks at eight bytes at a time (one load), as splitFields does,
// the last few bytes too, in the string's last eight.
func indexEFE3(s string, i int) int {
	b := bytesOf(s)
	for ; i+8 <= len(b); i += 8 {
		if j := efe3In(binary.LittleEndian.Uint64(b[i:])); j >= 0 {
			return i + j
		}
	}
	if i >= len(b) {
		return -1
	}
	if len(b) >= 8 {
		skip := 8 - (len(b) - i) // the bytes of the last eight before i, looked at already
		if j := efe3In(binary.LittleEndian.Uint64(b[len(b)-8:]) >> (8 * skip)); j >= 0 && i+j < len(b) {
			return i + j
		}
		return -1
	}
	for ; i < len(b); i++ {
		if b[i] == 0xEF || b[i] == 0xE3 {
			return i
		}
	}
	return -1
}

// efe3In returns the index of the first byte 0xEF or 0xE3 of the eight bytes of x
// (little-endian), or -1. A byte shifted in as 0 is neither.
func efe3In(x uint64) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if x&highs == 0 { // ASCII
		return -1
	}
	a, b := x^(ones*0xEF), x^(ones*0xE3) // a zero byte where 0xEF or 0xE3 is
	if found := ((a-ones)&^a | (b-ones)&^b) & highs; found != 0 {
		return bits.TrailingZeros64(found) / 8 // exact up to the first zero byte
	}
	return -1
}

// trimSpace is strings.TrimSpace with a fast path for the common cell, which neither
// starts nor ends with a space: the first and last bytes tell (spaceEdge), without
// decoding the Chinese characters most cells begin and end with.
func trimSpace(s string) string {
	if !maySpace(s) || !spaceFirst(s) && !spaceLast(s) {
		return s
	}
	return strings.TrimSpace(s)
}

// maySpace reports whether s may begin or end with a space, from its first and last
// bytes alone.
func maySpace(s string) bool {
	n := len(s)
	return n > 0 && spaceEdge[s[0]]&1|spaceEdge[s[n-1]]&2 != 0
}

// spaceEdge marks with 1 the first bytes of the unicode.IsSpace runes (the ASCII spaces
// and C2, E1, E2, E3) and with 2 their last bytes (the ASCII spaces and 80-8A, 9F, A0,
// A8, A9, AF: U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000). A byte without the mark cannot begin, or end, a space.
var spaceEdge = func() (t [256]uint8) {
	for _, c := range []byte{' ', '\t', '\n', '\r', '\v', '\f'} {
		t[c] = 3
	}
	for _, c := range []byte{0xC2, 0xE1, 0xE2, 0xE3} {
		t[c] |= 1
	}
	for c := 0x80; c <= 0x8A; c++ {
		t[c] |= 2
	}
	for _, c := range []byte{0x9F, 0xA0, 0xA8, 0xA9, 0xAF} {
		t[c] |= 2
	}
	return t
}()

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// spaceFirst reports whether s (not empty) begins with a unicode.IsSpace rune. The
// non-ASCII ones (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000) begin with the byte C2, E1, E2 or E3.
func spaceFirst(s string) bool {
	switch c := s[0]; {
	case c < utf8.RuneSelf:
		return asciiSpace(c)
	case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
		r, _ := utf8.DecodeRuneInString(s)
		return unicode.IsSpace(r)
	}
	return false
}

// spaceLast reports whether s (not empty) ends with a unicode.IsSpace rune. The
// non-ASCII ones have C2, 80, 81 or 9A as their last byte but one.
func spaceLast(s string) bool {
	c := s[len(s)-1]
	if c < utf8.RuneSelf {
		return asciiSpace(c)
	}
	if len(s) < 2 {
		return false
	}
	switch s[len(s)-2] {
	case 0xC2, 0x80, 0x81, 0x9A:
		r, _ := utf8.DecodeLastRuneInString(s)
		return unicode.IsSpace(r)
	}
	return false
}

// cacheLimit bounds the per-column memo of enum, region, sector and yes/no spellings.
const cacheLimit = 4096

// row converts one record. It fills row r of cols (by leaf column index, len
// schema.width) and returns the errors found; a row with any error is not written. Duplicate keys are
// left to the caller, which sees the rows in order: c.key is the row's key hash.
func (c *converter) row(srcRow int64, cells []string, cols [][]parquet.Value, r int) []cellError {
	c.errs = c.errs[:0]
	cols[c.schema.rowIdx][r] = parquet.Int64Value(srcRow)
	if !c.checkCells(cells) {
		c.key = 0
		return c.errs
	}
	for j := len(c.m.colOf); j < len(cells); j++ {
		if v := strings.TrimSpace(cells[j]); v != "" {
			// a cell beyond the header of a file with identities may be one
			c.errs = append(c.errs, cellError{col: -1, value: v, rule: RuleExtraCells, detail: fmt.Sprintf("cell %d has no header", j+1), pii: c.pii || c.m.piiAny})
			break
		}
	}
	if c.planFor != len(c.m.colOf) {
		c.replan()
	}
	for i := range c.plan {
		p := &c.plan[i]
		dst := &cols[p.leaf][r]
		raw, s := "", ""
		if p.src >= 0 && p.src < len(cells) {
			raw = cells[p.src]
			if e := p.rawHit(raw); e != nil { // a column of few spellings
				*dst = e.v
				if p.typed {
					c.typed[i] = e.v
				}
				continue
			}
			if p.text {
				s = normText(raw)
			} else {
				s = normCell(raw)
			}
		}
		if !c.cell(i, p.col, p.src, s, p.leaf, dst) {
			*dst = parquet.Value{}
		} else if p.raw != nil && raw != "" && !dst.IsNull() {
			c.rawStore(i, raw, *dst)
		}
		if p.typed {
			c.typed[i] = *dst
		}
	}
	for _, o := range c.order {
		later, earlier := c.typed[o[0]], c.typed[o[1]]
		if later.IsNull() || earlier.IsNull() {
			continue
		}
		lk, ek := c.t.Columns[o[0]].Kind, c.t.Columns[o[1]].Kind
		var before bool
		if lk == safetyrisk.KindDate && ek == safetyrisk.KindDate {
			before = later.Int32() < earlier.Int32()
		} else {
			before = cmpInstant(later, lk, c.loc) < cmpInstant(earlier, ek, c.loc)
		}
		if before {
			src := c.m.srcOf[o[0]]
			c.errs = append(c.errs, cellError{col: o[0], value: normCell(cells[src]), rule: RuleOrder,
				detail: fmt.Sprintf("%s is before %s %s", c.t.Columns[o[0]].Name, c.t.Columns[o[1]].Name, formatValue(earlier, c.t.Columns[o[1]].Kind, c.loc))})
		}
	}
	c.requiredWhen(cells)
	c.key = 0
	if len(c.keyIdx) > 0 {
		c.keyBuf = c.keyBuf[:0]
		complete := true
		for _, k := range c.keyIdx {
			v := c.typed[k]
			if v.IsNull() {
				complete = false
				break
			}
			c.keyBuf = v.AppendBytes(c.keyBuf)
			c.keyBuf = append(c.keyBuf, 0)
		}
		if complete {
			c.key = maphash.Bytes(c.seed, c.keyBuf) | 1 // 0 means "no complete key"
		}
	}
	for _, d := range c.derived {
		switch safetyrisk.Derivation(d[0]) {
		case safetyrisk.DeriveTimeKnown:
			if v := cols[c.schema.leaf[d[1]]][r]; v.IsNull() {
				cols[d[2]][r] = parquet.Value{}
			} else {
				cols[d[2]][r] = parquet.BooleanValue(c.timeGiven[d[1]]).Level(0, 1, d[2])
			}
		}
	}
	// _source_row, set above, is a required column: its values need no levels (the
	// column writers take each column's values directly, so neither is the column
	// index needed).
	return c.errs
}

// colPlan is what row needs of a table column, in one place: the column, its leaf, its
// source cell (-1 when the file has none), its memo of spellings as read (nil unless a
// column of few spellings: rawHit), whether its typed value is kept (order rules, keys)
// and whether it is free text.
type colPlan struct {
	col   *safetyrisk.Column
	leaf  int
	src   int
	raw   *[memoSlots]memoEntry
	typed bool
	text  bool
}

// replan builds the plan of every table column from the mapping, which a JSON source
// extends as new keys appear.
func (c *converter) replan() {
	c.plan = c.plan[:0]
	for i := range c.t.Columns {
		col := &c.t.Columns[i]
		p := colPlan{col: col, leaf: c.schema.leaf[i], src: c.m.srcOf[i], typed: c.needTyped[i], text: col.Kind == safetyrisk.KindString}
		if c.raw[i] != nil {
			p.raw = (*[memoSlots]memoEntry)(c.raw[i])
		}
		c.plan = append(c.plan, p)
	}
	c.planFor = len(c.m.colOf)
}

// whenRule is a column required in the rows where column on holds code
// (safetyrisk.Column.RequiredWhen).
type whenRule struct {
	col, on int
	code    string
	detail  string
}

// requiredWhen rejects a row whose conditionally required cells are empty: a 补报
// without its casualties (Decree 493 art. 13). A cell that already failed is not
// reported twice.
func (c *converter) requiredWhen(cells []string) {
	for _, w := range c.when {
		if v := c.typed[w.on]; v.IsNull() || string(v.ByteArray()) != w.code || !c.typed[w.col].IsNull() || c.failed(w.col) {
			continue
		}
		s := ""
		if src := c.m.srcOf[w.col]; src >= 0 && src < len(cells) {
			s = normCell(cells[src])
		}
		c.errs = append(c.errs, cellError{col: w.col, value: s, rule: RuleRequired, detail: w.detail})
	}
}

// failed reports whether table column i has an error in the current row.
func (c *converter) failed(i int) bool {
	for _, e := range c.errs {
		if e.col == i {
			return true
		}
	}
	return false
}

// checkCells rejects the cells that cannot be stored: a byte that is not UTF-8 (or, in
// text decoded from GB18030, one the decoder replaced by U+FFFD), a cell larger than
// maxCellBytes, a record larger than maxRowBytes. A bad byte is never stored nor
// replaced silently: the row is quarantined, the error naming the row and the column.
// The text of typed columns is checked only when it does not convert (fail): a number,
// date, yes/no or code that converts is made of the parsers' own characters.
func (c *converter) checkCells(cells []string) bool {
	if len(c.text) != len(c.m.colOf) {
		c.text = c.text[:0]
		for j, i := range c.m.colOf {
			c.text = append(c.text, i < 0 || c.m.piiSrc[j] || c.t.Columns[i].Kind == safetyrisk.KindString)
		}
	}
	size := 0
	for j, s := range cells {
		size += len(s)
		if len(s) > maxCellBytes {
			c.cellFail(j, s, RuleTooLarge, fmt.Sprintf("the cell is %d bytes long, more than the limit of %d", len(s), maxCellBytes))
			continue
		}
		if j >= len(c.text) || c.text[j] {
			if detail, bad := c.badText(s); bad {
				c.cellFail(j, s, RuleEncoding, detail)
			}
		}
	}
	if size > maxRowBytes {
		c.errs = append(c.errs, cellError{col: -1, rule: RuleTooLarge, detail: fmt.Sprintf("the record's cells add up to %d bytes, more than the limit of %d", size, maxRowBytes)})
	}
	return len(c.errs) == 0
}

// badText says why s cannot be stored as text, if it cannot.
func (c *converter) badText(s string) (string, bool) {
	// Text decoded from GB18030 is UTF-8 by construction (the decoder writes U+FFFD for
	// a bad byte), so only the U+FFFD is looked for.
	if c.dec == nil && !utf8.ValidString(s) {
		i := firstInvalidUTF8(bytesOf(s))
		return fmt.Sprintf("byte 0x%02x at byte %d of the cell is not UTF-8", s[i], i), true
	}
	if c.dec != nil && c.dec.replacement() && strings.Contains(s, "\uFFFD") {
		return "a byte that is not GB18030 (the decoder read it as U+FFFD)", true
	}
	return "", false
}

// cellFail records an error of source cell j.
func (c *converter) cellFail(j int, s, rule, detail string) {
	e := cellError{col: -1, value: s, rule: rule, detail: detail, pii: c.pii || c.m.piiAny}
	if j < len(c.m.colOf) {
		e.col = c.m.colOf[j]
		e.pii = c.m.piiSrc[j] || (c.pii && e.col < 0)
		if e.col < 0 {
			e.header = c.m.headers[j]
		}
	}
	c.errs = append(c.errs, e)
}

// cmpInstant orders dates and times on one scale (microseconds), a date being its
// local midnight.
func cmpInstant(v parquet.Value, k safetyrisk.Kind, loc *time.Location) int64 {
	if k == safetyrisk.KindDate {
		y, m, d := civilFromDays(int64(v.Int32()))
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc).UnixMicro()
	}
	return v.Int64()
}

func formatValue(v parquet.Value, k safetyrisk.Kind, loc *time.Location) string {
	switch k {
	case safetyrisk.KindDate:
		y, m, d := civilFromDays(int64(v.Int32()))
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	case safetyrisk.KindTime:
		return time.UnixMicro(v.Int64()).In(loc).Format("2006-01-02 15:04:05")
	}
	return v.String()
}

// cell converts one cell into *dst, with the definition level of leaf column leaf.
// false means an error was recorded. Values are stored in place: returning them costs
// more than converting them.
func (c *converter) cell(i int, col *safetyrisk.Column, src int, s string, leaf int, dst *parquet.Value) bool {
	if s == "" || (col.Kind != safetyrisk.KindString && col.Kind != safetyrisk.KindPII && isNullToken(s)) {
		if col.Required {
			c.fail(i, s, RuleRequired, "the column is required")
			return false
		}
		*dst = parquet.Value{} // null: definition level 0
		return true
	}
	switch col.Kind {
	case safetyrisk.KindString:
		*dst = parquet.ByteArrayValue(bytesOf(s))
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindInt:
		v, ok := parseInt(s)
		if scale := c.m.scaleOf[src]; ok && scale != 1 {
			f := math.Round(float64(v) * scale)
			v = int64(f)
		}
		if !ok {
			return c.fail(i, s, RuleType, "not a whole number")
		}
		if !c.inRange(i, col, s, float64(v)) {
			return false
		}
		*dst = parquet.Int64Value(v)
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindFloat:
		v, ok := parseFloat(s)
		if !ok {
			return c.fail(i, s, RuleType, "not a number")
		}
		v *= c.m.scaleOf[src]
		if !c.inRange(i, col, s, v) {
			return false
		}
		*dst = parquet.DoubleValue(v)
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindBool:
		v, ok := parseBool(s)
		if !ok {
			v, ok = parseBool(strings.ToLower(s))
		}
		if !ok {
			return c.fail(i, s, RuleType, "not yes or no (是/否, Y/N, true/false, 1/0)")
		}
		*dst = c.bools[i][b2i(v)]
		return true
	case safetyrisk.KindDate:
		d, ok := parseDate(s)
		if !ok {
			return c.fail(i, s, RuleType, "not a date (2022-09-27, 2022/9/27, 2022年9月27日 or an Excel serial)")
		}
		if col.NotFuture && d > c.today {
			return c.fail(i, s, RuleNotFuture, "the date is after today")
		}
		*dst = parquet.Int32Value(d)
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindTime:
		t, given, ok := parseTimeGiven(s, c.loc)
		c.timeGiven[i] = given
		if !ok {
			return c.fail(i, s, RuleType, "not a date and time (2022-09-27 14:30, or an Excel serial)")
		}
		if col.NotFuture && t > c.now {
			return c.fail(i, s, RuleNotFuture, "the time is after the ingest time")
		}
		*dst = parquet.Int64Value(t)
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindEnum:
		v, ok := c.lookup(i, s, leaf, func(s string) (string, bool) { return col.Enum.Lookup(s) })
		if !ok {
			return c.fail(i, s, RuleEnum, "not one of "+strings.Join(col.Enum.Codes(), ", ")+" (or their Chinese names)")
		}
		*dst = v
		return true
	case safetyrisk.KindEnumSet:
		v, ok := c.lookup(i, s, leaf, func(s string) (string, bool) { return enumSet(col.Enum, s) })
		if !ok {
			return c.fail(i, s, RuleEnum, "not a list of "+strings.Join(col.Enum.Codes(), ", ")+" (or their Chinese names)")
		}
		*dst = v
		return true
	case safetyrisk.KindRegion:
		v, ok := c.lookup(i, s, leaf, c.prof.RegionCode)
		if !ok {
			return c.fail(i, s, RuleRegion, "not a region of "+c.prof.City.Name)
		}
		*dst = v
		return true
	case safetyrisk.KindSector:
		v, ok := c.lookup(i, s, leaf, c.prof.SectorCode)
		if !ok {
			return c.fail(i, s, RuleSector, "not a sector of the profile")
		}
		*dst = v
		return true
	case safetyrisk.KindCreditCode:
		code := strings.ToUpper(s)
		if len(code) != 18 {
			return c.fail(i, s, RuleCreditCode, fmt.Sprintf("%d characters, want 18 (GB 32100)", utf8.RuneCountInString(code)))
		}
		if !safetyrisk.ValidCreditCode(code) {
			if want, ok := safetyrisk.CreditCodeCheck(code[:17]); ok {
				return c.fail(i, s, RuleCreditCode, fmt.Sprintf("check character %c, want %c (GB 32100)", code[17], want))
			}
			return c.fail(i, s, RuleCreditCode, "a character outside the GB 32100 alphabet")
		}
		*dst = parquet.ByteArrayValue(bytesOf(code))
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	case safetyrisk.KindPII:
		// M57: the reporter is counted by a keyed hash and never named.
		*dst = parquet.ByteArrayValue(bytesOf(c.hashPII(s)))
		dst.SetDefinitionLevel(1) // present; see row for the column index
		return true
	}
	return c.fail(i, s, RuleType, "unsupported column kind "+col.Kind.String())
}

func (c *converter) fail(i int, s, rule, detail string) bool {
	if d, bad := c.badText(s); bad { // the cell did not convert because of a bad byte
		rule, detail = RuleEncoding, d
	}
	c.errs = append(c.errs, cellError{col: i, value: s, rule: rule, detail: detail, pii: c.t.Columns[i].Kind == safetyrisk.KindPII})
	return false
}

func (c *converter) inRange(i int, col *safetyrisk.Column, s string, v float64) bool {
	switch {
	case col.HasMin && v < col.Min:
		c.fail(i, s, RuleRange, "below the minimum "+strconv.FormatFloat(col.Min, 'f', -1, 64))
		return false
	case col.HasMax && v > col.Max:
		c.fail(i, s, RuleRange, "above the maximum "+strconv.FormatFloat(col.Max, 'f', -1, 64))
		return false
	}
	return true
}

// rawHit looks the cell raw up, as read (not trimmed nor folded), in the memo of the
// column's accepted spellings: a code, region, sector or yes/no column has few, and a
// hit costs neither normCell nor lookup. Only values that converted are kept, so a
// hit is the value cell would give; nil for a miss.
func (p *colPlan) rawHit(raw string) *memoEntry {
	if p.raw != nil && raw != "" {
		if e := &p.raw[memoSlot(raw)]; e.key == raw {
			return e
		}
	}
	return nil
}

// rawStore keeps raw's value v for rawHit (a copy of raw: a cell may share its memory
// with a block of lines), up to cacheLimit spellings a column.
func (c *converter) rawStore(i int, raw string, v parquet.Value) {
	if c.rawN[i] >= cacheLimit {
		return
	}
	c.rawN[i]++
	c.raw[i][memoSlot(raw)] = memoEntry{key: strings.Clone(raw), v: v}
}

// memoEntry is a spelling of a column and its code's value (null when unknown).
type memoEntry struct {
	key string
	v   parquet.Value
}

// memoSlots is the size of a column's direct-mapped memo, several times the number
// of spellings an enum, region or sector column usually has.
const (
	memoBits  = 8
	memoSlots = 1 << memoBits
)

// memoSlot picks s's slot from its length and its first and last bytes (the last
// byte of a Chinese character varies most): cheaper than the map's hash and compare.
func memoSlot(s string) int {
	n := len(s)
	h := uint64(n) | uint64(s[0])<<8 | uint64(s[n-1])<<16
	if n >= 2 {
		h |= uint64(s[n-2]) << 24
	}
	return int((h * 0x9E3779B97F4A7C15) >> (64 - memoBits)) // Fibonacci hashing
}

// lookup memoises f per column: enum, region and sector columns have few spellings.
// It returns the code as the column's value (leaf column leaf, definition level 1),
// ready to store. s is not empty.
func (c *converter) lookup(i int, s string, leaf int, f func(string) (string, bool)) (parquet.Value, bool) {
	memo := c.memo[i]
	if memo == nil {
		memo = make([]memoEntry, memoSlots)
		c.memo[i] = memo
	}
	slot := &memo[memoSlot(s)]
	if slot.key == s {
		return slot.v, !slot.v.IsNull()
	}
	m := c.cache[i]
	if e, ok := m[s]; ok {
		*slot = e
		return e.v, !e.v.IsNull()
	}
	code, ok := f(s)
	var v parquet.Value
	if ok {
		v = parquet.ByteArrayValue(bytesOf(code)).Level(0, 1, leaf)
	}
	if len(m) < cacheLimit {
		// s may share its memory with a whole block of lines (csvParser.text): the
		// memo keeps a copy.
		e := memoEntry{key: strings.Clone(s), v: v}
		m[e.key] = e
		*slot = e
	}
	return v, ok
}

// enumSet splits a list written with , ， 、 ; ； or / and returns its codes sorted,
// unique and joined by ",".
func enumSet(e *safetyrisk.Enum, s string) (string, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', '，', '、', ';', '；', '/':
			return true
		}
		return false
	})
	var codes []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		code, ok := e.Lookup(p)
		if !ok {
			return "", false
		}
		codes = append(codes, code)
	}
	if len(codes) == 0 {
		return "", false
	}
	slices.Sort(codes)
	return strings.Join(slices.Compact(codes), ","), true
}

// normPII folds an identity so that the same person hashes the same: width, spaces,
// dashes, case (a trailing x of an ID number).
func normPII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hashPII is the lower-case hex HMAC-SHA256 of an identity (M57).
func (c *converter) hashPII(s string) string {
	return macPII(c.mac, s)
}

// HashPII returns what the lake holds for the identity s under key: the lower-case hex
// HMAC-SHA256 of s with its width folded and its spaces and dashes removed, so that
// "139-1234-5678" and "13912345678" count as one reporter. Tests and the sample-data
// generator use it to find a reporter's hash.
func HashPII(key []byte, s string) string {
	return macPII(hmac.New(sha256.New, key), s)
}

func macPII(mac hash.Hash, s string) string {
	mac.Reset()
	mac.Write([]byte(normPII(normCell(s))))
	return hex.EncodeToString(mac.Sum(nil))
}

// rawJSON renders the source row as a JSON object of header -> cell, identities hashed.
func (c *converter) rawJSON(cells []string) string {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	first := true
	for j, h := range c.m.headers {
		if h == "" && (j >= len(cells) || cells[j] == "") {
			continue
		}
		v := ""
		if j < len(cells) {
			v = cells[j]
		}
		// In a table with identities, a cell under an unknown header may be one too.
		if c.m.piiSrc[j] || (c.pii && c.m.colOf[j] < 0) {
			if strings.TrimSpace(v) != "" {
				v = c.piiValue(v)
			}
		} else {
			v = clip(escapeInvalid(v), rawLimit)
		}
		b = appendJSONMember(b, first, h, v)
		first = false
	}
	for j := len(c.m.headers); j < len(cells); j++ {
		if cells[j] == "" {
			continue
		}
		v := clip(escapeInvalid(cells[j]), rawLimit)
		if c.pii || c.m.piiAny {
			v = c.piiValue(cells[j])
		}
		b = appendJSONMember(b, first, "_cell"+strconv.Itoa(j+1), v)
		first = false
	}
	return string(append(b, '}'))
}

// appendJSONMember appends `"key":"value"`, after a comma unless first.
func appendJSONMember(b []byte, first bool, key, value string) []byte {
	if !first {
		b = append(b, ',')
	}
	b = appendJSONString(b, key)
	b = append(b, ':')
	return appendJSONString(b, value)
}

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes it
// (quote, backslash, control characters, <, >, &, U+2028 and U+2029; an invalid byte
// as U+FFFD). rawJSON writes one per cell of every quarantined row, where
// json.Marshal's reflection and allocations showed in the profile.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += n
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += n
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// escapeInvalid writes each byte of s that is not UTF-8 as \xHH, so that an error
// message or a quarantine record shows it without storing it (a Parquet string must be
// UTF-8, or DuckDB refuses the whole file).
func escapeInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, "\\x%02X", s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// clip cuts s to at most n bytes at a character boundary, saying how long it was.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("…(%d bytes in all)", len(s))
}

// piiValue is what a quarantine record may show of an identity: its hash.
func (c *converter) piiValue(s string) string {
	if c.mac == nil {
		return redacted
	}
	return c.hashPII(s)
}

// keySet is an open-addressing set of 64-bit key hashes: a 5-million-row file's keys
// fit in 54 MB where a map of strings would take several times that. Two keys with the
// same 64-bit hash (odds about n²/2⁶⁵) would be taken for a duplicate. The table is
// sized to its keys, not to a power of two (a hash's home slot is its fraction of the
// table, home): the 3.4 million rows of a scale-50 hazards file take 36 MB, not 64.
type keySet struct {
	slots []uint64
	n     int
	sink  uint64 // what touch loaded, so that its loads are kept
}

// home is h's first slot in a table of n slots: the high half of h×n, uniform over
// [0, n) for a uniform h.
func home(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}

// touch loads the slots where the hashes hs (0 for none) begin their probes, before
// add probes them one by one: these loads do not depend on one another, so the
// processor overlaps their cache misses, where add's would wait for each in turn.
func (s *keySet) touch(hs []uint64) {
	if len(s.slots) == 0 {
		return
	}
	var x uint64
	for _, h := range hs {
		x += s.slots[home(h|1, len(s.slots))]
	}
	s.sink = x
}

// add adds h and reports whether it was new: one probe sequence, where has then add
// took two cache misses in a table of tens of megabytes.
func (s *keySet) add(h uint64) bool {
	if (s.n+1)*4 > len(s.slots)*3 {
		s.grow()
	}
	h |= 1 // 0 marks an empty slot
	for i := home(h, len(s.slots)); ; {
		switch s.slots[i] {
		case 0:
			s.slots[i] = h
			s.n++
			return true
		case h:
			return false
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
}

// reserve makes an empty set hold n keys without growing: at most three quarters of
// its slots full.
func (s *keySet) reserve(n int) {
	size := max(1024, ((n*4+2)/3+1023)/1024*1024) // ⌈4n/3⌉, rounded up to 1024 slots
	if s.n == 0 && size > len(s.slots) {
		s.slots = make([]uint64, size)
	}
}

func (s *keySet) grow() {
	old := s.slots
	size := 1024
	if len(old) > 0 {
		size = len(old) * 2
	}
	s.slots = make([]uint64, size)
	s.n = 0
	for _, h := range old {
		if h != 0 {
			s.add(h)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
