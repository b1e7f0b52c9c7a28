package exporter

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/exporter-toolkit/web"
)

// ServeConfig configures the HTTP side of Serve.
type ServeConfig struct {
	Listen        string // address to listen on, e.g. 127.0.0.1:9822
	WebConfigFile string // exporter-toolkit web configuration (TLS, basic auth); "" for plain HTTP
	// ShutdownTimeout bounds the graceful shutdown; default 5s.
	ShutdownTimeout time.Duration

	// ReadTimeout bounds the reading of a request, ReadHeaderTimeout (at most
	// ReadTimeout) that of its headers, WriteTimeout the writing of the response, and
	// IdleTimeout how long a keep-alive connection waits for its next request. Zero:
	// the defaults below.
	ReadTimeout, ReadHeaderTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxRequests is how many requests are served at once; more get 503 at once
	// (node_exporter's --web.max-requests). Zero: DefaultMaxRequests.
	MaxRequests int
	// MaxConnections bounds the open connections. At the bound, a new connection
	// closes the one that has waited longest without a request in progress (one that
	// sent nothing yet, or a keep-alive connection between requests). Zero:
	// DefaultMaxConnections.
	MaxConnections int
	// Routes are extra pages behind the same TLS and auth, linked from the landing page.
	Routes []Route
}

// Defaults of ServeConfig. A scrape is one small GET (Prometheus's scrape timeout is
// 10 s here), so a request that takes longer to arrive or to be written is not a
// scrape; a keep-alive connection outlives the 30 s scrape interval.
const (
	DefaultReadTimeout       = 30 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxRequests       = 40
	DefaultMaxConnections    = 512
	maxHeaderBytes           = 64 << 10 // a scrape's headers are a few hundred bytes
)

// Validate checks the configuration and fills in defaults.
func (c *ServeConfig) Validate() error {
	if c.WebConfigFile != "" {
		if err := web.Validate(c.WebConfigFile); err != nil {
			return fmt.Errorf("web config %s: %w", c.WebConfigFile, err)
		}
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = 5 * time.Second
	}
	for _, d := range []struct {
		name  string
		v     *time.Duration
		value time.Duration
	}{
		{"read timeout", &c.ReadTimeout, DefaultReadTimeout},
		{"read header timeout", &c.ReadHeaderTimeout, DefaultReadHeaderTimeout},
		{"write timeout", &c.WriteTimeout, DefaultWriteTimeout},
		{"idle timeout", &c.IdleTimeout, DefaultIdleTimeout},
	} {
		if *d.v < 0 {
			return fmt.Errorf("%s %s: must be positive", d.name, *d.v)
		}
		if *d.v == 0 {
			*d.v = d.value
		}
	}
	c.ReadHeaderTimeout = min(c.ReadHeaderTimeout, c.ReadTimeout)
	if c.MaxRequests < 0 || c.MaxConnections < 0 {
		return fmt.Errorf("max requests %d, max connections %d: must be positive", c.MaxRequests, c.MaxConnections)
	}
	if c.MaxRequests == 0 {
		c.MaxRequests = DefaultMaxRequests
	}
	if c.MaxConnections == 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	return nil
}

// Handler serves /metrics (OpenMetrics negotiated) and the landing page at /, to GET
// and HEAD only (405 otherwise).
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", e.metricsHandler())
	mux.HandleFunc("GET /", e.serveLanding)
	return mux
}

// limitRequests serves at most n requests at once and answers 503 to the others at
// once, as promhttp's MaxRequestsInFlight does: a flood costs no queue.
func limitRequests(h http.Handler, n int) http.Handler {
	sem := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
			h.ServeHTTP(w, r)
		default:
			http.Error(w, fmt.Sprintf("more than %d requests at once; try again", n), http.StatusServiceUnavailable)
		}
	})
}

// connLimiter bounds a server's open connections through http.Server.ConnState. At
// the bound, a new connection closes the connection that has waited longest without
// a request in progress: one that has sent nothing yet, or a keep-alive connection
// between requests. When every connection is busy with a request, the new one is
// closed. Timeouts alone bound how long such a connection lives, not how many there
// are: 20,000 of them opened at once exhaust the file descriptors, and a scrape
// cannot connect (issue 10, point 6). Evicting the oldest waiting one keeps a new
// scrape's connection, which sends its request at once, served.
type connLimiter struct {
	max   int
	mu    sync.Mutex
	conns map[net.Conn]*connWait // by the TCP connection
}

// connWait is a tracked connection: its state and since when it is in it.
type connWait struct {
	state http.ConnState
	since time.Time
}

func newConnLimiter(max int) *connLimiter {
	return &connLimiter{max: max, conns: make(map[net.Conn]*connWait, max)}
}

// track is the server's ConnState hook. For StateNew it runs in the accept loop,
// before the connection's goroutine starts.
func (l *connLimiter) track(c net.Conn, s http.ConnState) {
	c = tcpConn(c)
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	switch s {
	case http.StateNew:
		if len(l.conns) >= l.max {
			victim := l.longestWaiting()
			if victim == nil { // every connection is busy: refuse the new one
				c.Close()
				return
			}
			delete(l.conns, victim)
			victim.Close() // its goroutine sees the read fail and ends
		}
		l.conns[c] = &connWait{state: s, since: now}
	case http.StateActive, http.StateIdle:
		if w, ok := l.conns[c]; ok {
			w.state, w.since = s, now
		}
	case http.StateClosed, http.StateHijacked:
		delete(l.conns, c)
	}
}

// longestWaiting returns the new or idle connection that has been so longest, or nil.
func (l *connLimiter) longestWaiting() net.Conn {
	var victim net.Conn
	var since time.Time
	for c, w := range l.conns {
		if w.state == http.StateActive {
			continue
		}
		if victim == nil || w.since.Before(since) {
			victim, since = c, w.since
		}
	}
	return victim
}

// tcpConn is the connection under TLS: closing it does not wait for a close-notify
// alert to be written to a peer that does not read.
func tcpConn(c net.Conn) net.Conn {
	if tc, ok := c.(*tls.Conn); ok {
		return tc.NetConn()
	}
	return c
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
// and basic auth from sc.WebConfigFile) until ctx is done, watching the lake meanwhile.
// It shuts down gracefully and returns nil on ctx's end.
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
	srv := e.httpServer(sc)
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

// httpServer is the server of sc: its timeouts, header size and request and
// connection bounds.
func (e *Exporter) httpServer(sc ServeConfig) *http.Server {
	return &http.Server{
		Handler:           limitRequests(withRoutes(e.Handler(), sc.Routes), sc.MaxRequests),
		ReadTimeout:       sc.ReadTimeout,
		ReadHeaderTimeout: sc.ReadHeaderTimeout,
		WriteTimeout:      sc.WriteTimeout,
		IdleTimeout:       sc.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         newConnLimiter(sc.MaxConnections).track,
		ErrorLog:          slog.NewLogLogger(e.cfg.Logger.Handler(), slog.LevelWarn),
	}
}
