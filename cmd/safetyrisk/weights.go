package main

import (
	"context"
	"errors"
)

// runWeights is not built yet; see the open issues.
func (m *Main) runWeights(ctx context.Context, args []string) error {
	return errors.New("weights: not implemented yet")
}
