package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/queries"
	"github.com/safetyrisk/safetyrisk/report"
)

// runReport writes the monthly briefing 安全生产形势分析 as one HTML file, and a PDF
// with headless Chromium when asked and installed.
func (m *Main) runReport(ctx context.Context, args []string) error {
	fs := m.newFlagSet("report", "usage: safetyrisk report --lake DIR [--month YYYY-MM] [--region CODE] --out FILE.html [--pdf FILE.pdf] [--targets FILE]")
	lake := fs.String("lake", "lake", "lake `directory`")
	monthFlag := fs.String("month", "", "the report's `month` (YYYY-MM); default: the month of the newest snapshot")
	region := fs.String("region", "", "a region's report (`code` or name); default: the whole city")
	out := fs.String("out", "", "the HTML `file` to write")
	pdf := fs.String("pdf", "", "also print the report to this PDF `file` with headless chromium")
	targets := fs.String("targets", "", "annual control targets and finding thresholds `file` (JSON; default: the built-in targets.json)")
	config := fs.String("config", "", "risk index configuration `file` (JSON; used when the month has no snapshot)")
	profilePath := fs.String("profile", "", profileHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *out == "" {
		fs.Usage()
		return errUsage
	}
	if st, err := os.Stat(*lake); err != nil || !st.IsDir() {
		return fmt.Errorf("lake %s: not a directory (run 'safetyrisk run --lake %s ...' first, or pass --lake)", *lake, *lake)
	}
	opt := report.Options{Lake: *lake, Region: *region, Logger: m.Logger}
	if *monthFlag != "" {
		t, err := time.Parse("2006-01", *monthFlag)
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("--month %q: want YYYY-MM", *monthFlag)}
		}
		opt.Month = t
	}
	var err error
	if opt.Profile, err = lakeProfile(*lake, *profilePath); err != nil {
		return err
	}
	if opt.RiskConfig, err = queries.LoadRiskConfig(*config); err != nil {
		return err
	}
	if opt.Targets, err = report.LoadTargets(*targets); err != nil {
		return err
	}
	start := time.Now()
	r, err := report.Build(ctx, opt)
	if err != nil {
		return err
	}
	if err := r.WriteFile(*out); err != nil {
		return err
	}
	m.Logger.Info("report written", "file", *out, "month", r.MonthLabel, "as_of", r.AsOf, "snapshot", r.RunID,
		"findings", len(r.Findings), "duration", time.Since(start).Round(time.Millisecond))
	if *pdf == "" {
		return nil
	}
	chromium, err := report.FindChromium()
	if errors.Is(err, report.ErrNoBrowser) {
		return fmt.Errorf("--pdf %s: %w (the HTML %s is written)", *pdf, err, *out)
	}
	if err := report.PrintPDF(ctx, chromium, *out, *pdf); err != nil {
		return err
	}
	m.Logger.Info("pdf written", "file", *pdf)
	return nil
}

// reportRoute is serve's /report: the newest month's briefing of the lake, behind the
// server's TLS and auth, linked from the landing page.
func (m *Main) reportRoute(lake string, p *safetyrisk.Profile) exporter.Route {
	return exporter.Route{Path: "/report", Text: "安全生产形势分析",
		Description: "the monthly briefing of the newest snapshot's month (HTML, printable on A4)",
		Handler:     report.NewHandler(report.Options{Lake: lake, Profile: p, Logger: m.Logger})}
}
