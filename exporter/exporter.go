package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/safetyrisk/safetyrisk"
	"github.com/safetyrisk/safetyrisk/lake"
)

// BuildInfo labels safetyrisk_build_info.
type BuildInfo struct {
	Version   string // the binary's version (main.Version)
	GoVersion string // runtime.Version() of the binary
}

// Config configures an Exporter.
type Config struct {
	Lake    string              // the lake directory (required)
	Profile *safetyrisk.Profile // the jurisdiction: label allow-lists and Chinese names (required)
	Poll    time.Duration       // how often Watch looks for a newer snapshot; default 10s
	Logger  *slog.Logger        // default: discard
	Build   BuildInfo
	// RuntimeMetrics adds the Go and process collectors to the registry (serve sets it;
	// the golden test does not, as their values change).
	RuntimeMetrics bool
	// Now is the clock; nil means time.Now. Tests fix it.
	Now func() time.Time
}

// Validate checks the configuration and fills in defaults.
func (c *Config) Validate() error {
	if c.Lake == "" {
		return errors.New("lake directory is required")
	}
	if c.Profile == nil {
		return errors.New("profile is required")
	}
	if c.Poll == 0 {
		c.Poll = 10 * time.Second
	}
	if c.Poll < 0 {
		return fmt.Errorf("poll interval %s: must be positive", c.Poll)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Build.Version == "" {
		c.Build.Version = "dev"
	}
	return nil
}

// snapshotState is the loaded snapshot, its gauges prebuilt. It is never modified after
// it is published, so a scrape reads it without a lock.
type snapshotState struct {
	runID   string
	runTime time.Time // the time in the run id (zero when it does not parse)
	asOf    time.Time
	loaded  time.Time
	metrics []prometheus.Metric
	skipped map[string]int
	renders sync.Map // expfmt.Format -> *rendered: the gauges encoded once per format
}

// healthState is the pipeline's health read from the lake at the last poll.
type healthState struct {
	metrics []prometheus.Metric
}

// Exporter holds the newest snapshot of a lake in memory and serves it, with the
// pipeline's health, through a prometheus.Collector on its own registry.
type Exporter struct {
	cfg       Config
	set       *indicatorSet
	d         healthDescs
	maxSer    int
	registry  *prometheus.Registry // everything: the Collector of the package doc
	healthReg *prometheus.Registry // the same without the indicator gauges (fast path)

	snap   atomic.Pointer[snapshotState]
	health atomic.Pointer[healthState]

	lastLoadOK  atomic.Bool   // the last attempt to read the newest snapshot succeeded
	loadErrors  atomic.Uint64 // attempts that failed
	loads       atomic.Uint64 // snapshots loaded
	readErrors  [numSources]atomic.Uint64
	refreshLock sync.Mutex // one Refresh at a time (Watch and the command's scheduler)
	gzipPool    sync.Pool  // *gzip.Writer for the per-scrape part of /metrics
	// lastWarn is the last warning logged per health file, so a broken file is logged
	// when it breaks, not at every poll. Guarded by refreshLock.
	lastWarn [numSources]string
}

// New returns an Exporter for cfg with its registry. It loads nothing: call Refresh.
func New(cfg Config) (*Exporter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("exporter: %w", err)
	}
	e := &Exporter{cfg: cfg, set: newIndicatorSet(cfg.Profile), d: newHealthDescs(), maxSer: MaxSeries(cfg.Profile)}
	e.registry, e.healthReg = prometheus.NewRegistry(), prometheus.NewRegistry()
	for _, r := range []struct {
		reg        *prometheus.Registry
		indicators bool
	}{{e.registry, true}, {e.healthReg, false}} {
		cs := []prometheus.Collector{collector{e, r.indicators}}
		if cfg.RuntimeMetrics {
			cs = append(cs, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		}
		for _, c := range cs {
			if err := r.reg.Register(c); err != nil {
				return nil, fmt.Errorf("exporter: %w", err)
			}
		}
	}
	e.health.Store(&healthState{})
	return e, nil
}

// Registry is the exporter's own registry (never the global one).
func (e *Exporter) Registry() *prometheus.Registry { return e.registry }

// SnapshotInfo says which snapshot is served; ok is false before the first load.
func (e *Exporter) SnapshotInfo() (runID string, asOf time.Time, series int, ok bool) {
	s := e.snap.Load()
	if s == nil {
		return "", time.Time{}, 0, false
	}
	return s.runID, s.asOf, len(s.metrics), true
}

// Refresh loads the newest snapshot when it differs from the one served, and re-reads
// the health files (run status, manifest, checks). A snapshot that cannot be read leaves
// the served one in place: the error is counted, safetyrisk_up drops to 0, and the error
// is returned. Errors of the health files are counted per file and logged, not returned.
func (e *Exporter) Refresh(ctx context.Context) error {
	e.refreshLock.Lock()
	defer e.refreshLock.Unlock()
	err := e.refreshSnapshot(ctx)
	e.health.Store(e.readHealth())
	return err
}

func (e *Exporter) refreshSnapshot(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ids, err := lake.ListSnapshots(e.cfg.Lake)
	if err != nil {
		e.loadFailed()
		return fmt.Errorf("refresh: %w", err)
	}
	if len(ids) == 0 {
		// Nothing to serve yet: not an error of the lake, but not up either.
		e.lastLoadOK.Store(e.snap.Load() != nil)
		return nil
	}
	newest := ids[len(ids)-1]
	if cur := e.snap.Load(); cur != nil && cur.runID == newest {
		e.lastLoadOK.Store(true)
		return nil
	}
	start := time.Now()
	snap, err := readSnapshot(e.cfg.Lake, newest)
	if err != nil {
		e.loadFailed()
		return fmt.Errorf("refresh: %w", err)
	}
	metrics, skipped, err := e.set.build(snap.Values, nil)
	if err != nil {
		e.loadFailed()
		return fmt.Errorf("refresh: snapshot %s: %w", newest, err)
	}
	runTime, err := lake.RunTime(newest)
	if err != nil {
		// A snapshot named otherwise than by a run id has no run time: Collect counts
		// its age from when it was loaded.
		e.cfg.Logger.Warn("snapshot name is not a run id; its age counts from its load", "run_id", newest, "err", err)
		runTime = time.Time{}
	}
	st := &snapshotState{runID: newest, runTime: runTime, asOf: snap.AsOf, loaded: e.cfg.Now(),
		metrics: metrics, skipped: skipped}
	if err := st.prerender(); err != nil {
		e.loadFailed()
		return fmt.Errorf("refresh: snapshot %s: %w", newest, err)
	}
	e.snap.Store(st)
	e.lastLoadOK.Store(true)
	e.loads.Add(1)
	nskipped := 0
	for _, n := range skipped {
		nskipped += n
	}
	e.cfg.Logger.Info("snapshot loaded", "run_id", newest, "as_of", snap.AsOf.Format(time.DateOnly),
		"series", len(metrics), "skipped", nskipped, "duration", time.Since(start).Round(time.Millisecond))
	if nskipped > 0 {
		e.cfg.Logger.Warn("snapshot values not served", "run_id", newest, "by_reason", skipped)
	}
	return nil
}

// readSnapshot is lake.ReadSnapshot made safe for a long-running server:
// parquet-go v0.32.0's NewGenericReader panics on a file with a bad footer (a torn or
// foreign file), and a corrupt snapshot must not take the exporter down.
func readSnapshot(dir, runID string) (s *safetyrisk.Snapshot, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("read snapshot %s: %v", runID, r)
		}
	}()
	return lake.ReadSnapshot(dir, runID)
}

func (e *Exporter) loadFailed() {
	e.loadErrors.Add(1)
	e.lastLoadOK.Store(false)
}

// Watch calls Refresh every Poll until ctx is done, logging the errors (once per
// distinct error, not once per poll).
func (e *Exporter) Watch(ctx context.Context) {
	t := time.NewTicker(e.cfg.Poll)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := e.Refresh(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil && err.Error() != last:
			e.cfg.Logger.Error("snapshot not loaded; the previous one stays served", "err", err)
			last = err.Error()
		case err == nil && last != "":
			e.cfg.Logger.Info("snapshot readable again")
			last = ""
		}
	}
}

// isNotExist tells an absent optional file from a broken one.
func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
