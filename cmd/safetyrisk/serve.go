package main

import (
	"context"
	"errors"
)

// runServe is not built yet; see the open issues.
func (m *Main) runServe(ctx context.Context, args []string) error {
	return errors.New("serve: not implemented yet")
}
