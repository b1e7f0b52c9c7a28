package main

import (
	"context"
	"errors"
)

// runTemplate is not built yet; see the open issues.
func (m *Main) runTemplate(ctx context.Context, args []string) error {
	return errors.New("template: not implemented yet")
}
