package main

import (
	"context"
	"net"
	"runtime"
	"time"

	"github.com/safetyrisk/safetyrisk/exporter"
)

// runServe serves the newest indicator snapshot of a lake as Prometheus metrics.
func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.newFlagSet("serve", "usage: safetyrisk serve --lake DIR [--listen ADDR] [--web.config.file FILE] [--poll 10s] [--schedule 1h --inbox DIR]")
	lake := fs.String("lake", "lake", "the lake directory")
	profilePath := fs.String("profile", "", profileHelp)
	listen := fs.String("listen", "127.0.0.1:9822", "address to serve /metrics on")
	webConfig := fs.String("web.config.file", "", "exporter-toolkit web configuration file (TLS, basic auth)")
	poll := fs.Duration("poll", 10*time.Second, "how often to look for a newer snapshot")
	schedule := fs.Duration("schedule", 0, "run the whole pipeline on --inbox at this interval inside the process (0: never)")
	inbox := fs.String("inbox", "", "folder of source files for --schedule")
	var sc exporter.ServeConfig
	fs.DurationVar(&sc.ReadTimeout, "web.read-timeout", exporter.DefaultReadTimeout, "longest time to read a request (its headers: at most 10s)")
	fs.DurationVar(&sc.WriteTimeout, "web.write-timeout", exporter.DefaultWriteTimeout, "longest time to write a response")
	fs.DurationVar(&sc.IdleTimeout, "web.idle-timeout", exporter.DefaultIdleTimeout, "close a keep-alive connection idle this long")
	fs.IntVar(&sc.MaxRequests, "web.max-requests", exporter.DefaultMaxRequests, "requests served at once; more get 503 (as node_exporter's flag)")
	fs.IntVar(&sc.MaxConnections, "web.max-connections", exporter.DefaultMaxConnections, "open connections; at the bound a new one closes the longest idle")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected arguments %q", fs.Args())
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return usageError("--listen %q: want HOST:PORT (%v)", *listen, err)
	}
	if *poll <= 0 {
		return usageError("--poll %s: must be positive", *poll)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--web.read-timeout", sc.ReadTimeout}, {"--web.write-timeout", sc.WriteTimeout}, {"--web.idle-timeout", sc.IdleTimeout}} {
		if d.v <= 0 {
			return usageError("%s %s: must be positive", d.flag, d.v)
		}
	}
	if sc.MaxRequests < 1 || sc.MaxConnections < 1 {
		return usageError("--web.max-requests %d, --web.max-connections %d: want at least 1", sc.MaxRequests, sc.MaxConnections)
	}
	if sc.MaxConnections <= sc.MaxRequests {
		return usageError("--web.max-connections %d must exceed --web.max-requests %d", sc.MaxConnections, sc.MaxRequests)
	}
	if *schedule < 0 {
		return usageError("--schedule %s: must be positive (0: never)", *schedule)
	}
	if *schedule > 0 && *inbox == "" {
		return usageError("--schedule needs --inbox, the folder to ingest")
	}
	sc.Listen, sc.WebConfigFile = *listen, *webConfig
	profile, err := lakeProfile(*lake, *profilePath)
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
	sc.Routes = []exporter.Route{m.reportRoute(*lake, profile)}
	if *schedule == 0 {
		return e.Serve(ctx, sc)
	}
	s := scheduler{lake: *lake, every: *schedule, refresh: e.Refresh, log: m.Logger,
		pipeline: m.pipeline(pipelineConfig{Lake: *lake, Inbox: *inbox, Profile: *profilePath})}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx)
	}()
	err = e.Serve(ctx, sc)
	cancel()
	<-done
	return err
}
