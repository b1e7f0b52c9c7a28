package main

import (
	"context"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
	"github.com/safetyrisk/safetyrisk/queries"
)

// The hooks by which serve and backfill reach the rest of the pipeline.

// indicatorSource returns the indicator snapshot as of any date, computed from the
// curated lake by one queries.Engine (one DuckDB connection for every month end), and
// the function that closes it.
func (m *Main) indicatorSource(ctx context.Context, lake string, profile *safetyrisk.Profile) (exporter.Source, func() error, error) {
	eng, err := queries.Open(ctx, queries.Config{Lake: lake, Profile: profile, Logger: m.Logger})
	if err != nil {
		return nil, nil, err
	}
	src := func(ctx context.Context, asOf time.Time) (*safetyrisk.Snapshot, error) {
		return eng.Compute(ctx, asOf)
	}
	return src, eng.Close, nil
}
