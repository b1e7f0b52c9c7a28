package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestExitStatus runs the command in process: 0 when every row is accepted, 3
// when some were quarantined, 4 when a file was refused; the summary names the counts.
func TestIngestExitStatus(t *testing.T) {
	td := filepath.Join("..", "..", "ingest", "testdata")
	keyFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(keyFile, []byte("0123456789abcdef0123\n"), 0o600)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{filepath.Join(td, "staff.good.csv")}, exitOK, "3 rows read, 3 accepted, 0 quarantined"},
		{[]string{filepath.Join(td, "staff.bad.csv")}, exitQuarantined, "5 rows read, 0 accepted, 5 quarantined"},
		{[]string{filepath.Join(td, "reports.good.csv")}, exitRefused, "SAFETYRISK_PII_KEY"},
		{[]string{"--pii-key-file", keyFile, filepath.Join(td, "reports.good.csv")}, exitOK, "3 accepted"},
		{[]string{"--table", "nosuch", filepath.Join(td, "staff.good.csv")}, exitUsage, ""},
		{[]string{}, exitUsage, ""},
	}
	for _, c := range cases {
		t.Setenv("SAFETYRISK_PII_KEY", "")
		var out, errb bytes.Buffer
		m := NewMain(nil, &out, &errb)
		args := append([]string{"ingest", "--lake", filepath.Join(t.TempDir(), "lake")}, c.args...)
		if code := m.Run(context.Background(), args); code != c.code || !strings.Contains(out.String(), c.want) {
			t.Errorf("%v: exit %d, want %d; stdout %q; stderr %q", c.args, code, c.code, out.String(), errb.String())
		}
	}
}

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"xlsx", "csv"} {
		out := filepath.Join(dir, "hazards."+f)
		var stdout, stderr bytes.Buffer
		m := NewMain(nil, &stdout, &stderr)
		if code := m.Run(context.Background(), []string{"template", "hazards", "--format", f, "--out", out}); code != exitOK {
			t.Fatalf("%s: exit %d: %s", f, code, stderr.String())
		}
		// A blank template is a readable hazards file with no rows.
		stdout.Reset()
		if code := m.Run(context.Background(), []string{"ingest", "--lake", filepath.Join(dir, "lake"+f), out}); code != exitOK ||
			!strings.Contains(stdout.String(), "table hazards") || !strings.Contains(stdout.String(), "0 rows read") {
			t.Errorf("%s: ingest of the template: exit %d, %q", f, code, stdout.String())
		}
	}
}
