package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/queries"
	"github.com/safetyrisk/safetyrisk/transform"
)

// indicatorFlags are the flags shared by indicators, weights and explain.
type indicatorFlags struct {
	lake, config, profile *string
	asOf                  asOfFlags
}

func addIndicatorFlags(fs *flag.FlagSet) indicatorFlags {
	return indicatorFlags{
		lake:    fs.String("lake", "lake", "lake `directory`"),
		asOf:    addAsOfFlags(fs, "the windows end on"),
		config:  fs.String("config", "", "risk index and assessment configuration `file` (JSON; default: the built-in riskindex.json)"),
		profile: fs.String("profile", "", profileHelp),
	}
}

// queriesConfig turns the flags into a validated queries.Config. The as-of date is
// checked before the lake is looked at, so that a wrong date is a usage error
// whatever the lake; then against the lake's first year of data.
func (f indicatorFlags) queriesConfig(m *Main) (queries.Config, error) {
	cfg := queries.Config{Lake: *f.lake, Logger: m.Logger}
	var err error
	if cfg.Profile, err = lakeProfile(*f.lake, *f.profile); err != nil {
		return cfg, err
	}
	if cfg.AsOf, err = f.asOf.resolve(cfg.Profile, m.now()); err != nil {
		return cfg, err
	}
	if st, err := os.Stat(cfg.Lake); err != nil || !st.IsDir() {
		return cfg, fmt.Errorf("lake %s: not a directory (run 'safetyrisk ingest --lake %s ...' first, or pass --lake)", cfg.Lake, cfg.Lake)
	}
	if err := checkDataYears(cfg.Lake, "--as-of", cfg.AsOf); err != nil {
		return cfg, err
	}
	if cfg.RiskConfig, err = queries.LoadRiskConfig(*f.config); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// runIndicators computes the indicator catalogue as of a date, prints it and writes the
// snapshot lake/indicators/snapshot=<run_id>/ (atomically).
func (m *Main) runIndicators(ctx context.Context, args []string) error {
	fs := m.newFlagSet("indicators", "usage: safetyrisk indicators [--lake DIR] [--as-of YYYY-MM-DD] [--format table|csv|json] [--list] [--no-write] [--config FILE] [--indicator IDS]")
	f := addIndicatorFlags(fs)
	format := fs.String("format", "table", "output `format`: table, csv or json (one object per line)")
	list := fs.Bool("list", false, "list the SQL files and the indicators each computes, and exit")
	noWrite := fs.Bool("no-write", false, "print only; do not write a snapshot")
	only := fs.String("indicator", "", "print only these indicator `ids` (comma-separated); the snapshot keeps all")
	timings := fs.Bool("timings", false, "print each SQL file's time to stderr, slowest first")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *list {
		return m.listIndicatorFiles()
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usageError("--format %q: want table, csv or json", *format)
	}
	keep := map[string]bool{}
	if *only != "" {
		for _, id := range strings.Split(*only, ",") {
			id = strings.TrimSpace(id)
			if _, ok := safetyrisk.IndicatorByID(id); !ok {
				return usageError("--indicator %q: not in the catalogue (see --list)", id)
			}
			keep[id] = true
		}
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
	snap, err := eng.Compute(ctx, cfg.AsOf)
	if err != nil {
		return err
	}
	snap.RunID = lake.NewRunID(time.Now())
	if *timings {
		m.printTimings(eng.Timings)
	}
	shown := snap
	if len(keep) > 0 {
		c := *snap
		c.Values = nil
		for _, v := range snap.Values {
			if keep[v.Indicator] {
				c.Values = append(c.Values, v)
			}
		}
		shown = &c
	}
	switch *format {
	case "json":
		err = writeIndicatorsJSON(m.Stdout, shown)
	case "csv":
		err = writeIndicatorsCSV(m.Stdout, shown)
	default:
		var prev *safetyrisk.Snapshot
		// year on year: the same windows a year earlier (ytd against the same period last year)
		lastYear := cfg.AsOf.AddDate(-1, 0, 0)
		if lastYear.Month() != cfg.AsOf.Month() { // 29 February: the 28th a year before
			lastYear = lastYear.AddDate(0, 0, -lastYear.Day())
		}
		if prev, err = eng.Compute(ctx, lastYear); err != nil {
			return err
		}
		err = writeIndicatorsTable(m.Stdout, cfg.Profile, shown, snap, prev)
	}
	if err != nil {
		return err
	}
	if *noWrite {
		return nil
	}
	if err := lake.WriteSnapshot(cfg.Lake, snap); err != nil {
		return err
	}
	m.Logger.Info("snapshot written", "run_id", snap.RunID, "as_of", cfg.AsOf.Format(time.DateOnly),
		"values", len(snap.Values), "assessments", len(snap.Assessments))
	// The catalog's indicators and assessment views point at the newest snapshot.
	if err := transform.BuildCatalog(ctx, cfg.Lake); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	return nil
}

func (m *Main) listIndicatorFiles() error {
	files, err := queries.Files()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tfamily\tindicators")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Family, strings.Join(f.IDs, ", "))
	}
	fmt.Fprintf(tw, "%s\t%s\t%s\n", "(Go: queries/riskindex.go)", "risk index and assessment from riskindex.json", strings.Join(queries.DerivedIDs(), ", "))
	return tw.Flush()
}

func formatValue(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }

// writeIndicatorsJSON writes one object per line: indicator, region, sector, window,
// dim_value and, when the indicator has a breakdown, its label (e.g. "grade": "large"),
// as_of, value.
func writeIndicatorsJSON(w io.Writer, s *safetyrisk.Snapshot) error {
	dims := map[string]string{}
	for _, in := range safetyrisk.Catalogue() {
		dims[in.ID] = in.Dim
	}
	keys := map[string][]byte{} // each key as JSON, marshalled once
	bw := bufio.NewWriter(w)    // a line is one write, not one system call
	var b []byte
	for _, v := range s.Values {
		b = append(b[:0], '{')
		field := func(k string, val any) {
			kb, ok := keys[k]
			if !ok {
				kb, _ = json.Marshal(k)
				keys[k] = kb
			}
			vb, _ := json.Marshal(val)
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = append(b, kb...)
			b = append(b, ':')
			b = append(b, vb...)
		}
		field("indicator", v.Indicator)
		field("region", v.Region)
		field("sector", v.Sector)
		field("window", v.Window)
		field("dim_value", v.DimValue)
		if d := dims[v.Indicator]; d != "" {
			field(d, v.DimValue)
		}
		field("as_of", v.AsOf.Format(time.DateOnly))
		field("value", v.Value)
		b = append(b, '}', '\n')
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func writeIndicatorsCSV(w io.Writer, s *safetyrisk.Snapshot) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"indicator", "region", "sector", "window", "dim_value", "as_of", "value"})
	for _, v := range s.Values {
		cw.Write([]string{v.Indicator, v.Region, v.Sector, v.Window, v.DimValue, v.AsOf.Format(time.DateOnly), formatValue(v.Value)})
	}
	cw.Flush()
	return cw.Error()
}

