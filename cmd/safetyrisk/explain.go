package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

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
	in, ok := safetyrisk.IndicatorByID(id)
	if !ok {
		return usageError("unknown indicator %q (see 'safetyrisk indicators --list')", id)
	}
	if !slices.Contains(safetyrisk.Windows, *window) {
		return usageError("--window %q: want one of %s", *window, strings.Join(safetyrisk.Windows, ", "))
	}
	if *limit < 1 {
		return usageError("--limit %d: want at least 1", *limit)
	}
	profile, err := safetyrisk.LoadProfile(*f.profile)
	if err != nil {
		return err
	}
	reg := profile.City.Code
	if *region != "" && *region != reg && *region != profile.City.Name && *region != profile.City.Short {
		if reg, ok = profile.RegionCode(*region); !ok {
			return usageError("--region %q: not a region of %s", *region, profile.City.Name)
		}
	}
	sec := safetyrisk.AllSectors
	if *sector != safetyrisk.AllSectors {
		if sec, ok = profile.SectorCode(*sector); !ok {
			return usageError("--sector %q: not a sector of the profile", *sector)
		}
	}
	if reg != profile.City.Code && sec != safetyrisk.AllSectors {
		return usageError("a region is broken down by sector only for the city: use --region or --sector, not both")
	}
	cfg, err := f.queriesConfig(m)
	if err != nil {
		return err
	}

	w := m.Stdout
	fmt.Fprintf(w, "%s  %s  (%s)\n", in.ID, in.Name, in.Metric)
	fmt.Fprintf(w, "  %s\n  unit %s, worse %s, breakdown %q, measures %s\n\n", in.Help, in.Unit, in.Dir, in.Dim, in.Measures)
	file, found, err := queries.FileFor(id)
	if err != nil {
		return err
	}
	if found {
		fmt.Fprintf(w, "== %s ==\n%s\n", file.Name, file.SQL)
	} else {
		fmt.Fprintf(w, "== computed in Go (queries/riskindex.go) from the configuration ==\n\n")
	}

	eng, err := queries.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	snap, err := eng.Compute(ctx, cfg.AsOf)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== values: %s, %s, as of %s ==\n", cfg.Profile.RegionName(reg), cfg.Profile.SectorName(sec), cfg.AsOf.Format("2006-01-02"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "window\tdim\tvalue")
	n := 0
	for _, v := range snap.Values {
		if v.Indicator == id && v.Region == reg && v.Sector == sec {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Window, v.DimValue, formatValue(v.Value))
			n++
		}
	}
	if n == 0 {
		fmt.Fprintln(tw, "(no row: no denominator, or not broken down this way)")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	switch id {
	case "risk_index", "risk_band", "assessment_score", "assessment_grade":
		t, err := cfg.RiskConfig.Components(cfg.Profile, snap.Values, id, reg, sec, *window)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "== components (window %s for the index; the assessment uses its configured window) ==\n", *window)
		if err := printTable(w, t); err != nil {
			return err
		}
		for _, a := range snap.Assessments {
			if a.Region == reg && a.Sector == sec && strings.HasPrefix(id, "assessment") {
				fmt.Fprintf(w, "\n%d 年度考核: 得分 %.2f, 等次 %s. %s\n", a.Year, a.Score, a.Grade, a.Reason)
			}
		}
		if id != "assessment_grade" {
			return nil
		}
	}
	t, err := eng.Records(ctx, id, reg, sec, *window, *dim, cfg.AsOf, *limit)
	if err != nil {
		return err
	}
	scope := *window
	if *dim != "" {
		scope += ", " + *dim
	}
	if in.State {
		// a state: every record in it at as_of, whenever found, with its ages (issue 11)
		fmt.Fprintf(w, "\n== records in the state at %s, whenever found, with their ages in days (a state has no window) ==\n", cfg.AsOf.Format("2006-01-02"))
	} else {
		fmt.Fprintf(w, "\n== records counted (window %s; for a ratio, its denominator's candidates) ==\n", scope)
	}
	return printTable(w, t)
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
