package exporter

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// The lake files the health metrics read, for safetyrisk_exporter_read_errors_total.
const (
	srcRunStatus = iota
	srcManifest
	srcChecks
	numSources
)

var sourceNames = [numSources]string{"run_status", "manifest", "checks"}

// maxStages caps the stage label of safetyrisk_pipeline_stage_duration_seconds: stage
// names come from a file, and a label must stay bounded whatever a file says.
const maxStages = 32

// healthDescs are the metrics of the pipeline and of the exporter itself.
type healthDescs struct {
	up, buildInfo, loads, loadErrors, readErrors                                 *prometheus.Desc
	snapInfo, snapRunTime, snapAsOf, snapAge, snapLoaded, snapSeries, snapMaxSer *prometheus.Desc
	snapSkipped                                                                  *prometheus.Desc
	runStart, runEnd, runSuccess, runDuration, lastSuccess, stageDuration        *prometheus.Desc
	batches, rowsRead, rowsAccepted, rowsQuarantined, lastIngest                 *prometheus.Desc
	checks, checkFailures                                                        *prometheus.Desc
}

func newHealthDescs() healthDescs {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, nil)
	}
	return healthDescs{
		up:         d("safetyrisk_up", "1 when a snapshot is served and the last attempt to read the newest snapshot of the lake succeeded; 0 when none is served or the newest one cannot be read (the previous one stays served)."),
		buildInfo:  d("safetyrisk_build_info", "The safetyrisk binary: version and Go version; always 1.", "version", "goversion"),
		loads:      d("safetyrisk_exporter_snapshot_loads_total", "Snapshots loaded into memory since the exporter started."),
		loadErrors: d("safetyrisk_exporter_snapshot_load_errors_total", "Attempts to read the newest snapshot of the lake that failed."),
		readErrors: d("safetyrisk_exporter_read_errors_total", "Failed reads of a health file of the lake (run_status, manifest, checks); an absent file is not an error.", "file"),

		snapInfo:    d("safetyrisk_snapshot_info", "The snapshot served, by run id; always 1.", "run_id"),
		snapRunTime: d("safetyrisk_snapshot_run_timestamp_seconds", "Time of the run that wrote the snapshot served (from its run id), seconds since the epoch."),
		snapAsOf:    d("safetyrisk_snapshot_as_of_timestamp_seconds", "As-of date of the snapshot served (midnight UTC of the day), seconds since the epoch."),
		snapAge:     d("safetyrisk_snapshot_age_seconds", "Seconds since the run that wrote the snapshot served."),
		snapLoaded:  d("safetyrisk_snapshot_load_timestamp_seconds", "When the exporter loaded the snapshot served, seconds since the epoch."),
		snapSeries:  d("safetyrisk_snapshot_series", "Indicator series served from the snapshot."),
		snapMaxSer:  d("safetyrisk_snapshot_max_series", "Upper bound on indicator series for the profile: catalogue x (regions+1) x (sectors+1) x windows x dim values (exporter.MaxSeries)."),
		snapSkipped: d("safetyrisk_snapshot_skipped_values", "Values of the snapshot served that are not served, by reason (unknown indicator, region, sector, window, dim value, or a duplicate).", "reason"),

		runStart:      d("safetyrisk_pipeline_last_run_start_timestamp_seconds", "Start of the last pipeline run, seconds since the epoch."),
		runEnd:        d("safetyrisk_pipeline_last_run_end_timestamp_seconds", "End of the last pipeline run, seconds since the epoch."),
		runSuccess:    d("safetyrisk_pipeline_last_run_success", "1 when the last pipeline run succeeded, 0 when it failed."),
		runDuration:   d("safetyrisk_pipeline_last_run_duration_seconds", "Wall time of the last pipeline run."),
		lastSuccess:   d("safetyrisk_pipeline_last_success_timestamp_seconds", "End of the last successful pipeline run, seconds since the epoch."),
		stageDuration: d("safetyrisk_pipeline_stage_duration_seconds", "Wall time of each stage of the last pipeline run.", "stage"),

		batches:         d("safetyrisk_pipeline_batches", "Ingest batches (source files) in the manifest, by table.", "table"),
		rowsRead:        d("safetyrisk_pipeline_rows_read", "Rows read from source files, all batches of the manifest, by table.", "table"),
		rowsAccepted:    d("safetyrisk_pipeline_rows_accepted", "Rows accepted into the raw lake, all batches of the manifest, by table.", "table"),
		rowsQuarantined: d("safetyrisk_pipeline_rows_quarantined", "Rows sent to quarantine, all batches of the manifest, by table.", "table"),
		lastIngest:      d("safetyrisk_pipeline_last_ingest_timestamp_seconds", "Time of the newest ingest batch, by table, seconds since the epoch.", "table"),

		checks:        d("safetyrisk_data_quality_checks", "Data-quality checks of the last transform, by status (pass, warn, fail, unknown).", "status"),
		checkFailures: d("safetyrisk_data_quality_check_failures", "Rows failing each data-quality check of the last transform.", "table", "check", "column", "status"),
	}
}

func (d healthDescs) all() []*prometheus.Desc {
	return []*prometheus.Desc{d.up, d.buildInfo, d.loads, d.loadErrors, d.readErrors,
		d.snapInfo, d.snapRunTime, d.snapAsOf, d.snapAge, d.snapLoaded, d.snapSeries, d.snapMaxSer, d.snapSkipped,
		d.runStart, d.runEnd, d.runSuccess, d.runDuration, d.lastSuccess, d.stageDuration,
		d.batches, d.rowsRead, d.rowsAccepted, d.rowsQuarantined, d.lastIngest,
		d.checks, d.checkFailures}
}

