package report

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"

	"github.com/safetyrisk/safetyrisk/lake"
)

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
	"sub": func(a, b int) int { return a - b },
	"pct": pct,
	"vetoed": func(rows []RankRow) []RankRow {
		var out []RankRow
		for _, r := range rows {
			if r.Veto {
				out = append(out, r)
			}
		}
		return out
	},
}).ParseFS(templateFS, "templates/report.html.tmpl"))

// Build reads the snapshot and the lake and returns the report's content.
func Build(ctx context.Context, opt Options) (*Report, error) {
	d, err := gather(ctx, opt)
	if err != nil {
		return nil, err
	}
	r := build(d)
	if err := charts(r, d); err != nil {
		return nil, err
	}
	return r, nil
}

// WriteHTML renders the report as one self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, r); err != nil {
		return fmt.Errorf("render report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteFile renders the report to path atomically (a temporary file renamed into place).
func (r *Report) WriteFile(path string) error {
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		return err
	}
	if err := lake.WriteFileAtomic(path, b.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
