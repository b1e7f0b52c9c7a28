package main

import (
	"context"
	"errors"
)

// runTransform is not built yet; see the open issues.
func (m *Main) runTransform(ctx context.Context, args []string) error {
	return errors.New("transform: not implemented yet")
}
