package main

import (
	"context"
	"errors"
)

// runGenerate is not built yet; see the open issues.
func (m *Main) runGenerate(ctx context.Context, args []string) error {
	return errors.New("generate: not implemented yet")
}
