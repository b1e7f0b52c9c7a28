package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/queries"
)

// runExplain shows an indicator's definition (catalogue entry and SQL header), its SQL,
// its values for a region or sector, and the records behind the number.
func (m *Main) runExplain(ctx context.Context, args []string) error {
	fs := m.newFlagSet("explain", "usage: safetyrisk explain INDICATOR [--region R] [--sector S] [--window W] [--dim V] [--as-of YYYY-MM-DD] [--lake DIR]")
	f := addIndicatorFlags(fs)
	region := fs.String("region", "", "region code or name (default: the city)")
	sector := fs.String("sector", "all", "sector code or name, or all")
	window := fs.String("window", "12m", "window of the records shown: month, quarter, ytd or 12m")
	dim := fs.String("dim", "", "breakdown `value` of the records shown (e.g. large for accidents, major for hazards)")
	limit := fs.Int("limit", 50, "at most this many `records`")
	// the indicator may come before or after the flags
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 || id == "" {
		fs.Usage()
		return errUsage
	}
	if *limit < 1 {
		return usageError("--limit %d: want at least 1", *limit)
	}
	if _, err := queries.KnownIndicator(id); err != nil { // before the engine is opened
		return usageError("%v", err)
	}
	cfg, err := f.queriesConfig(m)
	if err != nil {
		return err
	}
	eng, err := queries.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	ex, err := eng.Explain(ctx, queries.ExplainRequest{ID: id, Region: *region, Sector: *sector,
		Window: *window, Dim: *dim, AsOf: cfg.AsOf, Limit: *limit})
	if errors.Is(err, queries.ErrScope) {
		return usageError("%v", err)
	}
	if err != nil {
		return err
	}
	return printExplanation(m.Stdout, ex, cfg.Profile, *window, *dim)
}

// printExplanation prints an explanation: the definition and SQL, the values, the
// components of the index and the assessment, and the records.
func printExplanation(w io.Writer, ex *queries.Explanation, p *safetyrisk.Profile, window, dim string) error {
	in := ex.Indicator
	fmt.Fprintf(w, "%s  %s  (%s)\n", in.ID, in.Name, in.Metric)
	fmt.Fprintf(w, "  %s\n  unit %s, worse %s, breakdown %q, measures %s\n\n", in.Help, in.Unit, in.Dir, in.Dim, in.Measures)
	if ex.File != nil {
		fmt.Fprintf(w, "== %s ==\n%s\n", ex.File.Name, ex.File.SQL)
	} else {
		fmt.Fprintf(w, "== computed in Go (queries/riskindex.go) from the configuration ==\n\n")
	}
	fmt.Fprintf(w, "== values: %s, %s, as of %s ==\n", p.RegionName(ex.Region), p.SectorName(ex.Sector), ex.AsOf.Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "window\tdim\tvalue")
	for _, v := range ex.Values {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Window, v.DimValue, formatValue(v.Value))
	}
	if len(ex.Values) == 0 {
		fmt.Fprintln(tw, "(no row: no denominator, or not broken down this way)")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if ex.Components != nil {
		fmt.Fprintf(w, "== components (window %s for the index; the assessment uses its configured window) ==\n", window)
		if err := printTable(w, ex.Components); err != nil {
			return err
		}
		for _, a := range ex.Assessments {
			fmt.Fprintf(w, "\n%d 年度考核: 得分 %.2f, 等次 %s. %s\n", a.Year, a.Score, a.Grade, a.Reason)
		}
	}
	if ex.Records == nil {
		return nil
	}
	scope := window
	if dim != "" {
		scope += ", " + dim
	}
	if ex.State {
		// a state: every record in it at as_of, whenever found, with its ages (issue 11)
		fmt.Fprintf(w, "\n== records in the state at %s, whenever found, with their ages in days (a state has no window) ==\n", ex.AsOf.Format(time.DateOnly))
	} else {
		fmt.Fprintf(w, "\n== records counted (window %s; for a ratio, its denominator's candidates) ==\n", scope)
	}
	return printTable(w, ex.Records)
}

func printTable(w io.Writer, t *queries.Table) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.Columns, "\t"))
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if len(t.Rows) == 0 {
		fmt.Fprintln(tw, "(none)")
	}
	return tw.Flush()
}
