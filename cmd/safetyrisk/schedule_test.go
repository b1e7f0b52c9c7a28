package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/safetyrisk/safetyrisk/lake"
)

// TestScheduler: a scheduled run that fails is recorded in the lake with its error
// (the pipeline did not record it), a run that records its own status is left alone,
// and the exporter refreshes after every run.
func TestScheduler(t *testing.T) {
	dir := t.TempDir()
	var refreshed atomic.Int32
	s := scheduler{lake: dir, every: time.Hour, log: slog.New(slog.DiscardHandler),
		refresh: func(context.Context) error { refreshed.Add(1); return nil }}

	s.pipeline = func(context.Context) error { return errors.New("inbox/accidents.csv: truncated archive") }
	s.once(context.Background())
	st, err := lake.ReadRunStatus(dir)
	if err != nil || st.Success || !strings.Contains(st.Error, "truncated") || st.End.Before(st.Start) {
		t.Errorf("after a failing run: status %+v, %v", st, err)
	}
	if _, err := lake.ReadLastSuccess(dir); err == nil {
		t.Error("a failing run recorded a last success")
	}

	own := lake.RunStatus{Success: true, Stages: []lake.StageTiming{{Name: "ingest", Seconds: 1}}}
	s.pipeline = func(context.Context) error {
		own.Start, own.End = time.Now().UTC(), time.Now().UTC()
		return lake.WriteRunStatus(dir, own)
	}
	s.once(context.Background())
	st, err = lake.ReadRunStatus(dir)
	if err != nil || !st.Success || len(st.Stages) != 1 {
		t.Errorf("a run that recorded its own status was overwritten: %+v, %v", st, err)
	}
	if n := refreshed.Load(); n != 2 {
		t.Errorf("refreshed %d times after 2 runs", n)
	}

	// A run cut short by shutdown is not a failure of the pipeline: nothing recorded.
	ctx, cancel := context.WithCancel(context.Background())
	s.pipeline = func(context.Context) error { cancel(); return context.Canceled }
	s.once(ctx)
	if st, _ := lake.ReadRunStatus(dir); !st.Success {
		t.Errorf("a run cut short by shutdown was recorded: %+v", st)
	}
}
