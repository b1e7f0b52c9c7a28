package main

import (
	"context"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/grafana"
)

// runDashboards writes the Grafana dashboards' JSON, generated from the indicator
// catalogue and the jurisdiction profile. The committed grafana/dashboards/*.json is
// what "safetyrisk dashboards --out grafana/dashboards" writes.
func (m *Main) runDashboards(ctx context.Context, args []string) error {
	fs := m.newFlagSet("dashboards", "usage: safetyrisk dashboards [--out DIR] [--profile FILE]")
	out := fs.String("out", "grafana/dashboards", "directory to write the dashboards' JSON into")
	profile := fs.String("profile", "", "jurisdiction profile file (default: the built-in Ordos profile)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	p, err := safetyrisk.LoadProfile(*profile)
	if err != nil {
		return err
	}
	paths, err := grafana.Write(*out, p)
	if err != nil {
		return err
	}
	m.Logger.Info("dashboards written", "dir", *out, "count", len(paths))
	return nil
}
