package main

import (
	"context"
	"errors"
)

// runRun is not built yet; see the open issues.
func (m *Main) runRun(ctx context.Context, args []string) error {
	return errors.New("run: not implemented yet")
}
