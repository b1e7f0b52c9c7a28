package main

import (
	"context"
	"fmt"
	"os"

	"github.com/safetyrisk/safetyrisk"
)

// runMeasures prints the register of the plan's 66 measures (docs/measures.md), or only
// its count line, or writes it to a file.
func (m *Main) runMeasures(ctx context.Context, args []string) error {
	fs := m.newFlagSet("measures", "usage: safetyrisk measures [--count] [--out FILE]")
	count := fs.Bool("count", false, "print only the count line (indicator, partial, not from records, not yet measured)")
	out := fs.String("out", "", "write the register to `FILE` (docs/measures.md) instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	ms, err := safetyrisk.Measures()
	if err != nil {
		return err
	}
	text := safetyrisk.MeasuresDoc(ms)
	if *count {
		text = safetyrisk.MeasureCountLine(ms) + "\n"
	}
	if *out != "" {
		if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
			return fmt.Errorf("measures: %w", err)
		}
		return nil
	}
	_, err = fmt.Fprint(m.Stdout, text)
	return err
}
