package main

import (
	"context"
	"errors"
)

// runCheck is not built yet; see the open issues.
func (m *Main) runCheck(ctx context.Context, args []string) error {
	return errors.New("check: not implemented yet")
}
