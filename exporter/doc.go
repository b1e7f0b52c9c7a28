// Package exporter serves the newest indicator snapshot of a lake as Prometheus
// metrics, with the health of the pipeline that produced it, and writes the same series
// at past month ends as OpenMetrics text for promtool's backfill.
//
// It reads, never writes, the lake, through package lake:
//
//	indicators/snapshot=<run_id>/   the newest complete snapshot
//	manifest/batches.json           rows read, accepted and quarantined per ingest batch
//	checks/latest.parquet           data-quality check results of the last transform (optional)
//	status/run.json                 the last pipeline run: start, end, success, stage durations
//	status/last_success.json        the last successful run
//
// A scrape never runs SQL nor reads Parquet: a Collector holds the metrics of the
// loaded snapshot, prebuilt, behind an atomic pointer (Registry); /metrics writes their
// text or OpenMetrics encoding, made once per snapshot, followed by the health metrics
// gathered per scrape (render.go); a watcher polls the lake and swaps
// in a whole new set when a newer snapshot appears, so a series that left the data leaves
// /metrics. A snapshot that cannot be read leaves the previous one served and shows in
// safetyrisk_up and safetyrisk_exporter_snapshot_load_errors_total.
//
// The package links no DuckDB.
package exporter
