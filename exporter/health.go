package exporter

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/safetyrisk/safetyrisk/lake"
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

// Names of the exporter's own metrics. The dashboards and the alert rules take them
// from here (grafana.HealthMetrics), so that they are tested against what is served.
const (
	MetricUp                 = "safetyrisk_up"
	MetricBuildInfo          = "safetyrisk_build_info"
	MetricSnapshotLoads      = "safetyrisk_exporter_snapshot_loads_total"
	MetricSnapshotLoadErrors = "safetyrisk_exporter_snapshot_load_errors_total"
	MetricReadErrors         = "safetyrisk_exporter_read_errors_total"
	MetricSnapshotInfo       = "safetyrisk_snapshot_info"
	MetricSnapshotRunTime    = "safetyrisk_snapshot_run_timestamp_seconds"
	MetricSnapshotAsOf       = "safetyrisk_snapshot_as_of_timestamp_seconds"
	MetricSnapshotAge        = "safetyrisk_snapshot_age_seconds"
	MetricSnapshotLoaded     = "safetyrisk_snapshot_load_timestamp_seconds"
	MetricSnapshotSeries     = "safetyrisk_snapshot_series"
	MetricSnapshotMaxSeries  = "safetyrisk_snapshot_max_series"
	MetricSnapshotSkipped    = "safetyrisk_snapshot_skipped_values"
	MetricLastRunStart       = "safetyrisk_pipeline_last_run_start_timestamp_seconds"
	MetricLastRunEnd         = "safetyrisk_pipeline_last_run_end_timestamp_seconds"
	MetricLastRunSuccess     = "safetyrisk_pipeline_last_run_success"
	MetricRunDuration        = "safetyrisk_pipeline_last_run_duration_seconds"
	MetricLastSuccess        = "safetyrisk_pipeline_last_success_timestamp_seconds"
	MetricStageDuration      = "safetyrisk_pipeline_stage_duration_seconds"
	MetricBatches            = "safetyrisk_pipeline_batches"
	MetricRowsRead           = "safetyrisk_pipeline_rows_read"
	MetricRowsAccepted       = "safetyrisk_pipeline_rows_accepted"
	MetricRowsQuarantined    = "safetyrisk_pipeline_rows_quarantined"
	MetricLastIngest         = "safetyrisk_pipeline_last_ingest_timestamp_seconds"
	MetricCheckResults       = "safetyrisk_data_quality_checks"
	MetricCheckFailures      = "safetyrisk_data_quality_check_failures"
)

// HealthMetric is one of the exporter's own metrics: the pipeline's health and the
// exporter's, served beside the indicator gauges.
type HealthMetric struct {
	Name   string
	Labels []string // labels beyond the target's own
	Help   string
}

// HealthMetrics lists the exporter's own metrics, the one declaration of their names,
// labels and help texts.
func HealthMetrics() []HealthMetric {
	return []HealthMetric{
		{MetricUp, nil, "1 when a snapshot is served and the last attempt to read the newest snapshot of the lake succeeded; 0 when none is served or the newest one cannot be read (the previous one stays served)."},
		{MetricBuildInfo, []string{"version", "goversion"}, "The safetyrisk binary: version and Go version; always 1."},
		{MetricSnapshotLoads, nil, "Snapshots loaded into memory since the exporter started."},
		{MetricSnapshotLoadErrors, nil, "Attempts to read the newest snapshot of the lake that failed."},
		{MetricReadErrors, []string{"file"}, "Failed reads of a health file of the lake (run_status, manifest, checks); an absent file is not an error."},

		{MetricSnapshotInfo, []string{"run_id"}, "The snapshot served, by run id; always 1."},
		{MetricSnapshotRunTime, nil, "Time of the run that wrote the snapshot served (from its run id), seconds since the epoch."},
		{MetricSnapshotAsOf, nil, "As-of date of the snapshot served (midnight UTC of the day), seconds since the epoch."},
		{MetricSnapshotAge, nil, "Seconds since the run that wrote the snapshot served."},
		{MetricSnapshotLoaded, nil, "When the exporter loaded the snapshot served, seconds since the epoch."},
		{MetricSnapshotSeries, nil, "Indicator series served from the snapshot."},
		{MetricSnapshotMaxSeries, nil, "Upper bound on indicator series for the profile: catalogue x (regions+1) x (sectors+1) x windows x dim values (exporter.MaxSeries)."},
		{MetricSnapshotSkipped, []string{"reason"}, "Values of the snapshot served that are not served, by reason (unknown indicator, region, sector, window, dim value, or a duplicate)."},

		{MetricLastRunStart, nil, "Start of the last pipeline run, seconds since the epoch."},
		{MetricLastRunEnd, nil, "End of the last pipeline run, seconds since the epoch."},
		{MetricLastRunSuccess, nil, "1 when the last pipeline run succeeded, 0 when it failed."},
		{MetricRunDuration, nil, "Wall time of the last pipeline run."},
		{MetricLastSuccess, nil, "End of the last successful pipeline run, seconds since the epoch."},
		{MetricStageDuration, []string{"stage"}, "Wall time of each stage of the last pipeline run."},

		{MetricBatches, []string{"table"}, "Ingest batches (source files) in the manifest, by table."},
		{MetricRowsRead, []string{"table"}, "Rows read from source files, all batches of the manifest, by table."},
		{MetricRowsAccepted, []string{"table"}, "Rows accepted into the raw lake, all batches of the manifest, by table."},
		{MetricRowsQuarantined, []string{"table"}, "Rows sent to quarantine, all batches of the manifest, by table."},
		{MetricLastIngest, []string{"table"}, "Time of the newest ingest batch, by table, seconds since the epoch."},

		{MetricCheckResults, []string{"status"}, "Data-quality checks of the last transform, by status (pass, warn, fail, unknown)."},
		{MetricCheckFailures, []string{"table", "check", "column", "status"}, "Rows failing each data-quality check of the last transform."},
	}
}

