package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/safetyrisk/safetyrisk/queries"
)

// runWeights shows, for the risk index and the assessment, the configured (AHP or fixed)
// weights beside the entropy weights of the regions' data, so an analyst sees how
// subjective and objective weights differ.
func (m *Main) runWeights(ctx context.Context, args []string) error {
	fs := m.newFlagSet("weights", "usage: safetyrisk weights [--lake DIR] [--as-of YYYY-MM-DD] [--config FILE]")
	f := addIndicatorFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := f.queriesConfig(m)
	if err != nil {
		return err
	}
	snap, err := queries.Compute(ctx, cfg)
	if err != nil {
		return err
	}
	cmp, err := cfg.RiskConfig.CompareWeights(cfg.Profile, snap.Values)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	for _, s := range cmp {
		fmt.Fprintf(tw, "%s (method %s; entropy from the %d regions' scaled values, window %s, as of %s)\n",
			s.Scheme, s.Method, len(cfg.Profile.Regions), s.Window, cfg.AsOf.Format("2006-01-02"))
		fmt.Fprintln(tw, "indicator\tconfigured\tentropy\tdifference")
		for i, l := range s.Labels {
			conf := "-"
			diff := "-"
			if s.Configured != nil {
				conf = fmt.Sprintf("%.4f", s.Configured[i])
				diff = fmt.Sprintf("%+.4f", s.Entropy[i]-s.Configured[i])
			}
			fmt.Fprintf(tw, "%s\t%s\t%.4f\t%s\n", l, conf, s.Entropy[i], diff)
		}
		if s.AHP != nil {
			fmt.Fprintf(tw, "AHP: lambda_max %.4f, CI %.4f, RI %.2f, CR %.4f (accepted when <= %.2f)\n",
				s.AHP.LambdaMax, s.AHP.CI, s.AHP.RI, s.AHP.CR, queries.MaxCR)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
