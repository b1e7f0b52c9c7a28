package main

import (
	"context"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/grafana"
)

// runRules writes the Prometheus configuration for a jurisdiction: prometheus.yml (its
// external label names the city), the recording and alerting rules and their promtool
// unit tests, from the templates in grafana/prometheus and the profile. The committed
// prometheus/ is what "safetyrisk rules" writes for the built-in profile.
func (m *Main) runRules(ctx context.Context, args []string) error {
	fs := m.newFlagSet("rules", "usage: safetyrisk rules [--out DIR] [--profile FILE]")
	out := fs.String("out", "prometheus", "directory to write prometheus.yml and rules/ into")
	profile := fs.String("profile", "", "jurisdiction profile file (default: the built-in profile)")
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
	paths, err := grafana.WriteRules(*out, p)
	if err != nil {
		return err
	}
	m.Logger.Info("prometheus configuration written", "dir", *out, "city", p.City.Code, "files", len(paths))
	return nil
}