func newHealthDescs() healthDescs {
	descs := map[string]*prometheus.Desc{}
	for _, m := range HealthMetrics() {
		descs[m.Name] = prometheus.NewDesc(m.Name, m.Help, m.Labels, nil)
	}
	d := func(name string) *prometheus.Desc { return descs[name] }
	return healthDescs{
		up: d(MetricUp), buildInfo: d(MetricBuildInfo), loads: d(MetricSnapshotLoads),
		loadErrors: d(MetricSnapshotLoadErrors), readErrors: d(MetricReadErrors),

		snapInfo: d(MetricSnapshotInfo), snapRunTime: d(MetricSnapshotRunTime), snapAsOf: d(MetricSnapshotAsOf),
		snapAge: d(MetricSnapshotAge), snapLoaded: d(MetricSnapshotLoaded), snapSeries: d(MetricSnapshotSeries),
		snapMaxSer: d(MetricSnapshotMaxSeries), snapSkipped: d(MetricSnapshotSkipped),

		runStart: d(MetricLastRunStart), runEnd: d(MetricLastRunEnd), runSuccess: d(MetricLastRunSuccess),
		runDuration: d(MetricRunDuration), lastSuccess: d(MetricLastSuccess), stageDuration: d(MetricStageDuration),

		batches: d(MetricBatches), rowsRead: d(MetricRowsRead), rowsAccepted: d(MetricRowsAccepted),
		rowsQuarantined: d(MetricRowsQuarantined), lastIngest: d(MetricLastIngest),

		checks: d(MetricCheckResults), checkFailures: d(MetricCheckFailures),
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
	h := &healthReader{e: e}
	defer func() { e.lastWarn = h.warned }()
	h.runStatus()
	h.manifest()
	h.checks()
	return &healthState{metrics: h.ms}
}

// healthReader collects the health metrics of one read of the lake, and the warnings
// it logged (each logged once until it changes).
type healthReader struct {
	e      *Exporter
	ms     []prometheus.Metric
	warned [numSources]string
}

func (h *healthReader) gauge(desc *prometheus.Desc, v float64, labels ...string) {
	h.ms = append(h.ms, prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, labels...))
}

func (h *healthReader) warn(src int, msg string, args ...any) {
	h.warned[src] = msg + fmt.Sprint(args...)
	if h.warned[src] != h.e.lastWarn[src] {
		h.e.cfg.Logger.Warn(msg, append([]any{"file", sourceNames[src]}, args...)...)
	}
}

func (h *healthReader) failed(src int, err error) {
	h.e.readErrors[src].Add(1)
	h.warn(src, "health file not read", "err", err)
}

// runStatus reads the last run and the last successful one.
func (h *healthReader) runStatus() {
	d := h.e.d
	st, err := lake.ReadRunStatus(h.e.cfg.Lake)
	switch {
	case err == nil:
		h.gauge(d.runStart, unixSeconds(st.Start))
		if !st.End.IsZero() {
			h.gauge(d.runEnd, unixSeconds(st.End))
			h.gauge(d.runDuration, st.End.Sub(st.Start).Seconds())
		}
		h.gauge(d.runSuccess, boolFloat(st.Success))
		seen := map[string]bool{}
		for _, s := range st.Stages {
			if seen[s.Name] || len(seen) >= maxStages {
				continue
			}
			seen[s.Name] = true
			h.gauge(d.stageDuration, s.Seconds, s.Name)
		}
	case !isNotExist(err):
		h.failed(srcRunStatus, err)
	}
	last, err := lake.ReadLastSuccess(h.e.cfg.Lake)
	switch {
	case err == nil:
		h.gauge(d.lastSuccess, unixSeconds(last.End))
	case isNotExist(err):
		// Runs recorded before last_success.json existed: the last run may be one.
		if st.Success && !st.End.IsZero() {
			h.gauge(d.lastSuccess, unixSeconds(st.End))
		}
	default:
		h.failed(srcRunStatus, err)
	}
}

// manifest sums the ingest manifest per table.
func (h *healthReader) manifest() {
	d := h.e.d
	batches, err := lake.ReadManifest(h.e.cfg.Lake)
	if err != nil {
		h.failed(srcManifest, err)
		return
	}
	per, unknown := sumManifest(batches)
	if unknown > 0 {
		h.warn(srcManifest, "manifest batches of unknown tables not served", "batches", unknown)
	}
	for _, table := range sortedKeys(per) {
		t := per[table]
		h.gauge(d.batches, float64(t.batches), table)
		h.gauge(d.rowsRead, float64(t.read), table)
		h.gauge(d.rowsAccepted, float64(t.accepted), table)
		h.gauge(d.rowsQuarantined, float64(t.quarantined), table)
		if !t.lastIngest.IsZero() {
			h.gauge(d.lastIngest, unixSeconds(t.lastIngest), table)
		}
	}
}

// checks counts the data-quality results by status, and serves each one's failures.
func (h *healthReader) checks() {
	d := h.e.d
	checks, err := lake.ReadChecks(h.e.cfg.Lake)
	if err != nil {
		if !isNotExist(err) {
			h.failed(srcChecks, err)
		}
		return
	}
	counts := map[string]int{}
	for _, s := range checkStatuses {
		counts[s] = 0
	}
	seen := map[[3]string]bool{}
	for _, c := range checks.Results {
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
		h.gauge(d.checkFailures, float64(c.Failures), c.Table, c.Check, c.Column, status)
	}
	for _, s := range checkStatuses {
		h.gauge(d.checks, float64(counts[s]), s)
	}
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