// readHealth reads the run status, the manifest and the checks, and prebuilds their
// metrics. An absent file gives no metrics (absent() in an alert says so); a broken one
// is counted in safetyrisk_exporter_read_errors_total and logged.
func (e *Exporter) readHealth() *healthState {
	var ms []prometheus.Metric
	g := func(desc *prometheus.Desc, v float64, labels ...string) {
		ms = append(ms, prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...))
	}
	var warned [numSources]string
	warn := func(src int, msg string, args ...any) {
		warned[src] = msg + fmt.Sprint(args...)
		if warned[src] != e.lastWarn[src] {
			e.cfg.Logger.Warn(msg, append([]any{"file", sourceNames[src]}, args...)...)
		}
	}
	defer func() { e.lastWarn = warned }()
	failed := func(src int, err error) {
		e.readErrors[src].Add(1)
		warn(src, "health file not read", "err", err)
	}

	st, err := ReadRunStatus(e.cfg.Lake)
	switch {
	case err == nil:
		g(e.d.runStart, unixSeconds(st.Start))
		if !st.End.IsZero() {
			g(e.d.runEnd, unixSeconds(st.End))
			g(e.d.runDuration, st.End.Sub(st.Start).Seconds())
		}
		g(e.d.runSuccess, boolFloat(st.Success))
		seen := map[string]bool{}
		for _, s := range st.Stages {
			if seen[s.Name] || len(seen) >= maxStages {
				continue
			}
			seen[s.Name] = true
			g(e.d.stageDuration, s.Seconds, s.Name)
		}
	case !isNotExist(err):
		failed(srcRunStatus, err)
	}
	last, err := ReadLastSuccess(e.cfg.Lake)
	switch {
	case err == nil:
		g(e.d.lastSuccess, unixSeconds(last.End))
	case isNotExist(err):
		// Runs recorded before last_success.json existed: the last run may be one.
		if st.Success && !st.End.IsZero() {
			g(e.d.lastSuccess, unixSeconds(st.End))
		}
	default:
		failed(srcRunStatus, err)
	}

	batches, err := ReadManifest(e.cfg.Lake)
	switch {
	case err == nil:
		per, unknown := sumManifest(batches)
		if unknown > 0 {
			warn(srcManifest, "manifest batches of unknown tables not served", "batches", unknown)
		}
		for _, table := range sortedKeys(per) {
			t := per[table]
			g(e.d.batches, float64(t.batches), table)
			g(e.d.rowsRead, float64(t.read), table)
			g(e.d.rowsAccepted, float64(t.accepted), table)
			g(e.d.rowsQuarantined, float64(t.quarantined), table)
			if !t.lastIngest.IsZero() {
				g(e.d.lastIngest, unixSeconds(t.lastIngest), table)
			}
		}
	case !isNotExist(err):
		failed(srcManifest, err)
	}

	checks, err := ReadChecks(e.cfg.Lake)
	switch {
	case err == nil:
		counts := map[string]int{}
		for _, s := range checkStatuses {
			counts[s] = 0
		}
		seen := map[[3]string]bool{}
		for _, c := range checks {
			status := c.Status
			if _, ok := counts[status]; !ok {
				status = "unknown"
			}
			counts[status]++
			k := [3]string{c.Table, c.Check, c.Column}
			if seen[k] {
				continue
			}
			seen[k] = true
			g(e.d.checkFailures, float64(c.Failures), c.Table, c.Check, c.Column, status)
		}
		for _, s := range checkStatuses {
			g(e.d.checks, float64(counts[s]), s)
		}
	case !isNotExist(err):
		failed(srcChecks, err)
	}
	return &healthState{metrics: ms}
}

// collector is the Exporter seen as a prometheus.Collector. Collect sends prebuilt
// metrics and a few computed from atomics and the clock: no I/O, no SQL. With
// indicators false it sends only the health metrics (the fast /metrics path serves the
// indicator gauges pre-rendered).
type collector struct {
	e          *Exporter
	indicators bool
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	if c.indicators {
		for _, f := range c.e.set.families {
			ch <- f.desc
		}
	}
	for _, d := range c.e.d.all() {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	e := c.e
	d := e.d
	g := func(desc *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...)
	}
	counter := func(desc *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, float64(v), labels...)
	}
	snap := e.snap.Load()
	g(d.up, boolFloat(snap != nil && e.lastLoadOK.Load()))
	g(d.buildInfo, 1, e.cfg.Build.Version, e.cfg.Build.GoVersion)
	counter(d.loads, e.loads.Load())
	counter(d.loadErrors, e.loadErrors.Load())
	for i := range e.readErrors {
		counter(d.readErrors, e.readErrors[i].Load(), sourceNames[i])
	}
	g(d.snapMaxSer, float64(e.maxSer))
	if snap != nil {
		g(d.snapInfo, 1, snap.runID)
		ref := snap.runTime
		if ref.IsZero() {
			ref = snap.loaded
		} else {
			g(d.snapRunTime, unixSeconds(snap.runTime))
		}
		g(d.snapAsOf, unixSeconds(snap.asOf))
		g(d.snapAge, e.cfg.Now().Sub(ref).Seconds())
		g(d.snapLoaded, unixSeconds(snap.loaded))
		g(d.snapSeries, float64(len(snap.metrics)))
		for _, r := range skipReasons {
			g(d.snapSkipped, float64(snap.skipped[r]), r)
		}
		if c.indicators {
			for _, m := range snap.metrics {
				ch <- m
			}
		}
	}
	for _, m := range e.health.Load().metrics {
		ch <- m
	}
}
