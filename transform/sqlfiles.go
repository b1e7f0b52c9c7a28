package transform

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// queries holds the parsed SQL templates of sql/*.sql. Templates only ever receive
// identifiers from the root package's definitions and paths built from the lake path;
// values are bound as arguments.
type queries struct {
	t *template.Template
}

func loadQueries() (*queries, error) {
	t, err := template.New("sql").Funcs(template.FuncMap{"ident": ident}).ParseFS(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("parse sql: %w", err)
	}
	return &queries{t: t}, nil
}

// render executes the template sql/<name>.sql with data.
func (q *queries) render(name string, data any) (string, error) {
	var b strings.Builder
	if err := q.t.ExecuteTemplate(&b, name+".sql", data); err != nil {
		return "", fmt.Errorf("render %s.sql: %w", name, err)
	}
	return b.String(), nil
}
