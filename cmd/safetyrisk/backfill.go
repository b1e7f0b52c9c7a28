package main

import (
	"context"
	"errors"
)

// runBackfill is not built yet; see the open issues.
func (m *Main) runBackfill(ctx context.Context, args []string) error {
	return errors.New("backfill: not implemented yet")
}
