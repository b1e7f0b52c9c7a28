package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
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
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// Files lists the embedded SQL files in name order, with their headers. A file without a
// header (family, ids, measures, unit, worse, M, params lines) is an error.
func Files() ([]File, error) {
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
	last := ""
	for _, l := range hdr {
		if strings.HasPrefix(l, " ") && last != "" { // a continuation line
			found[last] += " " + strings.TrimSpace(l)
			continue
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			found[k], last = strings.TrimSpace(v), k
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
	return f, nil
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
