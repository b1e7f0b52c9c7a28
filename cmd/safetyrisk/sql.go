package main

import (
	"context"
	"errors"
)

// runSQL is not built yet; see the open issues.
func (m *Main) runSQL(ctx context.Context, args []string) error {
	return errors.New("sql: not implemented yet")
}
