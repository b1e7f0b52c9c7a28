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
	dir, p, paths, err := m.writeForProfile("dashboards", args, "grafana/dashboards",
		"directory to write the dashboards' JSON into", grafana.Write)
	if err != nil {
		return err
	}
	m.Logger.Info("dashboards written", "dir", dir, "city", p.City.Code, "count", len(paths))
	return nil
}

// writeForProfile is the shape of the commands that write generated files for a
// jurisdiction (dashboards, rules): flags --out and --profile, no arguments, then write.
func (m *Main) writeForProfile(name string, args []string, outDefault, outHelp string,
	write func(dir string, p *safetyrisk.Profile) ([]string, error)) (string, *safetyrisk.Profile, []string, error) {
	fs := m.newFlagSet(name, "usage: safetyrisk "+name+" [--out DIR] [--profile FILE]")
	out := fs.String("out", outDefault, outHelp)
	profile := fs.String("profile", "", "jurisdiction profile file (default: the built-in profile)")
	if err := parseFlags(fs, args); err != nil {
		return "", nil, nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return "", nil, nil, errUsage
	}
	p, err := safetyrisk.LoadProfile(*profile)
	if err != nil {
		return "", nil, nil, err
	}
	paths, err := write(*out, p)
	return *out, p, paths, err
}
