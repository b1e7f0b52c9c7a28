package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDashboardsCommand: the command writes the same files as are committed under
// grafana/dashboards, and refuses stray arguments.
func TestDashboardsCommand(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	m := NewMain(nil, &stdout, &stderr)
	if code := m.Run(context.Background(), []string{"dashboards", "--out", dir}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	committed, _ := filepath.Glob(filepath.Join("..", "..", "grafana", "dashboards", "*.json"))
	if len(committed) < 9 {
		t.Fatalf("only %d committed dashboards", len(committed))
	}
	for _, c := range committed {
		want, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, filepath.Base(c)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what 'safetyrisk dashboards' writes: regenerate it", c)
		}
	}
	if code := m.Run(context.Background(), []string{"dashboards", "stray"}); code != exitUsage {
		t.Errorf("stray argument: exit %d, want %d", code, exitUsage)
	}
}
