package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/safetyrisk/safetyrisk/ingest"
	"github.com/safetyrisk/safetyrisk/lake"
	"github.com/safetyrisk/safetyrisk/queries"
	"github.com/safetyrisk/safetyrisk/transform"
)

// pipelineConfig is what one whole run needs: ingest of an inbox folder, transform,
// indicators, the catalog, and the run status the exporter serves.
type pipelineConfig struct {
	Lake, Inbox  string
	Profile      string // profile file; "" for the built-in Ordos
	PIIKeyFile   string
	RiskConfig   string    // risk index configuration file; "" for the default
	AsOf         time.Time // zero: today in the profile's time zone, at each run
	TransformMem string
}

// runRun performs ingest of an inbox folder, transform and indicators in one go.
func (m *Main) runRun(ctx context.Context, args []string) error {
	fs := m.newFlagSet("run", "usage: safetyrisk run --lake DIR --inbox DIR [--as-of DATE] [--pii-key-file F]")
	var c pipelineConfig
	fs.StringVar(&c.Lake, "lake", "lake", "lake `directory`")
	fs.StringVar(&c.Inbox, "inbox", "inbox", "inbox `directory` of source files (files already ingested are skipped)")
	fs.StringVar(&c.Profile, "profile", "", profileHelp)
	fs.StringVar(&c.PIIKeyFile, "pii-key-file", "", "`file` holding the HMAC key for reporter identities (default: $"+piiKeyEnv+")")
	fs.StringVar(&c.RiskConfig, "config", "", "risk index and assessment configuration `file`")
	asOf := addAsOfFlags(fs, "of the transform and the indicators")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	profile, err := lakeProfile(c.Lake, c.Profile)
	if err != nil {
		return err
	}
	if c.AsOf, err = asOf.resolve(profile, m.now()); err != nil {
		return err
	}
	if st, err := os.Stat(c.Inbox); err != nil || !st.IsDir() {
		return fmt.Errorf("inbox %s: not a directory", c.Inbox)
	}
	return m.pipeline(c)(ctx)
}

// errRefusedFiles fails a run when a file of the inbox could not be read at all: the
// previous snapshot stays served and the run status says why.
var errRefusedFiles = errors.New("some inbox files were refused")

// pipeline returns one whole run as a function, for run and for serve --schedule. Each
// run records its status in the lake (lake.WriteRunStatus), success or not; a snapshot
// is written only when every stage succeeded.
func (m *Main) pipeline(c pipelineConfig) func(context.Context) error {
	return func(ctx context.Context) (err error) {
		st := lake.RunStatus{Start: time.Now()}
		stage := func(name string, f func() error) error {
			if err != nil {
				return err
			}
			t0 := time.Now()
			err = f()
			st.Stages = append(st.Stages, lake.StageTiming{Name: name, Seconds: time.Since(t0).Seconds()})
			if err != nil {
				err = fmt.Errorf("%s: %w", name, err)
			}
			return err
		}
		defer func() {
			st.End, st.Success = time.Now(), err == nil
			if err != nil {
				st.Error = err.Error()
			}
			if werr := lake.WriteRunStatus(c.Lake, st); werr != nil && err == nil {
				err = werr
			}
			m.Logger.Info("run finished", "success", st.Success, "duration", st.End.Sub(st.Start).Round(time.Millisecond))
		}()

		profile, perr := lakeProfile(c.Lake, c.Profile)
		if perr != nil {
			return perr
		}
		asOf := c.AsOf
		if asOf.IsZero() {
			if asOf, perr = today(profile, m.now()); perr != nil {
				return perr
			}
		}

		stage("ingest", func() error {
			cfg, err := m.ingestConfig(c.Lake, "", c.Profile, c.PIIKeyFile, "")
			if err != nil {
				return err
			}
			in, err := ingest.New(cfg)
			if err != nil {
				return err
			}
			results, err := in.Paths(ctx, []string{c.Inbox})
			if err != nil {
				return err
			}
			if m.printIngestSummary(results) == exitRefused {
				return errRefusedFiles
			}
			return nil
		})
		stage("transform", func() error {
			_, err := transform.Run(ctx, transform.Config{Lake: c.Lake, AsOf: asOf, Profile: profile, Logger: m.Logger})
			return err
		})
		stage("indicators", func() error {
			rc, err := queries.LoadRiskConfig(c.RiskConfig)
			if err != nil {
				return err
			}
			snap, err := queries.Compute(ctx, queries.Config{Lake: c.Lake, AsOf: asOf, Profile: profile, RiskConfig: rc, Logger: m.Logger})
			if err != nil {
				return err
			}
			snap.RunID = lake.NewRunID(time.Now())
			return lake.WriteSnapshot(c.Lake, snap)
		})
		stage("catalog", func() error { return transform.BuildCatalog(ctx, c.Lake) })
		return err
	}
}
