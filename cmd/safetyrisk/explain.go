package main

import (
	"context"
	"errors"
)

// runExplain is not built yet; see the open issues.
func (m *Main) runExplain(ctx context.Context, args []string) error {
	return errors.New("explain: not implemented yet")
}
