package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesCommand: the command writes the same files as are committed under
// prometheus/ (so they are its output for the built-in profile), writes another city's
// codes for another profile, and refuses stray arguments.
func TestRulesCommand(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	m := NewMain(nil, &stdout, &stderr)
	if code := m.Run(context.Background(), []string{"rules", "--out", dir}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	root := filepath.Join("..", "..", "prometheus")
	committed, _ := filepath.Glob(filepath.Join(root, "rules", "*.yml"))
	committed = append(committed, filepath.Join(root, "prometheus.yml"))
	if len(committed) < 6 {
		t.Fatalf("only %d committed files under %s", len(committed), root)
	}
	for _, c := range committed {
		rel, _ := filepath.Rel(root, c)
		want, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what 'safetyrisk rules' writes: regenerate it", c)
		}
	}

	bt := t.TempDir()
	if code := m.Run(context.Background(), []string{"rules", "--out", bt, "--profile", filepath.Join("..", "..", "profiles", "baotou.json")}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(bt, "rules", "recording.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `region!="150200"`) || strings.Contains(string(b), "1506") {
		t.Errorf("Baotou's recording rules do not exclude its city 150200 alone:\n%s", b)
	}
	if code := m.Run(context.Background(), []string{"rules", "stray"}); code != exitUsage {
		t.Errorf("stray argument: exit %d, want %d", code, exitUsage)
	}
}
