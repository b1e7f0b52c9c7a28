package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/safetyrisk/safetyrisk/lake"
)

// scheduler runs the whole pipeline at an interval inside serve (--schedule), then has
// the exporter load the snapshot it wrote.
type scheduler struct {
	lake     string
	every    time.Duration
	pipeline func(context.Context) error
	refresh  func(context.Context) error // the exporter's Refresh
	log      *slog.Logger
}

// run runs the pipeline every s.every (the first run one interval after the start)
// until ctx is done. Runs never overlap: a run longer than the interval delays the next
// tick (the ticker drops the ticks it missed).
func (s scheduler) run(ctx context.Context) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.once(ctx)
	}
}

// once runs the pipeline. When the pipeline did not record its own run status (one
// whose start is not before this run's), it writes one, so that a failure shows in the
// health metrics either way; then the exporter refreshes.
func (s scheduler) once(ctx context.Context) {
	start := time.Now().UTC()
	s.log.Info("scheduled run", "start", start)
	err := s.pipeline(ctx)
	end := time.Now().UTC()
	if ctx.Err() != nil {
		return // shutting down: not a failure of the pipeline
	}
	if st, rerr := lake.ReadRunStatus(s.lake); rerr != nil || st.Start.Before(start) {
		st := lake.RunStatus{Start: start, End: end, Success: err == nil}
		if err != nil {
			st.Error = err.Error()
		}
		if werr := lake.WriteRunStatus(s.lake, st); werr != nil {
			s.log.Error("run status not written", "err", werr)
		}
	}
	if err != nil {
		s.log.Error("scheduled run failed; the previous snapshot stays served", "err", err, "duration", end.Sub(start).Round(time.Millisecond))
	} else {
		s.log.Info("scheduled run done", "duration", end.Sub(start).Round(time.Millisecond))
	}
	if rerr := s.refresh(ctx); rerr != nil {
		s.log.Error("snapshot not loaded after the run", "err", rerr)
	}
}
