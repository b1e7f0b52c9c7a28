package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs one subcommand in process and returns its standard output; a status
// outside ok fails the test.
func runCLI(t *testing.T, ctx context.Context, ok []int, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(nil, &out, &errb)
	code := m.Run(ctx, args)
	for _, c := range ok {
		if c == code {
			return out.String()
		}
	}
	t.Fatalf("safetyrisk %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	return ""
}
