package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// File is one embedded SQL file: a family of indicators.
type File struct {
	Name   string   // file name, e.g. "hazards.sql"
	Family string   // the header's family line
	IDs    []string // the indicator ids it computes (the header's ids line)
	Header string   // the opening comment, without the comment markers
	Params []string // the named parameters it uses ($as_of, ...), sorted
	SQL    string   // the whole file
	// Records are its "-- records <id>:" blocks, in order: the records explain shows
	// behind each indicator's number.
	Records []RecordsBlock
}

// RecordsBlock is a header's "-- records <id>: <source> [by <dim>] [where <predicate>]"
// block (docs/queries.md), the predicate continued on "--   " lines.
type RecordsBlock struct {
	ID     string
	Source string // a name of recordSources, or veto_events or components (Go-derived ids)
	By     string // the column (or actions, overdue_over) a breakdown value is compared with
	Where  string // the records the indicator counts ("" all of the source's)
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// Files lists the embedded SQL files in name order, with their headers. A file without a
// header (family, ids, measures, unit, worse, M, params lines) is an error. The files
// are parsed once (explain and records look a file up on every call); each call gets
// its own list, whose files share their slices: read them, do not change them.
func Files() ([]File, error) {
	files, err := parsedFiles()
	return slices.Clone(files), err
}

var parsedFiles = sync.OnceValues(parseFiles)

func parseFiles() ([]File, error) {
	entries, err := fs.ReadDir(sqlFS, "sql")
	if err != nil {
		return nil, fmt.Errorf("sql files: %w", err)
	}
	var out []File
	for _, e := range entries {
		b, err := sqlFS.ReadFile("sql/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("sql file %s: %w", e.Name(), err)
		}
		f, err := parseFile(e.Name(), string(b))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// headerKeys must each open a line of every file's header.
var headerKeys = []string{"family", "ids", "measures", "unit", "worse", "M", "params"}

func parseFile(name, text string) (File, error) {
	f := File{Name: name, SQL: text}
	var hdr []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "--") {
			break
		}
		hdr = append(hdr, strings.TrimPrefix(strings.TrimPrefix(line, "--"), " "))
	}
	f.Header = strings.Join(hdr, "\n")
	found := map[string]string{}
	var keys []string
	last := ""
	for _, l := range hdr {
		if strings.HasPrefix(l, " ") && last != "" { // a continuation line
			found[last] += " " + strings.TrimSpace(l)
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			if _, dup := found[k]; dup {
				return File{}, fmt.Errorf("sql file %s: header has two %q lines", name, k)
			}
			found[k], last = strings.TrimSpace(v), k
			keys = append(keys, k)
		}
	}
	for _, k := range headerKeys {
		if _, ok := found[k]; !ok {
			return File{}, fmt.Errorf("sql file %s: header has no %q line", name, k)
		}
	}
	f.Family = found["family"]
	ids := found["ids"]
	if i := strings.Index(ids, "("); i >= 0 {
		ids = ids[:i]
	}
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); id != "" {
			f.IDs = append(f.IDs, id)
		}
	}
	seen := map[string]bool{}
	body := strings.Join(strings.Split(text, "\n")[len(hdr):], "\n")
	for _, m := range paramRE.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			f.Params = append(f.Params, m[1])
		}
	}
	sort.Strings(f.Params)
	for _, p := range f.Params {
		if !strings.Contains(found["params"], "$"+p) {
			return File{}, fmt.Errorf("sql file %s: parameter $%s is not documented in the header", name, p)
		}
	}
	for _, k := range keys {
		id, ok := strings.CutPrefix(k, "records ")
		if !ok {
			continue
		}
		b, err := parseRecords(strings.TrimSpace(id), found[k], f.IDs)
		if err != nil {
			return File{}, fmt.Errorf("sql file %s: records %s: %w", name, id, err)
		}
		f.Records = append(f.Records, b)
	}
	return f, nil
}

// parseRecords parses a records block's text: a source, then optionally "by <dim>", then
// optionally "where <predicate>". ids are the ids the file computes: a block names one
// of them, or an id computed in Go with a special source.
func parseRecords(id, text string, ids []string) (RecordsBlock, error) {
	b := RecordsBlock{ID: id}
	b.Source, text, _ = strings.Cut(text, " ")
	if by, ok := strings.CutPrefix(text, "by "); ok {
		b.By, text, _ = strings.Cut(by, " ")
	}
	if where, ok := strings.CutPrefix(text, "where "); ok {
		b.Where, text = strings.TrimSpace(where), ""
	}
	switch {
	case text != "":
		return b, fmt.Errorf("%q: want <source> [by <dim>] [where <predicate>]", text)
	case b.Source == recordsVetoEvents || b.Source == recordsComponents:
		if !slices.Contains(DerivedIDs(), id) {
			return b, fmt.Errorf("source %s is for the indicators computed in Go (%s) only", b.Source, strings.Join(DerivedIDs(), ", "))
		}
		if b.By != "" || b.Where != "" {
			return b, fmt.Errorf("source %s takes no by or where", b.Source)
		}
		return b, nil
	case !slices.Contains(ids, id):
		return b, fmt.Errorf("the file does not compute %s (its ids line)", id)
	}
	if _, ok := recordSources[b.Source]; !ok {
		return b, fmt.Errorf("unknown record source %q", b.Source)
	}
	for _, m := range paramRE.FindAllStringSubmatch(b.Where, -1) {
		if !slices.Contains(recordParams, m[1]) {
			return b, fmt.Errorf("parameter $%s: a records block may use only $%s", m[1], strings.Join(recordParams, ", $"))
		}
	}
	return b, nil
}

// RecordsFor returns the records block of an indicator id.
func RecordsFor(id string) (RecordsBlock, bool, error) {
	files, err := Files()
	if err != nil {
		return RecordsBlock{}, false, err
	}
	for _, f := range files {
		for _, b := range f.Records {
			if b.ID == id {
				return b, true, nil
			}
		}
	}
	return RecordsBlock{}, false, nil
}

// FileFor returns the file that computes an indicator id.
func FileFor(id string) (File, bool, error) {
	files, err := Files()
	if err != nil {
		return File{}, false, err
	}
	for _, f := range files {
		for _, x := range f.IDs {
			if x == id {
				return f, true, nil
			}
		}
	}
	return File{}, false, nil
}
