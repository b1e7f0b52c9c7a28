package main

import (
	"context"

	"github.com/safetyrisk/safetyrisk/grafana"
)

// runRules writes the Prometheus configuration for a jurisdiction: prometheus.yml (its
// external label names the city), the recording and alerting rules and their promtool
// unit tests, from the templates in grafana/prometheus and the profile. The committed
// prometheus/ is what "safetyrisk rules" writes for the built-in profile.
func (m *Main) runRules(ctx context.Context, args []string) error {
	dir, p, paths, err := m.writeForProfile("rules", args, "prometheus",
		"directory to write prometheus.yml and rules/ into", grafana.WriteRules)
	if err != nil {
		return err
	}
	m.Logger.Info("prometheus configuration written", "dir", dir, "city", p.City.Code, "files", len(paths))
	return nil
}
