package main

import (
	"context"
	"fmt"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/sampledata"
)

// runGenerate writes realistic, deterministic sample data (issue 3).
func (m *Main) runGenerate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("generate", "usage: safetyrisk generate --out DIR [--profile FILE] [--seed N] [--scale F] [--from DATE] [--to DATE] [--format csv|json|xlsx] [--dirty RATE]")
	out := fs.String("out", "", "output folder (required); the truth files go to OUT/"+sampledata.TruthDir)
	seed := fs.Uint64("seed", sampledata.DefaultSeed, "random seed: the same seed gives byte-identical files")
	scale := fs.Float64("scale", 1, "size: 1 is one mid-sized city (about 70k hazards a year), 50 about 10 million hazards in 3 years")
	from := fs.String("from", "", "first day (YYYY-MM-DD; default: 1 January three years ago)")
	to := fs.String("to", "", "last day (YYYY-MM-DD; default: yesterday in the profile's time zone); must be in the past when the data is ingested")
	format := fs.String("format", "csv", "output format: csv (UTF-8, UTF-8 with BOM and GBK files mixed), json, or xlsx (up to --scale 5)")
	dirty := fs.Float64("dirty", sampledata.DefaultDirtyRate, "share of rows with one planted problem, messy-but-valid or invalid (0 for none)")
	profile := fs.String("profile", "", "jurisdiction profile file (default: the built-in profile); its regions' economy says where the enterprises are")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg := sampledata.Config{Out: *out, Seed: *seed, Scale: *scale, Format: sampledata.Format(*format), Dirty: *dirty}
	var err error
	if cfg.Profile, err = safetyrisk.LoadProfile(*profile); err != nil {
		return err
	}
	loc, err := time.LoadLocation(cfg.Profile.Timezone)
	if err != nil {
		return fmt.Errorf("profile time zone: %w", err)
	}
	cfg.From, cfg.To = sampledata.DefaultPeriod(time.Now(), loc)
	for _, d := range []struct {
		flag, value string
		dst         *time.Time
	}{{"--from", *from, &cfg.From}, {"--to", *to, &cfg.To}} {
		if d.value == "" {
			continue
		}
		if *d.dst, err = time.Parse(time.DateOnly, d.value); err != nil {
			fmt.Fprintf(m.Stderr, "safetyrisk generate: %s %q: want YYYY-MM-DD\n", d.flag, d.value)
			return errUsage
		}
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(m.Stderr, "safetyrisk generate:", err)
		fs.Usage()
		return errUsage
	}
	sum, err := sampledata.Generate(ctx, cfg, m.Logger)
	if err != nil {
		return err
	}
	var rows int64
	for _, f := range sum.Files {
		rows += f.Rows
	}
	fmt.Fprintf(m.Stdout, "wrote %d files, %d rows (%d dirty, %d story records) for %s, %s to %s, to %s in %s\n",
		len(sum.Files), rows, sum.Dirty, sum.Stories, cfg.Profile.City.Name, cfg.From.Format(time.DateOnly), cfg.To.Format(time.DateOnly),
		cfg.Out, sum.Took.Round(time.Millisecond))
	for _, t := range safetyrisk.Tables() {
		fmt.Fprintf(m.Stdout, "  %-17s %9d rows\n", t.Name, sum.Rows[t.Name])
	}
	fmt.Fprintf(m.Stdout, "truth (planted dirty rows, orphans, stories): %s/%s\n", cfg.Out, sampledata.TruthDir)
	return nil
}
