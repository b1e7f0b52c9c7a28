package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/transform"
)

// runCheck prints the data-quality checks of the last transform; it exits non-zero
// when one failed (a warning, such as an orphan record, does not).
func (m *Main) runCheck(ctx context.Context, args []string) error {
	fs := m.newFlagSet("check", "usage: safetyrisk check [--lake DIR] [--all]")
	dir := fs.String("lake", "lake", "lake `directory`")
	all := fs.Bool("all", false, "list the passing checks too")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	chk, err := lake.ReadChecks(*dir)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tTABLE\tCHECK\tCOLUMN\tFAILURES\tDETAIL")
	for _, c := range chk.Results {
		counts[c.Status]++
		if c.Status == transform.StatusPass && !*all {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", c.Status, c.Table, c.Check, c.Column, c.Failures, c.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "run %s as of %s: %d pass, %d warn, %d fail\n", chk.RunID, chk.AsOf,
		counts[transform.StatusPass], counts[transform.StatusWarn], counts[transform.StatusFail])
	if n := counts[transform.StatusFail]; n > 0 {
		return &exitError{code: exitFailure, err: fmt.Errorf("%d checks failed", n)}
	}
	return nil
}
