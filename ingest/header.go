package ingest

import (
	"fmt"
	"strings"

	"github.com/safetyrisk/safetyrisk"
)

// maxTitleRows is how far down a sheet the header row is looked for; the rows above
// it are titles ("某市2022年隐患排查治理台账"), dates of issue and the like.
const maxTitleRows = 30

// mapping ties the cells of a source to the columns of its table.
type mapping struct {
	table   *safetyrisk.Table
	headers []string  // source headers, as written
	colOf   []int     // table column of each source cell, -1 when the header is unknown
	scaleOf []float64 // numeric scale of each source cell (万元 headers: 10000)
	srcOf   []int     // source cell of each table column, -1 when absent
	unknown []string  // headers that name no column (ignored, logged)
	piiSrc  []bool    // each source cell holds a reporter identity (M57)
	piiAny  bool      // some source cell does
	assumed []string  // warnings: headers read with a unit they do not state
}

// headerMatches counts the cells of a record that name a column of t, and whether
// every key column is among them.
func headerMatches(t *safetyrisk.Table, cells []string) (n int, keys bool) {
	seen := make([]bool, len(t.Columns))
	for _, h := range cells {
		if i, _ := t.MatchHeader(h); i >= 0 && !seen[i] {
			seen[i] = true
			n++
		}
	}
	keys = true
	for _, k := range t.Key {
		if !seen[t.Index(k)] {
			keys = false
		}
	}
	return n, keys
}

// headerTable decides whether cells are the header row: of table t when given, else of
// the table DetectTable picks. A header has every key column and at least two
// matching cells (one for a one-column table).
func headerTable(t *safetyrisk.Table, cells []string) *safetyrisk.Table {
	if t == nil {
		if t = safetyrisk.DetectTable(cells); t == nil {
			return nil
		}
	}
	n, keys := headerMatches(t, cells)
	if !keys || n < min(2, len(t.Columns)) {
		return nil
	}
	return t
}

func newMapping(t *safetyrisk.Table) *mapping {
	m := &mapping{table: t, srcOf: make([]int, len(t.Columns))}
	for i := range m.srcOf {
		m.srcOf[i] = -1
	}
	return m
}

// extend maps the source headers beyond those already mapped. Two headers that name
// the same column make the file ambiguous, so it is refused.
func (m *mapping) extend(headers []string) error {
	for j := len(m.headers); j < len(headers); j++ {
		h := strings.TrimSpace(headers[j])
		m.headers = append(m.headers, h)
		i, a := m.table.MatchHeaderAlias(h)
		m.colOf = append(m.colOf, i)
		m.scaleOf = append(m.scaleOf, a.Scale)
		pii := (i >= 0 && m.table.Columns[i].Kind == safetyrisk.KindPII) || (i < 0 && piiHeader(h))
		m.piiSrc = append(m.piiSrc, pii)
		m.piiAny = m.piiAny || pii
		if a.Assumed != "" {
			m.assumed = append(m.assumed, fmt.Sprintf("header %q states no unit: its values are read as %s", h, a.Assumed))
		}
		if i < 0 {
			if h != "" {
				m.unknown = append(m.unknown, h)
			}
			continue
		}
		if prev := m.srcOf[i]; prev >= 0 {
			return fmt.Errorf("headers %q and %q both name column %s", m.headers[prev], h, m.table.Columns[i].Name)
		}
		m.srcOf[i] = j
	}
	return nil
}

// missingRequired lists the required columns that no header names.
func (m *mapping) missingRequired() []string {
	var out []string
	for i, c := range m.table.Columns {
		if c.Required && m.srcOf[i] < 0 {
			out = append(out, c.Name+" ("+c.Header+")")
		}
	}
	return out
}

// hasPII lists the source headers that hold a reporter identity: the identity
// columns of the table, and in any table a header that names one (M57).
func (m *mapping) hasPII() []string {
	var out []string
	for j, p := range m.piiSrc {
		if p {
			out = append(out, m.headers[j])
		}
	}
	return out
}

// piiHeaders are the folded spellings of every header that names a reporter identity:
// the canonical names, Chinese headers and aliases of the identity columns.
var piiHeaders = func() map[string]bool {
	out := map[string]bool{}
	for _, t := range safetyrisk.Tables() {
		for _, c := range t.Columns {
			if c.Kind != safetyrisk.KindPII {
				continue
			}
			out[safetyrisk.FoldKey(c.Name)] = true
			out[safetyrisk.FoldKey(c.Header)] = true
			for _, a := range c.Aliases {
				out[safetyrisk.FoldKey(a.Header)] = true
			}
		}
	}
	return out
}()

// piiHeader reports whether a header of a file of any table names a reporter
// identity: one of piiHeaders, or any header about the reporter (举报人...). Such a
// column is hashed wherever its cells would be kept, or the file is refused without
// a key (M57).
func piiHeader(h string) bool {
	k := safetyrisk.FoldKey(h)
	return piiHeaders[k] || strings.Contains(k, "举报人") || strings.Contains(k, "reporter")
}

// mentionsPII reports whether a record's text names an identity header (a JSON
// element with such a key): its raw text is then never kept.
func mentionsPII(raw string) bool {
	if strings.Contains(raw, "举报人") {
		return true
	}
	k := safetyrisk.FoldKey(raw)
	for h := range piiHeaders {
		if strings.Contains(k, h) {
			return true
		}
	}
	return strings.Contains(k, "reporter")
}

// clone copies the mapping for another converter.
func (m *mapping) clone() *mapping {
	c := *m
	c.headers = append([]string(nil), m.headers...)
	c.colOf = append([]int(nil), m.colOf...)
	c.scaleOf = append([]float64(nil), m.scaleOf...)
	c.srcOf = append([]int(nil), m.srcOf...)
	c.piiSrc = append([]bool(nil), m.piiSrc...)
	c.assumed = append([]string(nil), m.assumed...)
	return &c
}
