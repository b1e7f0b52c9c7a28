package exporter

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/exporter-toolkit/web"
)

// Pipeline runs the whole pipeline once (ingest the inbox, transform, compute the
// indicators and write a snapshot). The command wires it; the exporter only schedules it.
type Pipeline func(ctx context.Context) error

// ServeConfig configures the HTTP side of Serve.
type ServeConfig struct {
	Listen        string // address to listen on, e.g. 127.0.0.1:9822
	WebConfigFile string // exporter-toolkit web configuration (TLS, basic auth); "" for plain HTTP
	// Schedule, when positive, runs Pipeline at that interval inside the process (the
	// first run one interval after the start) and loads its snapshot when it finishes.
	Schedule time.Duration
	Pipeline Pipeline
	// ShutdownTimeout bounds the graceful shutdown; default 5s.
	ShutdownTimeout time.Duration
	// Routes are extra pages behind the same TLS and auth, linked from the landing page.
	Routes []Route
}

// Validate checks the configuration and fills in defaults.
func (c *ServeConfig) Validate() error {
	if c.Schedule < 0 {
		return fmt.Errorf("schedule %s: must be positive", c.Schedule)
	}
	if c.Schedule > 0 && c.Pipeline == nil {
		return errors.New("--schedule needs the pipeline, which this build does not wire in; run 'safetyrisk run' from cron instead")
	}
	if c.WebConfigFile != "" {
		if err := web.Validate(c.WebConfigFile); err != nil {
			return fmt.Errorf("web config %s: %w", c.WebConfigFile, err)
		}
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 5 * time.Second
	}
	return nil
}

// Handler serves /metrics (OpenMetrics negotiated) and the landing page at /.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.metricsHandler())
	mux.HandleFunc("/", e.serveLanding)
	return mux
}

// serveLanding renders the landing page with what is served now. exporter-toolkit's
// page is static once built, so it is built per request: a few microseconds, and the
// landing page is not scraped.
func (e *Exporter) serveLanding(w http.ResponseWriter, r *http.Request) {
	desc := "Work-safety risk indicators of the newest snapshot of the lake, and the health of the pipeline that wrote it."
	extra := "<p>No indicator snapshot is loaded yet: <code>safetyrisk_up</code> is 0.</p>"
	if runID, asOf, series, ok := e.SnapshotInfo(); ok {
		extra = fmt.Sprintf("<p>Snapshot <code>%s</code>, as of %s: %d indicator series (bound %d).</p>",
			html.EscapeString(runID), asOf.Format(time.DateOnly), series, e.maxSer)
	}
	if !e.lastLoadOK.Load() && e.snap.Load() != nil {
		extra += "<p><strong>The newest snapshot of the lake could not be read; the one above stays served.</strong></p>"
	}
	extra += fmt.Sprintf("<p>Profile: %s (%s), %d regions, %d sectors.</p>",
		html.EscapeString(e.cfg.Profile.City.Name), html.EscapeString(e.cfg.Profile.City.Code),
		len(e.cfg.Profile.Regions), len(e.cfg.Profile.Sectors))
	page, err := web.NewLandingPage(web.LandingConfig{
		Name:        "safetyrisk",
		Description: desc,
		Version:     e.cfg.Build.Version,
		Links: append([]web.LandingLinks{
			{Address: "/metrics", Text: "Metrics", Description: "indicator gauges (safetyrisk_*) and pipeline health (safetyrisk_pipeline_*, safetyrisk_snapshot_*)"},
		}, routeLinks(r)...),
		ExtraHTML: extra,
		Profiling: "false",
	})
	if err != nil {
		http.Error(w, "landing page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	page.ServeHTTP(w, r)
}

// slogPrinter adapts the logger to promhttp's ErrorLog.
type slogPrinter struct{ e *Exporter }

func (p slogPrinter) Println(v ...any) { p.e.cfg.Logger.Error("scrape", "err", fmt.Sprint(v...)) }

// Serve refreshes the exporter, then serves it on sc.Listen with exporter-toolkit (TLS
// and basic auth from sc.WebConfigFile) until ctx is done, watching the lake and running
// the scheduled pipeline meanwhile. It shuts down gracefully and returns nil on ctx's
// end.
func (e *Exporter) Serve(ctx context.Context, sc ServeConfig) error {
	if err := sc.Validate(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	listen := []string{sc.Listen}
	systemd := false
	flags := &web.FlagConfig{WebListenAddresses: &listen, WebSystemdSocket: &systemd, WebConfigFile: &sc.WebConfigFile}
	return e.serve(ctx, sc, func(s *http.Server) error { return web.ListenAndServe(s, flags, e.cfg.Logger) })
}

// ServeListener is Serve on a listener the caller opened (tests listen on port 0).
func (e *Exporter) ServeListener(ctx context.Context, l net.Listener, sc ServeConfig) error {
	if err := sc.Validate(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	systemd := false
	flags := &web.FlagConfig{WebSystemdSocket: &systemd, WebConfigFile: &sc.WebConfigFile}
	return e.serve(ctx, sc, func(s *http.Server) error { return web.Serve(l, s, flags, e.cfg.Logger) })
}

func (e *Exporter) serve(ctx context.Context, sc ServeConfig, run func(*http.Server) error) error {
	if err := e.Refresh(ctx); err != nil {
		e.cfg.Logger.Error("no snapshot served yet", "err", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Watch(ctx)
	}()
	if sc.Schedule > 0 {
		go e.schedule(ctx, sc)
	}
	srv := &http.Server{Handler: withRoutes(e.Handler(), sc.Routes), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(e.cfg.Logger.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- run(srv) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		e.cfg.Logger.Info("shutting down", "timeout", sc.ShutdownTimeout)
		sctx, scancel := context.WithTimeout(context.Background(), sc.ShutdownTimeout)
		err = srv.Shutdown(sctx)
		scancel()
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	cancel()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// schedule runs the pipeline every sc.Schedule. When the pipeline did not record its
// own run status (one whose start is not before this run's), the scheduler writes one,
// so that a failure shows in the health metrics either way; then the exporter refreshes.
func (e *Exporter) schedule(ctx context.Context, sc ServeConfig) {
	t := time.NewTicker(sc.Schedule)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		// Runs never overlap: a run longer than the interval delays the next tick
		// (the ticker drops the ticks it missed).
		e.runPipeline(ctx, sc.Pipeline)
	}
}

func (e *Exporter) runPipeline(ctx context.Context, p Pipeline) {
	start := time.Now().UTC()
	e.cfg.Logger.Info("scheduled run", "start", start)
	err := p(ctx)
	end := time.Now().UTC()
	if ctx.Err() != nil {
		return // shutting down: not a failure of the pipeline
	}
	if st, rerr := ReadRunStatus(e.cfg.Lake); rerr != nil || st.Start.Before(start) {
		st := RunStatus{Start: start, End: end, Success: err == nil}
		if err != nil {
			st.Error = err.Error()
		}
		if werr := WriteRunStatus(e.cfg.Lake, st); werr != nil {
			e.cfg.Logger.Error("run status not written", "err", werr)
		}
	}
	if err != nil {
		e.cfg.Logger.Error("scheduled run failed; the previous snapshot stays served", "err", err, "duration", end.Sub(start).Round(time.Millisecond))
	} else {
		e.cfg.Logger.Info("scheduled run done", "duration", end.Sub(start).Round(time.Millisecond))
	}
	if rerr := e.Refresh(ctx); rerr != nil {
		e.cfg.Logger.Error("snapshot not loaded after the run", "err", rerr)
	}
}
