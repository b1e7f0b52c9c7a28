package main

import (
	"context"
	"errors"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
)

// The two hooks by which serve and backfill reach the rest of the pipeline. They are
// placeholders until the lead wires them: indicatorSource to queries.Compute (the
// snapshot as of a past date) and scheduledPipeline to ingest -> transform -> indicators.

// indicatorSource returns the month-end snapshots for backfill, and a function that
// releases what it opened (a DuckDB connection).
func (m *Main) indicatorSource(ctx context.Context, lake string, profile *safetyrisk.Profile) (exporter.Source, func() error, error) {
	return nil, nil, errors.New("indicators not available yet")
}

// scheduledPipeline returns the whole pipeline over inbox for serve --schedule; nil
// while it is not wired, and serve then refuses --schedule.
func (m *Main) scheduledPipeline(lake, inbox, profilePath string) exporter.Pipeline {
	return nil
}
