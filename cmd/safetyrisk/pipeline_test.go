package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/lake"
)

// A run that fails (a corrupt file in the inbox) keeps the previous snapshot served and
// says so in the health metrics, so that an alert can fire (issue 6, point 4): the whole
// path, from `safetyrisk run` to a scrape.
func TestFailedRunKeepsPreviousSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	inbox, lakeDir := filepath.Join(dir, "inbox"), filepath.Join(dir, "lake")
	t.Setenv("SAFETYRISK_PII_KEY", "pipeline-test-key-0123456789")
	runCLI(t, ctx, []int{exitOK}, "generate", "--out", inbox, "--scale", "0.02", "--seed", "3", "--from", "2022-01-01", "--to", "2024-12-31")
	runCLI(t, ctx, []int{exitOK}, "run", "--lake", lakeDir, "--inbox", inbox, "--as-of", "2024-12-31")
	good, err := lake.LatestSnapshot(lakeDir)
	if err != nil {
		t.Fatal(err)
	}

	e, err := exporter.New(exporter.Config{Lake: lakeDir, Profile: safetyrisk.Ordos(), Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	scrape := func() string {
		t.Helper()
		if err := e.Refresh(ctx); err != nil {
			t.Logf("refresh: %v", err)
		}
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Result().Body)
		return string(b)
	}
	before := scrape()
	for _, want := range []string{"safetyrisk_pipeline_last_run_success 1", "safetyrisk_up 1"} {
		if !strings.Contains(before, want) {
			t.Fatalf("after a good run, /metrics lacks %q", want)
		}
	}

	// A truncated workbook arrives: its structure cannot be read, so the run fails.
	if err := os.WriteFile(filepath.Join(inbox, "隐患_补报.xlsx"), []byte("PK\x03\x04 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	runCLI(t, ctx, []int{exitFailure}, "run", "--lake", lakeDir, "--inbox", inbox, "--as-of", "2024-12-31")
	st, err := lake.ReadRunStatus(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Success || !strings.Contains(st.Error, "refused") {
		t.Errorf("run status after the corrupt file: success %v, error %q", st.Success, st.Error)
	}
	latest, err := lake.LatestSnapshot(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if latest.RunID != good.RunID {
		t.Errorf("a failed run wrote snapshot %s (previous %s)", latest.RunID, good.RunID)
	}
	after := scrape()
	city := safetyrisk.Ordos().City
	deaths := fmt.Sprintf(`safetyrisk_deaths{region=%q,region_name=%q,sector="all",sector_name="全部行业",window="ytd"}`, city.Code, city.Name)
	for _, want := range []string{"safetyrisk_pipeline_last_run_success 0", "safetyrisk_up 1", deaths} {
		if !strings.Contains(after, want) {
			t.Errorf("after the failed run, /metrics lacks %q", want)
		}
	}
}
