package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/ingest"
	"github.com/safetyrisk/safetyrisk/lake"
)

// runTemplate writes a blank template of a table with its Chinese headers, required
// columns marked with a leading "*" (which ingest's header matching ignores).
func (m *Main) runTemplate(ctx context.Context, args []string) error {
	fs := m.newFlagSet("template", "usage: safetyrisk template TABLE [--format xlsx|csv] [--out FILE]")
	format := fs.String("format", "xlsx", "xlsx or csv")
	out := fs.String("out", "", `output file; default "<table>.<format>" in the current directory, "-" for standard output`)
	// The table may come before or after the flags.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if name == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	t := safetyrisk.TableByName(name)
	if t == nil {
		return usageError("unknown table %q", name)
	}
	var b []byte
	var err error
	switch *format {
	case "xlsx":
		b, err = ingest.TemplateXLSX(t)
	case "csv":
		b, err = ingest.TemplateCSV(t)
	default:
		return usageError("--format %q: want xlsx or csv", *format)
	}
	if err != nil {
		return err
	}
	path := *out
	if path == "-" {
		_, err := m.Stdout.Write(b)
		return err
	}
	if path == "" {
		path = t.Name + "." + *format
	}
	if err := lake.WriteFileAtomic(path, b); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Fprintf(m.Stderr, "wrote %s\n", path)
	return nil
}
