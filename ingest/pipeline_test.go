package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/lake"
)

// TestCancelMidFile cancels an ingest while its workers convert, wait for their turn and
// encode: it must return the context's error promptly (no worker left waiting for a turn
// that will not come) and leave nothing in the lake, neither a batch nor a temporary.
func TestCancelMidFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "hazards.csv")
	writeHazardsCSV(t, src, 400_000, "c")
	for _, after := range []time.Duration{5 * time.Millisecond, 50 * time.Millisecond, 200 * time.Millisecond} {
		t.Run(after.String(), func(t *testing.T) {
			lakeDir := t.TempDir()
			in := newTestIngester(t, lakeDir)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			time.AfterFunc(after, cancel)
			done := make(chan error, 1)
			go func() {
				r, err := in.File(ctx, src)
				if err == nil && r.Refused != nil {
					err = r.Refused
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the ingest did not return 30 s after it was cancelled")
			}
			if err == nil {
				t.Fatalf("the ingest finished within %v: the file is too small to cancel it midway", after)
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want the context's", err)
			}
			if m, err := lake.ReadManifest(lakeDir); err != nil || len(m) != 0 {
				t.Errorf("manifest after a cancelled ingest: %v entries, err %v", len(m), err)
			}
			filepath.Walk(lakeDir, func(p string, info os.FileInfo, err error) error {
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(lakeDir, p)
				if rel == "." {
					return nil
				}
				if strings.Contains(rel, "batch=") || hiddenPath(rel) {
					t.Errorf("left in the lake by a cancelled ingest: %s", rel)
				}
				return nil
			})
		})
	}
}