var windowNames = map[string]string{"month": "本月", "quarter": "本季", "ytd": "本年累计", "12m": "近12个月", "as_of": "截至统计日"}

// writeIndicatorsTable prints the values shown for people (Chinese names), then year on
// year accidents and deaths of s against prev, then the assessments.
func writeIndicatorsTable(w io.Writer, p *safetyrisk.Profile, shown, s, prev *safetyrisk.Snapshot) error {
	names := map[string]safetyrisk.Indicator{}
	for _, in := range safetyrisk.Catalogue() {
		names[in.ID] = in
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "截至 %s\n", s.AsOf.Format(time.DateOnly))
	fmt.Fprintln(tw, "指标\tindicator\t地区\t行业\t窗口\t分项\t值")
	for _, v := range shown.Values {
		in := names[v.Indicator]
		dim := v.DimValue
		if in.DimEnum != nil && in.DimEnum.NameOf(dim) != "" {
			dim = in.DimEnum.NameOf(dim)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", in.Name, v.Indicator, p.RegionName(v.Region), p.SectorName(v.Sector),
			windowNames[v.Window], dim, formatValue(v.Value))
	}
	fmt.Fprintln(tw)
	// Year on year (same period last year), sums of records of both years.
	sum := func(s *safetyrisk.Snapshot, id, region, win string) float64 {
		t := 0.0
		for _, v := range s.Values {
			if v.Indicator == id && v.Region == region && v.Sector == safetyrisk.AllSectors && v.Window == win {
				t += v.Value
			}
		}
		return t
	}
	fmt.Fprintf(tw, "同比(本年累计, 上年同期截至 %s)\n", prev.AsOf.Format(time.DateOnly))
	fmt.Fprintln(tw, "地区\t事故起数\t上年同期\t增减\t死亡人数\t上年同期\t增减")
	regions := []string{p.City.Code}
	for _, r := range p.Regions {
		regions = append(regions, r.Code)
	}
	for _, r := range regions {
		a, a0 := sum(s, "accidents", r, "ytd"), sum(prev, "accidents", r, "ytd")
		d, d0 := sum(s, "deaths", r, "ytd"), sum(prev, "deaths", r, "ytd")
		fmt.Fprintf(tw, "%s\t%g\t%g\t%s\t%g\t%g\t%s\n", p.RegionName(r), a, a0, change(a, a0), d, d0, change(d, d0))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "年度考核\t地区\t行业\t得分\t等次\t一票否决\t原因")
	for _, a := range s.Assessments {
		veto := ""
		if a.Veto {
			veto = "是"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%s\t%s\n", a.Year, p.RegionName(a.Region), p.SectorName(a.Sector), a.Score, a.Grade, veto, a.Reason)
	}
	return tw.Flush()
}

// change is the year-on-year change in words: +n (+x%), or "-" without a base.
func change(now, before float64) string {
	d := now - before
	if before == 0 {
		if d == 0 {
			return "持平"
		}
		return fmt.Sprintf("%+g", d)
	}
	return fmt.Sprintf("%+g (%+.1f%%)", d, 100*d/before)
}

// printTimings prints the time of each SQL file of the last computation, slowest first.
func (m *Main) printTimings(t map[string]time.Duration) {
	names := make([]string, 0, len(t))
	var total time.Duration
	for n, d := range t {
		names = append(names, n)
		total += d
	}
	sort.Slice(names, func(i, j int) bool { return t[names[i]] > t[names[j]] })
	for _, n := range names {
		fmt.Fprintf(m.Stderr, "%-24s %8.3fs\n", n, t[n].Seconds())
	}
	fmt.Fprintf(m.Stderr, "%-24s %8.3fs\n", "total", total.Seconds())
}
