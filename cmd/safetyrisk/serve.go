package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/exporter"
)

// runServe serves the newest indicator snapshot of a lake as Prometheus metrics.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", "usage: safetyrisk serve --lake DIR [--listen ADDR] [--web.config.file FILE] [--poll 10s] [--schedule 1h --inbox DIR]")
	lake := fs.String("lake", "lake", "the lake directory")
	profilePath := fs.String("profile", "", "jurisdiction profile JSON (default: the built-in Ordos profile)")
	listen := fs.String("listen", "127.0.0.1:9822", "address to serve /metrics on")
	webConfig := fs.String("web.config.file", "", "exporter-toolkit web configuration file (TLS, basic auth)")
	poll := fs.Duration("poll", 10*time.Second, "how often to look for a newer snapshot")
	schedule := fs.Duration("schedule", 0, "run the whole pipeline on --inbox at this interval inside the process (0: never)")
	inbox := fs.String("inbox", "", "folder of source files for --schedule")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "serve: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	var pipeline exporter.Pipeline
	if *schedule > 0 {
		if *inbox == "" {
			return &exitError{code: exitUsage, err: errors.New("--schedule needs --inbox, the folder to ingest")}
		}
		pipeline = m.scheduledPipeline(*lake, *inbox, *profilePath)
		if pipeline == nil {
			return &exitError{code: exitUsage, err: errors.New("--schedule is not available in this build: the pipeline is not wired in yet; run 'safetyrisk run' from cron instead")}
		}
	}
	profile, err := safetyrisk.LoadProfile(*profilePath)
	if err != nil {
		return err
	}
	e, err := exporter.New(exporter.Config{
		Lake:           *lake,
		Profile:        profile,
		Poll:           *poll,
		Logger:         m.Logger,
		Build:          exporter.BuildInfo{Version: Version, GoVersion: runtime.Version()},
		RuntimeMetrics: true,
	})
	if err != nil {
		return err
	}
	return e.Serve(ctx, exporter.ServeConfig{
		Listen:        *listen,
		WebConfigFile: *webConfig,
		Schedule:      *schedule,
		Pipeline:      pipeline,
		Routes:        []exporter.Route{m.reportRoute(*lake, profile)},
	})
}
