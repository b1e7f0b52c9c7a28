package main

import (
	"context"
	"errors"
)

// runIndicators is not built yet; see the open issues.
func (m *Main) runIndicators(ctx context.Context, args []string) error {
	return errors.New("indicators: not implemented yet")
}
