package main

import (
	"context"
	"errors"
)

// runIngest is not built yet; see the open issues.
func (m *Main) runIngest(ctx context.Context, args []string) error {
	return errors.New("ingest: not implemented yet")
}
