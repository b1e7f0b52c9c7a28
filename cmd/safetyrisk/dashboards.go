package main

import (
	"context"
	"errors"
)

// runDashboards is not built yet; see the open issues.
func (m *Main) runDashboards(ctx context.Context, args []string) error {
	return errors.New("dashboards: not implemented yet")
}
