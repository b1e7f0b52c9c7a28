package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/lake"
)

// runBackfill writes the indicator series as of each past month end in OpenMetrics, for
// `promtool tsdb create-blocks-from openmetrics`.
func (m *Main) runBackfill(ctx context.Context, args []string) error {
	fs := m.newFlagSet("backfill", "usage: safetyrisk backfill --lake DIR --from YYYY-MM --to YYYY-MM [--out FILE] [--max-months N] [--allow-future]")
	lakeDir := fs.String("lake", "lake", "the lake directory")
	profilePath := fs.String("profile", "", profileHelp)
	from := fs.String("from", "", "first month, YYYY-MM (required); not before the lake's first year of data")
	to := fs.String("to", "", "last month, YYYY-MM (required); a month that is over, unless --allow-future")
	out := fs.String("out", "", "output file (default: standard output)")
	maxMonths := fs.Int("max-months", exporter.DefaultMaxMonths, "refuse a span of more `months` than this")
	allowFuture := fs.Bool("allow-future", false, "accept a month that is not over yet (at most a year ahead); its samples make Prometheus drop real history")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *from == "" || *to == "" {
		fs.Usage()
		return errUsage
	}
	fromM, err := time.Parse("2006-01", *from)
	if err != nil {
		return usageError("--from %q: want YYYY-MM", *from)
	}
	toM, err := time.Parse("2006-01", *to)
	if err != nil {
		return usageError("--to %q: want YYYY-MM", *to)
	}
	if *maxMonths < 1 {
		return usageError("--max-months %d: want at least 1", *maxMonths)
	}
	profile, err := lakeProfile(*lakeDir, *profilePath)
	if err != nil {
		return err
	}
	cfg := exporter.BackfillConfig{Profile: profile, From: fromM, To: toM, Now: m.now(), AllowFuture: *allowFuture, MaxMonths: *maxMonths}
	// The source is set below; a stand-in lets the months be checked before the lake.
	cfg.Source = func(context.Context, time.Time) (*safetyrisk.Snapshot, error) { return nil, errUsage }
	if err := cfg.Validate(); err != nil {
		return usageError("%w", err)
	}
	// A missing lake, or one never transformed, would give every series as zero.
	if st, err := os.Stat(*lakeDir); err != nil || !st.IsDir() {
		return fmt.Errorf("lake %s: not a directory (pass --lake)", *lakeDir)
	}
	if cfg.FirstYear, _, err = lake.DataYears(*lakeDir); err != nil {
		return fmt.Errorf("nothing to backfill: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return usageError("%w", err)
	}
	src, closeSrc, err := m.indicatorSource(ctx, *lakeDir, profile)
	if err != nil {
		return fmt.Errorf("indicator source: %w", err)
	}
	defer func() {
		if err := closeSrc(); err != nil {
			m.Logger.Warn("indicator source not closed cleanly", "err", err)
		}
	}()
	cfg.Source = src

	start := time.Now()
	var stats exporter.BackfillStats
	if *out == "" {
		w := bufio.NewWriter(m.Stdout)
		if stats, err = exporter.Backfill(ctx, w, cfg); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
	} else if err := lake.WriteStream(*out, func(w io.Writer) error {
		stats, err = exporter.Backfill(ctx, w, cfg)
		return err
	}); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	m.Logger.Info("backfill written", "months", stats.Months, "families", stats.Families, "series", stats.Series,
		"samples", stats.Samples, "out", *out, "duration", time.Since(start).Round(time.Millisecond))
	for reason, n := range stats.Skipped {
		m.Logger.Warn("backfill values outside the catalogue or profile, not written", "reason", reason, "values", n)
	}
	return nil
}
