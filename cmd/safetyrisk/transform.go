package main

import (
	"context"
	"fmt"
	"regexp"
	"text/tabwriter"
	"time"

	"github.com/safetyrisk/safetyrisk/transform"
)

// runTransform builds the curated lake, its checks and the analysts' catalog.
func (m *Main) runTransform(ctx context.Context, args []string) error {
	fs := m.newFlagSet("transform", "usage: safetyrisk transform [--lake DIR] [--as-of YYYY-MM-DD] [--profile FILE]")
	lake := fs.String("lake", "lake", "lake `directory`")
	asOf := addAsOfFlags(fs, "for overdue hazards and freshness")
	profile := fs.String("profile", "", profileHelp)
	mem := fs.String("memory-limit", transform.DefaultMemoryLimit, "DuckDB memory `limit`; larger sorts and joins spill to a temporary directory in the lake")
	threads := fs.Int("threads", 0, "DuckDB `threads` (0: one per core)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if !memoryLimitPattern.MatchString(*mem) {
		return usageError("--memory-limit %q: want a size such as 512MB or 2GB", *mem)
	}
	if *threads < 0 {
		return usageError("--threads %d: want 0 (one per core) or more", *threads)
	}
	cfg := transform.Config{Lake: *lake, Logger: m.Logger, MemoryLimit: *mem, Threads: *threads}
	var err error
	if cfg.Profile, err = lakeProfile(cfg.Lake, *profile); err != nil {
		return err
	}
	if cfg.AsOf, err = asOf.resolve(cfg.Profile, m.now()); err != nil {
		return err
	}
	res, err := transform.Run(ctx, cfg)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "table\traw files\trows\t\n")
	for _, t := range res.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", t.Table, t.RawFiles, t.Rows)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var warn, fail int
	for _, c := range res.Checks {
		switch c.Status {
		case transform.StatusWarn:
			warn++
		case transform.StatusFail:
			fail++
		}
	}
	fmt.Fprintf(m.Stdout, "run %s as of %s in %s: %d checks, %d warn, %d fail (see 'safetyrisk check --lake %s')\n",
		res.RunID, res.AsOf.Format(time.DateOnly), res.Duration.Round(time.Millisecond), len(res.Checks), warn, fail, *lake)
	return nil
}

// memoryLimitPattern is what DuckDB's memory_limit accepts: a number and a unit.
var memoryLimitPattern = regexp.MustCompile(`(?i)^[0-9]+(\.[0-9]+)?\s*(b|bytes|kb|mb|gb|tb|kib|mib|gib|tib)$`)
