package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/ingest"
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
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	fmt.Fprintf(m.Stderr, "wrote %s\n", path)
	return nil
}
